// A lane's thread opens originals whose descriptors others close: the mount's binding (in C) once it took
// one over, or the lane's next thread. As its thread ends, Node closes the descriptors it believes the
// thread still holds — numbers that by then name other files (a database, an epoll set: a mount daemon
// died in libuv at its unmount). In a process of its own, so that nothing else opens descriptors: a lane
// opens a file, its descriptor is closed outside the lane and its number taken by another file; the lanes
// close; that other file must still be open.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';

const SCRIPT = `
import { closeSync, fstatSync, openSync } from 'node:fs';
import { FileLanes } from ${JSON.stringify(new URL('../../kit/file-lanes.ts', import.meta.url).href)};
const [a, b] = process.argv.slice(-2);
const lanes = new FileLanes();
const opened = await lanes.open(a);
closeSync(opened.fd); // as the binding closes a descriptor handed over to it
// Each open takes the lowest free number: open until it is the lane's.
const others = [];
while (!others.includes(opened.fd) && others.length < 1000) others.push(openSync(b, 'r'));
await lanes.close();
let still;
try { still = fstatSync(opened.fd).size; } catch (err) { still = err.code; }
process.stdout.write(JSON.stringify({ reused: others.includes(opened.fd), still }));
`;

/** `script` run in a process of its own with a file "a.flac" (and, given `other`, a file "b.db" holding it)
 *  as its last arguments: what it printed, parsed. */
function ranAlone(script: string, other?: string): unknown {
  const dir = tempDir();
  const files = [join(dir, 'a.flac'), ...(other === undefined ? [] : [join(dir, 'b.db')])];
  writeFileSync(files[0]!, 'lane');
  if (other !== undefined) writeFileSync(files[1]!, other);
  const path = join(dir, 'script.mjs');
  writeFileSync(path, script);
  const r = spawnSync(process.execPath, [path, ...files], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

it("a lane's thread, as it ends, closes no descriptor it handed over", () => {
  expect(ranAlone(SCRIPT, 'another file')).toEqual({ reused: true, still: 'another file'.length });
});

// Where a lane's thread leaves its descriptors open as it ends (a process's main thread starts the lanes,
// as the mount daemon does), a file closed as the lanes close is closed all the same, by a thread started
// for it: its close was waiting for an operation to go with.
const CLOSED_AS_LANES_CLOSE = `
import { existsSync } from 'node:fs';
import { FileLanes } from ${JSON.stringify(new URL('../../kit/file-lanes.ts', import.meta.url).href)};
const lanes = new FileLanes();
const opened = await lanes.open(process.argv.at(-1));
opened.close();
await lanes.close();
const until = Date.now() + 10000;
while (existsSync('/proc/self/fd/' + opened.fd) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
process.stdout.write(JSON.stringify({ open: existsSync('/proc/self/fd/' + opened.fd) }));
`;

it('closes a file closed as the lanes close, in a thread of its own where threads leave theirs open', () => {
  expect(ranAlone(CLOSED_AS_LANES_CLOSE)).toEqual({ open: false });
});

// A lane's thread keeps its process alive while an answer is awaited (nothing else may be), and not after:
// a command that used the lanes and never closed them ends at once, not when their threads stop idle.
const ALIVE_WHILE_ASKED = `
import { FileLanes } from ${JSON.stringify(new URL('../../kit/file-lanes.ts', import.meta.url).href)};
const lanes = new FileLanes();
const opened = await lanes.open(process.argv.at(-1), { head: 4 });
const kind = (await lanes.stat(process.argv.at(-1))).kind;
opened.close();
await new Promise((r) => setImmediate(r)); // the close sent
// What keeps the process alive, the pipes to the test aside.
const alive = process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap');
process.stdout.write(JSON.stringify({ head: opened.head.toString(), kind, alive }));
`;

it('keeps its process alive while an answer is awaited, and not once it has them all', () => {
  expect(ranAlone(ALIVE_WHILE_ASKED)).toEqual({ head: 'lane', kind: 'file', alive: [] });
});
