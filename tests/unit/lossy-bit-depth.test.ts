// A lossy file has no bit depth: an AAC listed 16, its MP4's sample-size field, so `bitdepth:16` listed
// every AAC and a copy could be kept for "16-bit over ?-bit". Lossless files (ALAC) keep theirs, and so do
// WavPack's lossy (hybrid) files, whose own reader reads the depth their source had.
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { readTrack } from '../../app/core/media/read-track.ts';
import { ffmpegEncode } from '../fixtures/library.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { olderLibrary } from '../fixtures/older-library.ts';
import { tempDir } from '../helpers.ts';

let dir: string;
beforeAll(() => {
  dir = tempDir();
  writeWav(join(dir, 'source.wav'), synthesizePiece(1, 1));
  ffmpegEncode(join(dir, 'source.wav'), join(dir, 'aac.m4a'), ['-c:a', 'aac', '-b:a', '96k'], {});
  ffmpegEncode(join(dir, 'source.wav'), join(dir, 'alac.m4a'), ['-c:a', 'alac'], {});
});

it('reads no bit depth for an AAC, and an ALAC its own', async () => {
  const aac = await readTrack(join(dir, 'aac.m4a'), new Set());
  expect(aac).toMatchObject({ codec: expect.stringMatching(/AAC/), lossless: false, bitDepth: null });
  const alac = await readTrack(join(dir, 'alac.m4a'), new Set());
  expect(alac).toMatchObject({ codec: 'ALAC', lossless: true, bitDepth: 16 });
});

it("takes a library's lossy files' bit depth away, WavPack's and lossless files' kept", () => {
  const { file, old } = olderLibrary(54);
  old.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)`);
  const add = old.prepare(
    `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at, format, lossless, bit_depth)
     VALUES (?, 1, ?, 1, 0, ?, 'ok', 0, 0, ?, ?, ?)`,
  );
  add.run(1, '/music/a.m4a', 1, 'm4a', 0, 16);
  add.run(2, '/music/b.m4a', 2, 'm4a', 1, 24);
  add.run(3, '/music/c.wv', 3, 'wavpack', 0, 16);
  add.run(4, '/music/d.mp3', 4, 'mp3', 0, null);
  old.close();
  const db = openDatabase(file);
  try {
    expect(db.prepare('SELECT bit_depth FROM files ORDER BY id').pluck().all()).toEqual([null, 24, 16, null]);
  } finally {
    db.close();
  }
});
