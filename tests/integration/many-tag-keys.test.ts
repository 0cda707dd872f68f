// A file may carry any number of distinct tag keys (a crafted 1.2 MB FLAC holds 50,000): every request
// about it costs time linear in its keys. Before, `sleeve info` on it ran for minutes (a lookup per key
// over all keys) and froze the backend's track details the same way.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { sleeveHere, tempDir, tool } from '../helpers.ts';

const KEYS = 50_000;

describe('a file with 50,000 tag keys', () => {
  it('is scanned, shown and edited in linear time', () => {
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    const wav = join(tempDir(), 'tone.wav');
    makeWav(wav, 440, 1, 44100, 1);
    const flac = join(music, 'keys.flac');
    tool('flac', ['--silent', '-f', '-o', flac, wav]);
    const tags = join(tempDir(), 'tags.txt');
    writeFileSync(tags, Array.from({ length: KEYS }, (_, i) => `KEY${i}=value ${i}\n`).join(''));
    execFileSync('metaflac', [`--import-tags-from=${tags}`, flac]);
    const home = join(tempDir(), 'home');
    expect(sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    const cli = join(import.meta.dirname, '../../app/cli/sleeve.js');
    const run = spawnSync(process.execPath, [cli, '--home', home, 'info', '1', '--json'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    expect(run.status).toBe(0);
    const info = JSON.parse(run.stdout) as { fields: Array<{ key: string; effective: string[] }> };
    expect(info.fields.length).toBeGreaterThanOrEqual(KEYS);
    expect(info.fields.find((f) => f.key.toLowerCase() === 'key49999')?.effective).toEqual(['value 49999']);
    expect(sleeveHere(home, ['set', 'id:1', 'key123=edited', '-y']).status).toBe(0);
    expect(sleeveHere(home, ['ls', 'key123:edited', '-f', '$id $key123']).stdout).toBe('1 edited\n');
  }, 60_000);

  it('is decoded for loudness without its tags (FLAC), or refused when they would be read (Ogg)', () => {
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    const wav = join(tempDir(), 'tone.wav');
    makeWav(wav, 440, 1, 44100, 1);
    const tags = join(tempDir(), 'tags.txt');
    writeFileSync(tags, Array.from({ length: KEYS }, (_, i) => `KEY${i}=value ${i}\n`).join(''));
    tool('flac', ['--silent', '-f', '-o', join(music, 'keys.flac'), wav]);
    execFileSync('metaflac', [`--import-tags-from=${tags}`, join(music, 'keys.flac')]);
    tool('oggenc', ['--quiet', '-o', join(music, 'keys.ogg'), wav]);
    execFileSync('vorbiscomment', ['-w', '-c', tags, join(music, 'keys.ogg')]);
    const home = join(tempDir(), 'home');
    // FFmpeg reading 50,000 fields took 29 s a file: the scan's analysis reads neither file's.
    expect(sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    const ids = sleeveHere(home, ['ls', '-f', '$path $id']).stdout;
    const info = (file: string) =>
      sleeveHere(home, ['info', new RegExp(`${file} (\\d+)`).exec(ids)![1]!]).stdout;
    expect(info('keys.flac')).toMatch(/loudness\s+-?\d+\.\d+ dB/);
    expect(info('keys.ogg')).toContain('its tags hold 50,000 fields, more than the 10,000');
  }, 60_000);
});
