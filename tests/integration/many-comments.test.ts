// A file may carry any number of comments: 200,000 ARTIST values in an Opus, Ogg Vorbis, FLAC, M4A or
// WavPack file are read in time linear in their number. Before, Ogg, M4A and APEv2 tags went through
// music-metadata, whose common view looks each new artist up among all the previous ones (and joins them
// all again): 100k took 13–15 s, 200k about a minute, with the scan's worker busy all along.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWav, mutagenTag } from '../fixtures/library.ts';
import { hashTree, tempDir } from '../helpers.ts';

const VALUES = 200_000;
/** Far beyond the few seconds a linear reader needs here, far below a quadratic one's minute. */
const DEADLINE_MS = 20_000;
const CLI = join(import.meta.dirname, '../../app/cli/sleeve.js');

function run(home: string, args: readonly string[]): string {
  const r = spawnSync(process.execPath, [CLI, '--home', home, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: DEADLINE_MS,
  });
  expect(r.error?.message ?? r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe(`a file with ${VALUES} ARTIST comments`, () => {
  // Each format's tag, as mutagen writes it: Vorbis comments, an iTunes item with one data atom per value,
  // an APEv2 item with its values separated by NULs.
  const TAGGING: Record<string, { kind: string; key: string; prefix: string }> = {
    opus: { kind: 'vorbis_comments', key: 'ARTIST', prefix: 'artist' },
    ogg: { kind: 'vorbis_comments', key: 'ARTIST', prefix: 'artist' },
    flac: { kind: 'vorbis_comments', key: 'ARTIST', prefix: 'artist' },
    m4a: { kind: 'mp4', key: '©ART', prefix: 'art' },
    wv: { kind: 'apev2', key: 'Artist', prefix: 'artist' },
  };
  const CODECS: Record<string, string> = { opus: 'libopus', ogg: 'libvorbis', m4a: 'aac', wv: 'wavpack' };
  it.each(Object.keys(TAGGING))(
    'in %s is scanned and shown in linear time',
    (ext) => {
      const music = join(tempDir(), 'music');
      mkdirSync(music);
      const wav = join(tempDir(), 'tone.wav');
      makeWav(wav, 440, 1, 48000, 1);
      const file = join(music, `artists.${ext}`);
      if (ext === 'flac') execFileSync('flac', ['--silent', '-f', '-o', file, wav]);
      else execFileSync('ffmpeg', ['-loglevel', 'error', '-i', wav, '-c:a', CODECS[ext]!, file]);
      const { kind, key, prefix } = TAGGING[ext]!;
      mutagenTag([{ kind, path: file, generated: { [key]: VALUES } }]);
      const before = hashTree(music);
      const home = join(tempDir(), 'home');
      expect(run(home, ['scan', '--no-fingerprint', '--no-embeddings', music])).toMatch(
        /^1 added, .* 0 errors /,
      );
      const info = JSON.parse(run(home, ['info', '1', '--json'])) as {
        fields: Array<{ key: string; effective: string[] }>;
      };
      const artists = info.fields.find((f) => f.key === 'artist')?.effective ?? [];
      expect(artists.length).toBe(VALUES);
      expect([artists[0], artists[VALUES - 1]]).toEqual([`${prefix} 0`, `${prefix} ${VALUES - 1}`]);
      expect(run(home, ['ls', `artist:"${prefix} ${VALUES - 1}"`, '-f', '$id'])).toBe('1\n');
      expect(hashTree(music)).toEqual(before);
    },
    90_000,
  );
});
