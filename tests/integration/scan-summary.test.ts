// What a scan says at its end: the whole run's time (every phase, not only reading tags), and a folder
// that holds no audio said so and not kept as a library folder (a mistyped folder does not linger in the
// stats and the mount's roots).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeNoise, makeWav } from '../fixtures/library.ts';
import { sleeveHere, tempDir, tool } from '../helpers.ts';

describe('the end of a scan', () => {
  it('says a folder without audio holds none, and does not keep it as a library folder', () => {
    const home = join(tempDir(), 'home');
    const papers = join(tempDir(), 'papers');
    mkdirSync(papers);
    writeFileSync(join(papers, 'notes.txt'), 'no music here');
    const r = sleeveHere(home, ['scan', '--no-embeddings', papers]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`no audio files in ${papers}: it was not added to the library`);
    const json = JSON.parse(
      sleeveHere(home, ['scan', '--json', '--no-embeddings', papers]).stdout.trim().split('\n').at(-1)!,
    );
    expect(json.empty).toEqual([papers]);
    expect(JSON.parse(sleeveHere(home, ['stats', '--json']).stdout).roots).toEqual([]);
  });

  it('does not take a folder inside the library, full of its tracks, for an empty one', () => {
    const home = join(tempDir(), 'home');
    const music = join(tempDir(), 'music');
    makeWav(join(music, 'jazz', 'a.wav'), 440, 1);
    expect(sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    const again = sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', join(music, 'jazz')]);
    expect(again.stderr).not.toContain('no audio files');
  });

  it('gives the whole run’s time, every phase included', () => {
    const home = join(tempDir(), 'home');
    const music = join(tempDir(), 'music');
    makeWav(join(music, 'a.wav'), 440, 3);
    const out = sleeveHere(home, ['scan', '--json', '--no-embeddings', music])
      .stdout.trim()
      .split('\n')
      .at(-1)!;
    const json = JSON.parse(out) as {
      seconds: number;
      totalSeconds: number;
      analysis: { seconds: number };
      empty: string[];
    };
    expect(json.totalSeconds).toBeGreaterThanOrEqual(json.seconds + json.analysis.seconds);
    expect(json.empty).toEqual([]);
    expect(sleeveHere(home, ['scan', '--no-embeddings', music]).stdout).toMatch(
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
        sleeveHere(home, ['scan', '--json', '--no-fingerprint', '--no-embeddings', '--no-loudness', music])
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

  it('reads a file whose header sizes lie (past the end, or zero) as little as any other, and says what is wrong', () => {
    const home = join(tempDir(), 'home');
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    const wav = join(tempDir(), 'tone.wav');
    makeWav(wav, 440, 5);
    const mp3 = join(tempDir(), 'tone.mp3');
    const flac = join(tempDir(), 'tone.flac');
    tool('lame', ['--quiet', '-b', '128', '--tt', 'Tone', '--add-id3v2', wav, mp3]);
    tool('flac', ['--silent', '-f', '-T', 'TITLE=Tone', '-o', flac, wav]);
    const syncsafe = (n: number) =>
      Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
    const withBytes = (source: string, name: string, at: number, bytes: Buffer) => {
      const b = readFileSync(source);
      bytes.copy(b, at);
      writeFileSync(join(music, name), b);
    };
    withBytes(mp3, 'id3-past-end.mp3', 6, syncsafe(200_000_000)); // the ID3v2 header's size
    withBytes(mp3, 'id3-empty.mp3', 6, syncsafe(0));
    withBytes(flac, 'streaminfo-huge.flac', 5, Buffer.from([0xff, 0xff, 0xff])); // STREAMINFO's length
    // The block after STREAMINFO (flac writes the comment or padding there) says it runs 8 MiB on.
    withBytes(flac, 'block-past-end.flac', 4 + 4 + 34 + 1, Buffer.from([0x7f, 0xff, 0xff]));
    const summary = JSON.parse(
      sleeveHere(home, ['scan', '--json', '--no-fingerprint', '--no-embeddings', '--no-loudness', music])
        .stdout.trim()
        .split('\n')
        .at(-1)!,
    );
    expect(summary).toMatchObject({ filesRead: 4, added: 1, errors: 3 });
    expect(summary.bytesReadPerFile).toBeLessThanOrEqual(64 * 1024);
    const errors = sleeveHere(home, ['ls', '--errors']).stdout.trim().split('\n');
    const reason = (name: string) => errors.find((l) => l.includes(`/${name}: `))?.split(`/${name}: `)[1];
    expect(reason('id3-past-end.mp3')).toBe('truncated: the ID3v2 tag runs past the end of the file');
    expect(reason('streaminfo-huge.flac')).toBe(
      'invalid FLAC: STREAMINFO says it holds 16777215 bytes, not 34',
    );
    expect(reason('block-past-end.flac')).toBe(
      'truncated: a FLAC metadata block runs past the end of the file',
    );
    // A tag that says it is empty: its frames are read all the same, the MPEG audio after them found.
    expect(reason('id3-empty.mp3')).toBeUndefined();
    expect(JSON.parse(sleeveHere(home, ['ls', '--json', 'path:id3-empty']).stdout)).toMatchObject([
      { status: 'ok', format: 'mp3', tags: { title: ['Tone'] } },
    ]);
  });
});
