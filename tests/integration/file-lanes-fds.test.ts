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

it("a lane's thread, as it ends, closes no descriptor it handed over", () => {
  const dir = tempDir();
  const [a, b] = [join(dir, 'a.flac'), join(dir, 'b.db')];
  writeFileSync(a, 'lane');
  writeFileSync(b, 'another file');
  const script = join(dir, 'lane-fds.mjs');
  writeFileSync(script, SCRIPT);
  const r = spawnSync(process.execPath, [script, a, b], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ reused: true, still: 'another file'.length });
});
