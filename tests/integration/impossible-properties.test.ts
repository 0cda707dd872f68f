// What a header claims is kept only within what audio can be: an MP3 whose Xing header counts 4 billion
// frames (a 3.5-year "length") is listed with its length unknown and a warning, not summed into totals.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

describe('impossible numbers in headers', () => {
  it('are dropped with a warning, never stored as facts', () => {
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    const wav = join(tempDir(), 'tone.wav');
    makeWav(wav, 440, 2);
    const mp3 = join(music, 'forever.mp3');
    tool('lame', ['--quiet', '-b', '128', wav, mp3]);
    const bytes = readFileSync(mp3);
    const xing = bytes.indexOf('Info') >= 0 ? bytes.indexOf('Info') : bytes.indexOf('Xing');
    expect(xing).toBeGreaterThan(0);
    bytes.writeUInt32BE(0xffffffff, xing + 8); // the frame count
    writeFileSync(mp3, bytes);
    const home = join(tempDir(), 'home');
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    const info = sleeveHereJson<{ status: string; duration: number | null; warning: string | null }>(home, [
      'info',
      '1',
      '--json',
    ]);
    expect(info.status).toBe('ok');
    expect(info.duration).toBeNull();
    expect(info.warning).toMatch(/^the file claims an impossible duration \(\d+(\.\d+)? s\): ignored/);
    expect(sleeveHere(home, ['stats']).stdout).not.toMatch(/\d{4,} h/);
  });
});
