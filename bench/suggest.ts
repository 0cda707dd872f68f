// npm run bench -- suggest: the tag editor's suggestions a keystroke at a time, over the million benchmark's
// libraries (100k and 1M tracks: run `npm run bench -- million` first), each copied as it is so the
// migration that makes the suggestions' counts (43) is timed on an older library, as a user meets it.
// Typing a value of artist, album and genre a character at a time: suggestValues (tag_values, kept by
// triggers) against the baseline a plain query would be — the tags index grouped by value over the
// prefix — for the first keystrokes (the baseline takes seconds each at 1M). Goal (issue 84): ≤ 50 ms a
// keystroke at 1M.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../app/core/db/database.ts';
import { fold } from '../app/core/db/fold.ts';
import { suggestValues } from '../app/core/library/suggest-values.ts';
import { ROOT } from './album-library.ts';
import { latencies, loadMeter, loadText, machine } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

/** What is typed into each field: a value the synthetic library holds, a character at a time. */
const TYPED: ReadonlyArray<[string, string]> = [
  ['artist', 'Artist 42'],
  ['album', 'Album 1234'],
  ['genre', 'Jazz'],
];
/** Keystrokes the baseline is timed on (each a pass over the prefix's tags). */
const BASELINE_KEYS = 3;

function naive(db: ReturnType<typeof openDatabase>, key: string, typed: string): number {
  const prefix = fold(typed);
  return (
    db
      .prepare(
        `SELECT min(value), count(*) AS uses FROM tags WHERE key = ? AND fold >= ? AND fold < ?
         GROUP BY fold ORDER BY uses DESC LIMIT 10`,
      )
      .all(key, prefix, `${prefix}\u{10ffff}`) as unknown[]
  ).length;
}

function timed(run: () => unknown): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

function benchHome(tracks: number): void {
  const cached = join(ROOT, `million-home-${tracks}`);
  if (!existsSync(join(cached, 'library.db'))) {
    console.log(
      `${tracks.toLocaleString('en')}: no library at ${cached}: run npm run bench -- million first`,
    );
    return;
  }
  const home = benchTempDir('sleeve-suggest-');
  cpSync(cached, home, { recursive: true });
  try {
    const t0 = performance.now();
    const db = openDatabase(join(home, 'library.db'));
    const opened = (performance.now() - t0) / 1000;
    const rows = db.prepare('SELECT count(*) FROM tag_values').pluck().get() as number;
    console.log(
      `\n${tracks.toLocaleString('en')} tracks: opened (migrated) in ${opened.toFixed(1)} s; ${rows.toLocaleString('en')} values counted`,
    );
    for (const [key, value] of TYPED) {
      const keys = Array.from({ length: value.length + 1 }, (_, i) => value.slice(0, i));
      const ours = keys.map((typed) => timed(() => suggestValues(db, key, typed)));
      const plain = keys.slice(0, BASELINE_KEYS).map((typed) => timed(() => naive(db, key, typed)));
      const top = suggestValues(db, key, value.slice(0, 1))
        .slice(0, 3)
        .map((s) => `${s.value} (${s.uses})`);
      console.log(`  ${key}, "${value}" a key at a time: ${latencies(ours)}; first offers ${top.join(', ')}`);
      console.log(
        `    baseline, the first ${BASELINE_KEYS} keys: ${plain.map((ms) => ms.toFixed(0)).join(' / ')} ms`,
      );
    }
    db.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export async function main(): Promise<void> {
  const load = loadMeter();
  console.log(machine());
  for (const tracks of [100_000, 1_000_000]) benchHome(tracks);
  console.log(`\n${loadText(load())}`);
}
