// A file's close is sent to its lane's thread with the next operation: a folder's files opened one after
// the other (the layouts a mount builds ahead, a scan) wake the thread once a file, not twice. A close
// that nothing follows goes alone once the event loop's turn has ended.
import { fstatSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileLanes } from '../../kit/file-lanes.ts';

/** Whether descriptor `fd` still names `path`: closed, or its number taken by another file (this process's
 *  other test threads open files too), it does not. */
function holds(fd: number, path: string): boolean {
  try {
    return fstatSync(fd).ino === statSync(path).ino;
  } catch {
    return false; // EBADF
  }
}

describe('a file lane closing files', () => {
  let dir: string;
  let lanes: FileLanes;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sleeve-lane-closes-'));
    for (const name of ['a', 'b', 'c']) writeFileSync(join(dir, name), name.repeat(100));
    lanes = new FileLanes();
  });
  afterAll(async () => {
    await lanes.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a close with the next open, in one message', async () => {
    const a = await lanes.open(join(dir, 'a'), { head: 10 });
    const before = lanes.sent;
    a.close();
    const b = await lanes.open(join(dir, 'b'), { head: 10 });
    expect(lanes.sent - before).toBe(1); // the open, carrying a's close
    expect(holds(a.fd, join(dir, 'a'))).toBe(false); // closed before b was opened
    expect(b.head.toString()).toBe('b'.repeat(10));
    b.close();
  });

  it('sends a close alone when no operation follows, and closes the file', async () => {
    const c = await lanes.open(join(dir, 'c'));
    const before = lanes.sent;
    c.close();
    expect(lanes.sent).toBe(before); // not in this turn: an open may follow
    await vi.waitFor(() => expect(holds(c.fd, join(dir, 'c'))).toBe(false));
    expect(lanes.sent - before).toBe(1);
  });

  it('runs a close after every operation asked before it, however many wait', async () => {
    const a = await lanes.open(join(dir, 'a'));
    const stats = Array.from({ length: 40 }, () => lanes.stat(dir)); // more than the thread is handed at once
    const read = a.read(0, 5);
    a.close();
    const b = await lanes.open(join(dir, 'b'));
    expect((await read).toString()).toBe('aaaaa'); // not EBADF, nor another file's bytes
    await Promise.all(stats);
    b.close();
  });

  // Here, in a worker thread, the lane's thread closes it as it ends, and its close is not sent again: a
  // thread started for it once closed the number its own epoll set had taken, and libuv aborted this
  // process. Where lane threads leave their descriptors open: file-lanes-fds.test.ts.
  it('closes a file closed as its lanes close', async () => {
    const own = new FileLanes();
    const c = await own.open(join(dir, 'c'));
    c.close();
    await own.close(); // in the same turn: no operation came to carry the close
    await vi.waitFor(() => expect(holds(c.fd, join(dir, 'c'))).toBe(false));
  });
});
