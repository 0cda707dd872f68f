// What a scan says at its end: the whole run's time (every phase, not only reading tags), and a folder
// that holds no audio said so and not kept as a library folder (a mistyped folder does not linger in the
// stats and the mount's roots).
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeNoise, makeWav } from '../fixtures/library.ts';
import { sleeve, tempDir, tool } from '../helpers.ts';

describe('the end of a scan', () => {
  it('says a folder without audio holds none, and does not keep it as a library folder', () => {
    const home = join(tempDir(), 'home');
    const papers = join(tempDir(), 'papers');
    mkdirSync(papers);
    writeFileSync(join(papers, 'notes.txt'), 'no music here');
    const r = sleeve(home, ['scan', '--no-embeddings', papers]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`no audio files in ${papers}: it was not added to the library`);
    const json = JSON.parse(
      sleeve(home, ['scan', '--json', '--no-embeddings', papers]).stdout.trim().split('\n').at(-1)!,
    );
    expect(json.empty).toEqual([papers]);
    expect(JSON.parse(sleeve(home, ['stats', '--json']).stdout).roots).toEqual([]);
  });

  it('does not take a folder inside the library, full of its tracks, for an empty one', () => {
    const home = join(tempDir(), 'home');
    const music = join(tempDir(), 'music');
    makeWav(join(music, 'jazz', 'a.wav'), 440, 1);
    expect(sleeve(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    const again = sleeve(home, ['scan', '--no-fingerprint', '--no-embeddings', join(music, 'jazz')]);
    expect(again.stderr).not.toContain('no audio files');
  });

  it('gives the whole run’s time, every phase included', () => {
    const home = join(tempDir(), 'home');
    const music = join(tempDir(), 'music');
    makeWav(join(music, 'a.wav'), 440, 3);
    const out = sleeve(home, ['scan', '--json', '--no-embeddings', music]).stdout.trim().split('\n').at(-1)!;
    const json = JSON.parse(out) as {
      seconds: number;
      totalSeconds: number;
      analysis: { seconds: number };
      empty: string[];
    };
    expect(json.totalSeconds).toBeGreaterThanOrEqual(json.seconds + json.analysis.seconds);
    expect(json.empty).toEqual([]);
    expect(sleeve(home, ['scan', '--no-embeddings', music]).stdout).toMatch(
      /^scan done in \d+\.\ds in all$/m,
    );
  });

  it('reads only what tags and its checks need of each file, whatever its size, and nothing of unchanged ones', () => {
    const home = join(tempDir(), 'home');
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    const noise = join(tempDir(), 'noise.wav');
    makeNoise(noise, 90, 'pinknoise');
    tool('flac', ['--silent', '-f', '-T', 'TITLE=long', '-o', join(music, 'long.flac'), noise]);
    tool('lame', ['--quiet', '-b', '320', '--tt', 'long', noise, join(music, 'long.mp3')]);
    const sizes = ['long.flac', 'long.mp3'].map((f) => statSync(join(music, f)).size);
    const scan = (): { filesRead: number; bytesRead: number; bytesReadPerFile: number } =>
      JSON.parse(
        sleeve(home, ['scan', '--json', '--no-fingerprint', '--no-embeddings', '--no-loudness', music])
          .stdout.trim()
          .split('\n')
          .at(-1)!,
      );
    const first = scan();
    expect(first.filesRead).toBe(2);
    // Megabytes of audio each; the tags, the properties and the truncation checks take a few KiB.
    expect(Math.min(...sizes)).toBeGreaterThan(3_000_000);
    expect(first.bytesReadPerFile).toBeLessThanOrEqual(64 * 1024);
    expect(first.bytesRead).toBe(first.bytesReadPerFile * 2);
    expect(scan()).toMatchObject({ filesRead: 0, bytesRead: 0, bytesReadPerFile: 0 });
  });
});
