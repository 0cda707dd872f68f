// Damaged M4A files are refused in the scan's own words, as every other format's are, not in the parsing
// library's ("Atom size exceeds remaining bytes", "FourCC contains invalid characters").
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrack } from '../../app/core/media/read-track.ts';
import { ffmpegEncode, makeWav } from '../fixtures/library.ts';
import { tempDir } from '../helpers.ts';

describe('damaged M4A files', () => {
  const dir = tempDir();
  const wav = join(dir, 'tone.wav');
  makeWav(wav, 440, 1);
  const good = join(dir, 'good.m4a');
  ffmpegEncode(wav, good, ['-c:a', 'aac', '-b:a', '64k'], {});
  const bytes = readFileSync(good);
  const at = (box: string) => bytes.indexOf(box, 0, 'latin1');
  const damaged = (name: string, damage: (b: Buffer) => Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, damage(Buffer.from(bytes)));
    return readTrack(path, new Set()).then(
      () => 'read',
      (err: Error) => err.message,
    );
  };

  it('are refused with what is wrong, in plain words', async () => {
    const huge = await damaged('huge.m4a', (b) => {
      b.writeUInt32BE(0xffffffff, at('moov') - 4);
      return b;
    });
    expect(huge).toMatch(/^corrupt: an MP4 box says it holds 4294967295 bytes where \d+ remain$/);
    const inner = await damaged('inner.m4a', (b) => {
      b.writeUInt32BE(0x7fff, at('mvhd') - 4);
      return b;
    });
    const cut = await damaged('cut.m4a', (b) => b.subarray(0, at('moov') + 20));
    for (const reason of [huge, inner, cut]) {
      expect(reason).toMatch(/^(corrupt|truncated): /);
      expect(reason).not.toMatch(/Atom|FourCC|DataView|Offset/);
    }
  });
});
