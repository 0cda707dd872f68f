// What a scan records for damaged headers: a reason about the file, never a JavaScript engine's error
// from a parser that went past its data (cases the fuzz test found).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrack } from '../../app/core/media/read-track.ts';
import { fixOggChecksums } from '../fixtures/fuzz-mutate.ts';
import { copyFixtures, tempDir } from '../helpers.ts';

const ogg = readFileSync(join(copyFixtures(), 'Gamma/vorbis.ogg'));
const firstPage = 27 + ogg[26]! + ogg.subarray(27, 27 + ogg[26]!).reduce((a, b) => a + b, 0);
const dir = tempDir();

async function reason(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  try {
    await readTrack(path, new Set());
    return 'read';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('a damaged Ogg Vorbis file', () => {
  it('cut inside its comment header is truncated (music-metadata parsed the partial packet: a RangeError)', async () => {
    expect(await reason('cut.ogg', ogg.subarray(0, firstPage + 100))).toBe(
      'truncated: the file ends inside its Ogg headers',
    );
  });

  it('whose comment length reaches past the packet is corrupt, where music-metadata reads it', async () => {
    const bytes = Buffer.from(ogg);
    const header = bytes.indexOf('\x03vorbis', 0, 'latin1') + 7;
    bytes.writeUInt32LE(0xffffff, header + 4 + bytes.readUInt32LE(header) + 4); // the first comment's length
    // A second stream's first page among the headers: Sleeve's reader leaves the file to music-metadata.
    const other = Buffer.from(bytes.subarray(0, firstPage));
    other.writeUInt32LE(other.readUInt32LE(14) + 1, 14);
    const twoStreams = Buffer.concat([bytes.subarray(0, firstPage), other, bytes.subarray(firstPage)]);
    fixOggChecksums(twoStreams);
    expect(await reason('long-comment.ogg', twoStreams)).toBe(
      'corrupt: a size or count in its headers reaches past their end',
    );
  });
});
