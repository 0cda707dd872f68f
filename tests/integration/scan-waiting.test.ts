// A scan started on a folder that does not answer (a network share whose server went away): the scan's
// state says it is running and what it waits for, instead of "not running" while the start hangs; once the
// share answers again, the scan runs. The share is a FUSE folder whose server the test stops (SIGSTOP).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/core/config.ts';
import { openDatabase } from '../../app/core/db/database.ts';
import { ensureHome, resolveHome } from '../../app/core/home.ts';
import { ScanRunner } from '../../app/server/scan-runner.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { stallingShare } from '../fixtures/stalling-share.ts';
import { tempDir } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

describe('a scan of a folder that does not answer', () => {
  it('is running and says what it waits for, then scans once the folder answers', async () => {
    const dir = tempDir();
    const [source, share] = [join(dir, 'source'), join(dir, 'share')];
    for (const d of [source, share]) mkdirSync(d);
    writeWav(join(source, 'one.wav'), synthesizePiece(1, 5));
    const serving = await stallingShare(source, share);
    const home = resolveHome(join(dir, 'home'));
    ensureHome(home);
    const db = openDatabase(home.database);
    try {
      const said: string[] = [];
      let finished: (failure: string | null) => void = () => {};
      const done = new Promise<string | null>((resolve) => {
        finished = resolve;
      });
      const scans = new ScanRunner(home, loadConfig(home.config), {
        progress: () => {},
        finished: (r) => finished(r.failure),
        waiting: (message) => said.push(message),
      });
      await serving.stall(); // every stat under the share now hangs
      const started = scans.start([share]);
      await waitFor('the scan waiting for the share', () => (scans.state().waiting ? true : undefined));
      expect(scans.state()).toMatchObject({
        running: true,
        folders: [share],
        waiting: `waiting for ${share} to answer`,
      });
      expect(said).toEqual([`waiting for ${share} to answer`]);
      await expect(scans.start([source])).rejects.toThrow(`a scan of ${share} is already running`);
      // Cancel reaches a scan that waits for its folder: it ends, and another can start.
      expect(scans.cancel()).toBe(true);
      await expect(started).rejects.toThrow('the scan was cancelled while its folders were checked');
      expect(scans.state()).toMatchObject({ running: false, waiting: null });
      const again = scans.start([share]);
      await waitFor('the new scan waiting for the share', () => (scans.state().waiting ? true : undefined));
      serving.resume();
      await again;
      expect(await done).toBeNull();
      await waitFor('the scan over', () => (scans.state().running ? undefined : true));
      expect(scans.state()).toMatchObject({ running: false, waiting: null, last: { added: 1 } });
      await scans.stop();
    } finally {
      serving.stop();
      db.close();
    }
  }, 60_000);
});
