// A scan's grouping opens the embedded fingerprint index for its own time and closes it at the scan's end.
// The merges its segments call for must still happen: a merge in flight when the engine closed was thrown
// away, and started again (and thrown away) by every short scan after it, so a library scanned a few files
// at a time only ever gained segments.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { RECORDINGS_INDEX } from '../../app/core/fingerprint/recording-groups.ts';
import { ensureHome, resolveHome } from '../../app/core/home.ts';
import { KeptScanWorkers } from '../../app/core/scan/kept-scan-workers.ts';
import { DEFAULT_INDEX_OPTIONS } from '../../index-engine/index-options.ts';
import { readManifest } from '../../index-engine/manifest.ts';
import { groupingScan } from '../fixtures/grouping-scan.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { tempDir } from '../helpers.ts';

/** Small segments that merge into one (ten). */
const SEGMENTS_PER_LEVEL = DEFAULT_INDEX_OPTIONS.fileMerges.segmentsPerLevel;

it('leaves its index with the merge its last checkpoint called for done, however short the scan', async () => {
  const home = resolveHome(tempDir());
  ensureHome(home);
  const db = openDatabase(home.database);
  const music = tempDir();
  const index = join(home.indexes, RECORDINGS_INDEX);
  const segments: number[] = [];
  const merging: number[] = []; // the scans that said they merged the index
  const kept = new KeptScanWorkers(1); // as the app's scans and a watcher's looks: the threads kept
  try {
    for (let i = 0; i < SEGMENTS_PER_LEVEL; i++) {
      // One new recording a scan: one checkpoint, one small segment.
      writeWav(join(music, `${i}.wav`), synthesizePiece(900 + i, 4));
      const scanned = await groupingScan(db, home, music, {
        onProgress: (p) => {
          if (p.phase === 'merge') merging.push(i);
        },
        ...kept.forScan,
      });
      expect(scanned.grouping?.grouped).toBe(1);
      segments.push(readManifest(index).segments.length);
    }
  } finally {
    db.close();
    await kept.close();
  }
  // The tenth segment's merge done before the scan that made it ended; none left behind on disk.
  const added = Array.from({ length: SEGMENTS_PER_LEVEL - 1 }, (_, i) => i + 1);
  expect(segments).toEqual([...added, 1]);
  expect(merging).toEqual([SEGMENTS_PER_LEVEL - 1]); // said once, by the scan that waited
  expect(readdirSync(index).filter((f) => f.endsWith('.seg'))).toHaveLength(1);
});
