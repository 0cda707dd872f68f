// File lanes a long-lived process holds: one per mount in use. A lane whose thread stopped for want of work
// is let go, so the lanes of mounts met once (a disk unplugged, a test's mount) do not pile up; one with a
// file open keeps its thread, whose end would close the file's descriptor in a thread that tracks them —
// as this one does (vitest's unit tests run in worker threads, Node's default), and as a pool's do.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileLanes } from '../../kit/file-lanes.ts';

/** A lane's idle time before its thread stops (kit/file-lanes.ts). */
const IDLE_MS = 30_000;

describe('file lanes held', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets go of an idle lane; one with a file open keeps its thread and the file until it is closed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const lanes = new FileLanes();
    try {
      expect(await lanes.stat('/')).toBeDefined(); // the root file system's lane
      const file = await lanes.open('/proc/self/status'); // /proc's lane
      expect(lanes.mounts.sort()).toEqual(['/', '/proc']);

      vi.advanceTimersByTime(IDLE_MS);
      expect(lanes.mounts).toEqual(['/proc']); // the root's went; /proc's holds an open file
      expect((await file.read(0, 5)).toString()).toBe('Name:'); // still open (EBADF had its thread ended)

      file.close();
      await lanes.stat('/proc/self'); // after the close, in the same lane
      vi.advanceTimersByTime(IDLE_MS);
      expect(lanes.mounts).toEqual([]);

      expect(await lanes.stat('/')).toBeDefined(); // a lane let go is made again when needed
      expect(lanes.mounts).toEqual(['/']);

      // A file handed over (to the mount's binding) is the taker's: its lane goes idle. Not closed here:
      // in this thread, which tracks descriptors, the lane's thread closes it as it ends.
      await lanes.open('/proc/self/status').then((taken) => taken.handOver());
      vi.advanceTimersByTime(IDLE_MS);
      expect(lanes.mounts).toEqual([]);
    } finally {
      await lanes.close();
    }
  });
});
