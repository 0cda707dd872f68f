// A writer beside the one measured: every 10 ms it makes a one-row write transaction in the library, as a
// mount's save or a `sleeve set` of one track would (taking the lock as they do: write-lock.ts), and records how long it waited for the write lock
// and how long its commit took (a commit may checkpoint the WAL others wrote). On SIGTERM it prints
// those times (ms, JSON: {waits, commits}) and exits. Usage: write-probe.ts LIBRARY_DB
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { writeTransaction } from '../app/core/db/write-lock.ts';

const db = new Database(process.argv[2]!, { timeout: 600_000 });
db.exec('CREATE TABLE IF NOT EXISTS bench_probe (at REAL)');
const insert = db.prepare('INSERT INTO bench_probe (at) VALUES (?)');
const waits: number[] = [];
const commits: number[] = [];
let stopped = false;
process.on('SIGTERM', () => {
  stopped = true;
});
process.stdout.write('ready\n');
while (!stopped) {
  const t0 = performance.now();
  let began = 0;
  let wrote = 0;
  writeTransaction(db, () => {
    began = performance.now();
    insert.run(t0);
    wrote = performance.now();
  });
  waits.push(began - t0);
  commits.push(performance.now() - wrote);
  await sleep(10);
}
db.close();
process.stdout.write(`${JSON.stringify({ waits, commits })}\n`);
