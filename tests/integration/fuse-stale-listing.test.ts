// A folder's listing continued after an edit: a listing keeps the tree it started with, so its later
// chunks give the kernel attributes from a tree already replaced, after that tree's invalidations went
// out. The kernel keeps attributes for a day, so a player would see the old modification time (or size)
// of the edited file until then, unless the daemon takes back what it gave from the old tree.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tool } from '../helpers.ts';
import { PY, TestMount } from '../mount-helpers.ts';

const CLI = new URL('../../app/cli/sleeve.js', import.meta.url).pathname;
/** The kernel asks for a listing a memory page at a time (at least: READDIRPLUS's reply size is the
 *  larger of a page and the reader's buffer). */
const PAGE = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }));
/** Long titles make long names, about 390 bytes an entry with its attributes: more tracks than the first
 *  page of the listing holds. */
const TRACKS = Math.ceil(PAGE / 390) + 3;
const title = (n: number) => `Track ${n} ${'x'.repeat(220)}`;

/** Reads a folder a page of the listing at a time (getdents64 with a page-sized buffer: one request to the
 *  daemon each); edits the last file between the first page and the rest; then waits until the edited
 *  file's modification time shows the edit, once after the edit and again after the rest of the listing.
 *  The first wait looks the file up, and a lookup makes the kernel's next listing request a READDIRPLUS,
 *  which gives attributes: without it, the rest of the listing would give names only. */
const LISTER = `
import ctypes, os, subprocess, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
SYS_getdents64 = 217
PAGE = os.sysconf('SC_PAGE_SIZE')
def chunk(fd):
    buf = ctypes.create_string_buffer(PAGE)
    n = libc.syscall(SYS_getdents64, fd, buf, PAGE)
    if n < 0:
        raise OSError(ctypes.get_errno(), 'getdents64')
    names, p = [], 0
    while p < n:
        reclen = int.from_bytes(buf.raw[p + 16:p + 18], 'little')
        names.append(buf.raw[p + 19:p + reclen].split(b'\\0', 1)[0].decode())
        p += reclen
    return names
folder, last, original, node, cli, home = sys.argv[1:7]
served = os.path.join(folder, last)
def wait_for_edit(when):
    deadline = time.time() + 15
    while os.stat(served).st_mtime_ns <= os.stat(original).st_mtime_ns + 1_000_000:
        if time.time() > deadline:
            sys.exit('%s: the edited file still shows its old modification time' % when)
        time.sleep(0.02)
fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
first = chunk(fd)
if last in first:
    sys.exit('the first chunk already lists the last file: %d names' % len(first))
edit = subprocess.run([node, cli, '--home', home, 'set', 'path:' + os.path.basename(original), 'genre=Edited',
                       '-y'], capture_output=True, text=True)
if edit.returncode != 0:
    sys.exit('sleeve set failed: ' + edit.stderr)
wait_for_edit('after the edit')  # a lookup of the new tree's file
rest = []
while True:
    names = chunk(fd)
    if not names:
        break
    rest += names
os.close(fd)
if last not in rest:
    sys.exit('the rest of the listing does not list the last file: %s' % rest)
wait_for_edit('after the listing continued from its first tree')
print(len(first), len(rest))
`;

describe('a listing continued from a tree an edit replaced', () => {
  const m = new TestMount();
  const names = Array.from({ length: TRACKS }, (_, i) => `t${String(i + 1).padStart(2, '0')}.flac`);

  beforeAll(() => {
    const one = join(m.music, names[0]!);
    tool('sox', ['-n', '-r', '44100', '-c', '1', one, 'synth', '1', 'sine', '440']);
    for (const [i, name] of names.entries()) {
      const path = join(m.music, name);
      if (i > 0) copyFileSync(one, path);
      tool('metaflac', [
        '--remove-all-tags',
        '--set-tag=ARTIST=Lister',
        '--set-tag=ALBUM=Long Names',
        `--set-tag=TRACKNUMBER=${i + 1}`,
        `--set-tag=TITLE=${title(i + 1)}`,
        path,
      ]);
    }
    m.start(names, []);
  });

  afterAll(() => m.stop()); // unmounts and checks no original changed

  it("shows the edited file's new attributes, not those its old tree's listing gave", () => {
    const folder = join(m.mnt, 'Lister', 'Long Names');
    const last = `${TRACKS} ${title(TRACKS)}.flac`;
    expect(statSync(folder).isDirectory()).toBe(true);
    const original = join(m.music, names.at(-1)!);
    const r = spawnSync(PY, ['-c', LISTER, folder, last, original, process.execPath, CLI, m.home], {
      encoding: 'utf8',
      timeout: 60_000, // a hung mount must fail the test, not block its process
    });
    expect(r.stderr).toBe('');
    const [first, rest] = r.stdout.trim().split(' ').map(Number);
    expect(first! + rest!).toBe(TRACKS + 2); // "." and ".." too
  });
});
