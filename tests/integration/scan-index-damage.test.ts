// The fingerprint index's blocks are checked a page at a time when a search first reads them, not when the
// index opens (segment-file-format.ts). A scan whose grouping meets a damaged page must still group: the
// engine (or the remote's server) sets the index aside, and grouping makes it again with every group
// recomputed, in the same scan; what it had found before (files that left their groups) still said.

import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { RECORDINGS_INDEX } from '../../app/core/fingerprint/recording-groups.ts';
import { remoteIndexName } from '../../app/core/fingerprint/remote-indexes.ts';
import { ensureHome, resolveHome } from '../../app/core/home.ts';
import { IndexEngine } from '../../index-engine/engine-client.ts';
import { createIndexServer } from '../../index-engine/http/server.ts';
import { decodeHeader, HEADER_BYTES, sectionOffsets } from '../../index-engine/segment-file-format.ts';
import { groupingScan } from '../fixtures/grouping-scan.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { tempDir } from '../helpers.ts';

/** Flips a byte in every page of the one segment file in `index`; the file's name and damaged bytes. */
function damageEveryPage(index: string): { file: string; bytes: Buffer } {
  const segments = readdirSync(index).filter((f) => f.endsWith('.seg'));
  expect(segments).toHaveLength(1);
  const file = join(index, segments[0]!);
  const bytes = readFileSync(file);
  const h = decodeHeader(bytes, file);
  const page = h.pageBlocks * h.blockSize;
  for (let at = HEADER_BYTES + 5; at < sectionOffsets(h).maxTerms; at += page) bytes[at]! ^= 0x55;
  writeFileSync(file, bytes);
  return { file, bytes };
}

it.each(['embedded', 'remote'] as const)(
  'groups through a damaged page of its %s index, made again',
  async (kind) => {
    const home = resolveHome(tempDir());
    ensureHome(home);
    const db = openDatabase(home.database);
    const music = tempDir();
    // The remote: `sleeve index serve`'s engine and server, in this process.
    const served = tempDir();
    const engine = kind === 'remote' ? await IndexEngine.open(served, { thread: 'caller' }) : undefined;
    const server = engine && createIndexServer(engine);
    await new Promise<void>((r) => (server ? server.listen(0, '127.0.0.1', r) : r()));
    const url = server && `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const scanned = () =>
      groupingScan(db, home, music, { index: url ? { url, format: 'msgpack', retries: 0 } : undefined });
    /** The groups, as sets of file names. */
    const groups = () =>
      (
        db
          .prepare(
            `SELECT group_concat(substr(f.path, length(f.path) - 5), ' ') AS names FROM recording_members m
           JOIN files f ON f.id = m.file_id GROUP BY m.group_id ORDER BY names`,
          )
          .pluck()
          .all() as string[]
      ).map((names) => names.split(' ').sort().join(' '));
    try {
      for (const [name, seed] of [
        ['a1', 1],
        ['a2', 1],
        ['b1', 2],
      ] as const)
        writeWav(join(music, `${name}.wav`), synthesizePiece(700 + seed, 12));
      expect((await scanned()).grouping?.grouped).toBe(3);
      expect(groups()).toEqual(['a1.wav a2.wav', 'b1.wav']);

      // Every page of the index's blocks damaged: whatever the next search reads, it finds one.
      if (engine) await engine.flush(); // the remote's documents in a segment file
      const index = engine
        ? join(served, remoteIndexName(db, undefined))
        : join(home.indexes, RECORDINGS_INDEX);
      const damaged = damageEveryPage(index);

      writeWav(join(music, 'b2.wav'), synthesizePiece(702, 12));
      rmSync(join(music, 'a1.wav'));
      const rescan = await scanned();
      // a1 left its group before the damage was found, and is said to have; the two left are grouped again,
      // into the index made anew, with the new copy.
      expect(rescan.grouping).toMatchObject({ removed: 1, grouped: 3 });
      expect(rescan.grouping?.remade).toMatch(
        kind === 'embedded'
          ? /corrupt: a page of posting blocks does not match its checksum/
          : /500 CorruptSegment/,
      );
      expect(groups()).toEqual(['a2.wav', 'b1.wav b2.wav']);
      if (engine) await engine.flush();
      const now = readdirSync(index).filter((f) => f.endsWith('.seg'));
      expect(now.length).toBeGreaterThan(0);
      expect(now.map((f) => readFileSync(join(index, f)).equals(damaged.bytes))).not.toContain(true);
    } finally {
      db.close();
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
      await engine?.close();
    }
  },
);
