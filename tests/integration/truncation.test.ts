// A cut file holds less audio than its headers declare: it is listed with a warning saying so and with the
// length of the audio really there, and its uncut twin is listed without one.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

interface Info {
  status: string;
  duration: number;
  warning: string | null;
}

/** The first `bytes` bytes of `from`, as a new file. */
function cut(from: string, to: string, bytes: number): void {
  writeFileSync(to, readFileSync(from).subarray(0, bytes));
}

describe('truncated files', () => {
  let home: string;
  let music: string;

  beforeAll(() => {
    music = join(tempDir(), 'music');
    mkdirSync(music);
    const wav = join(tempDir(), 'tone.wav');
    makeWav(wav, 440, 60);
    const quiet = ['-loglevel', 'error', '-y', '-i', wav];
    tool('flac', ['--silent', '-f', '-o', join(music, 'whole.flac'), wav]);
    tool('lame', ['--quiet', '-V', '4', wav, join(music, 'whole.mp3')]);
    tool('ffmpeg', [...quiet, '-c:a', 'libvorbis', join(music, 'whole.ogg')]);
    tool('ffmpeg', [...quiet, '-c:a', 'libopus', join(music, 'whole.opus')]);
    // mdat after moov (faststart), as players need for a cut file to play at all.
    tool('ffmpeg', [...quiet, '-c:a', 'aac', '-movflags', '+faststart', join(music, 'whole.m4a')]);
    for (const ext of ['flac', 'mp3', 'ogg', 'opus', 'm4a']) {
      const whole = join(music, `whole.${ext}`);
      cut(whole, join(music, `cut.${ext}`), Math.floor(readFileSync(whole).length * 0.4));
    }
    copyFileSync(join(music, 'whole.flac'), join(music, 'copy.flac'));
    // 24-bit 96 kHz noise in blocks of 16,384: frames of ~40 KB, more than the first tail read holds two of.
    const noise = join(tempDir(), 'noise.wav');
    tool('sox', ['-n', '-r', '96000', '-b', '24', '-c', '2', noise, 'synth', '20', 'whitenoise']);
    tool('flac', ['--silent', '-f', '--blocksize=16384', '-o', join(music, 'whole-hires.flac'), noise]);
    const hires = join(music, 'whole-hires.flac');
    cut(hires, join(music, 'cut-hires.flac'), Math.floor(readFileSync(hires).length * 0.4));
    home = join(tempDir(), 'home');
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
  }, 120_000);

  const info = (name: string): Info => {
    const [item] = sleeveHereJson<Array<{ id: number }>>(home, ['ls', `path:"${name}"`, '--json']);
    return sleeveHereJson<Info>(home, ['info', String(item!.id), '--json']);
  };

  it.each(['flac', 'mp3', 'ogg', 'opus', 'm4a'])(
    'a whole %s file has no warning and its full length',
    (ext) => {
      const whole = info(`whole.${ext}`);
      expect([ext, whole.status, whole.warning]).toEqual([ext, 'ok', null]);
      expect(whole.duration).toBeCloseTo(60, 0);
    },
  );

  it.each([
    ['flac', /^truncated: \d+% of the audio STREAMINFO declares is there$/],
    ['mp3', /^truncated: \d+% of the MPEG audio its header declares is there$/],
    ['ogg', /^truncated: the Ogg stream stops before its last page$/],
    ['opus', /^truncated: the Ogg stream stops before its last page$/],
    ['m4a', /^truncated: the mdat box holds \d+% of its declared \d+ bytes$/],
  ])('a cut %s file is listed with the reason and the length really there', (ext, reason) => {
    const c = info(`cut.${ext}`);
    expect(c.status).toBe('ok');
    expect(c.warning).toMatch(reason);
    // 40% of the bytes: between a quarter and a half of the minute (headers and bitrates vary).
    expect(c.duration).toBeGreaterThan(15);
    expect(c.duration).toBeLessThan(30);
  });

  it('finds a cut FLAC whose frames are larger than the first tail it reads, and leaves the whole one be', () => {
    const whole = info('whole-hires.flac');
    expect([whole.status, whole.warning]).toEqual(['ok', null]);
    expect(whole.duration).toBeCloseTo(20, 0);
    const c = info('cut-hires.flac');
    expect(c.warning).toMatch(/^truncated: \d+% of the audio STREAMINFO declares is there$/);
    expect(c.duration).toBeGreaterThan(6);
    expect(c.duration).toBeLessThan(10);
  });

  it('is found with status:truncated and listed by ls --errors with its reason; status:ok leaves it out', () => {
    const names = (...args: string[]) =>
      sleeveHere(home, ['ls', ...args])
        .stdout.split('\n')
        .filter(Boolean)
        .map((line) => line.replace(/.*\//, ''))
        .sort();
    const cuts = [
      'cut-hires.flac',
      ...['flac', 'm4a', 'mp3', 'ogg', 'opus'].map((ext) => `cut.${ext}`),
    ].sort();
    expect(names('status:truncated', '--all-copies', '-f', '$path')).toEqual(cuts);
    expect(names('status:ok', '--all-copies', '-f', '$path')).toEqual(
      ['copy.flac', ...cuts.map((c) => c.replace('cut', 'whole'))].sort(),
    );
    const errors = sleeveHere(home, ['ls', '--errors']).stdout.trim().split('\n');
    expect(errors).toHaveLength(6);
    for (const line of errors)
      expect(line).toMatch(/^\d+ {2}truncated {2}\S+\/cut(-hires)?\.\w+: truncated: /);
  });
});
