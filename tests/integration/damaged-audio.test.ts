// A file damaged in the middle (bytes that are not audio where frames should be) decodes past the damage,
// and says so: the scan's analysis records what the decoder said and where in the audio, so
// `status:warning`, `ls --errors` and the app's Status column show it; its undamaged twin says nothing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { sleeveHere, tempDir, tool } from '../helpers.ts';

/** Deterministic bytes that are not MPEG audio (no 0xFF, so no frame sync among them). */
const garbage = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + 7) % 255));

describe('an MP3 damaged in the middle', () => {
  const music = join(tempDir(), 'music');
  const home = join(tempDir(), 'home');

  beforeAll(() => {
    mkdirSync(music);
    const wav = join(tempDir(), 'tone.wav');
    makeWav(wav, 440, 20);
    const whole = join(music, 'whole.mp3');
    tool('lame', ['--quiet', '-b', '192', wav, whole]);
    const bytes = readFileSync(whole);
    const mid = Math.floor(bytes.length / 2);
    writeFileSync(
      join(music, 'damaged.mp3'),
      Buffer.concat([bytes.subarray(0, mid), garbage(64 * 1024), bytes.subarray(mid)]),
    );
    expect(sleeveHere(home, ['scan', '--no-embeddings', music]).status).toBe(0);
  });

  it('is listed with what the decoder said and where; the whole one is not', () => {
    const errors = sleeveHere(home, ['ls', '--errors']).stdout.trim().split('\n');
    expect(errors).toEqual([
      expect.stringMatching(
        / {2}warning {2}\S+\/damaged\.mp3: the decoder reported: \[mp3float\] Header missing \((\d+ times, the first )?at 0:(09|10)\)$/,
      ),
    ]);
    expect(sleeveHere(home, ['ls', 'status:warning', '-f', '$path']).stdout).toContain('damaged.mp3');
  });
});
