// A file may carry any number of tag values: 200,000 ARTIST values in an Opus, Ogg Vorbis, (Ogg) FLAC, M4A,
// WavPack, WAV or AIFF file are read in time linear in their number. Before, all but FLAC went through
// music-metadata, whose common view looks each new artist up among all the previous ones (and joins them
// all again): 100k took 13–15 s, 200k about a minute, with the scan's worker busy all along.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrack } from '../../app/core/media/read-track.ts';
import { makeWav, mutagenTag } from '../fixtures/library.ts';
import { hashTree, sleeveHere, tempDir, tool } from '../helpers.ts';

const VALUES = 200_000;
/** Far beyond the few seconds a linear reader needs here, far below a quadratic one's minute. */
const DEADLINE_MS = 20_000;
/** A `sleeve` command, to its end, run by the CLI's main() in a thread of this process (sleeveHere): what
 *  is tested is each step's work, not a process (a start of Node saved a command). The time that is
 *  guarded is the reader's (a whole command under a full run's load took past 20 s of the same work). */
function run(home: string, args: readonly string[]): string {
  const r = sleeveHere(home, args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** A RIFF LIST/INFO chunk of `count` IART items, appended to a WAV file (its RIFF size updated). */
function appendRiffInfo(file: string, count: number): void {
  const items = Array.from({ length: count }, (_, i) => {
    let value = Buffer.from(`artist ${i}\0`);
    if (value.length % 2) value = Buffer.concat([value, Buffer.alloc(1)]);
    const head = Buffer.alloc(8);
    head.write('IART', 0, 'latin1');
    head.writeUInt32LE(value.length, 4);
    return Buffer.concat([head, value]);
  });
  const body = Buffer.concat([Buffer.from('INFO'), ...items]);
  const list = Buffer.alloc(8);
  list.write('LIST', 0, 'latin1');
  list.writeUInt32LE(body.length, 4);
  const wav = Buffer.concat([readFileSync(file), list, body]);
  wav.writeUInt32LE(wav.length - 8, 4);
  writeFileSync(file, wav);
}

interface Case {
  readonly ext: string;
  /** ffmpeg's encoder, from a WAV; FLAC and Ogg FLAC are made by flac, WAV is the WAV itself. */
  readonly codec?: string;
  readonly prefix: string;
  readonly tag: (file: string) => void;
}

// Each format's tag, as its tools write it: Vorbis comments, an iTunes item with one data atom per value,
// an APEv2 item with its values separated by NULs, an ID3 chunk's TPE1 frame, RIFF INFO items.
const vorbis = (file: string) =>
  mutagenTag([{ kind: 'vorbis_comments', path: file, generated: { ARTIST: VALUES } }]);
const id3Chunk = (file: string) =>
  mutagenTag([{ kind: 'id3_chunk', path: file, generated: { TPE1: VALUES }, prefix: 'artist' }]);
const CASES: Record<string, Case> = {
  opus: { ext: 'opus', codec: 'libopus', prefix: 'artist', tag: vorbis },
  'ogg vorbis': { ext: 'ogg', codec: 'libvorbis', prefix: 'artist', tag: vorbis },
  flac: { ext: 'flac', prefix: 'artist', tag: vorbis },
  'ogg flac': { ext: 'oga', prefix: 'artist', tag: vorbis },
  m4a: {
    ext: 'm4a',
    codec: 'aac',
    prefix: 'art',
    tag: (file) => mutagenTag([{ kind: 'mp4', path: file, generated: { '©ART': VALUES } }]),
  },
  wavpack: {
    ext: 'wv',
    codec: 'wavpack',
    prefix: 'artist',
    tag: (file) => mutagenTag([{ kind: 'apev2', path: file, generated: { Artist: VALUES } }]),
  },
  'wav id3 chunk': { ext: 'wav', prefix: 'artist', tag: id3Chunk },
  'aiff id3 chunk': { ext: 'aiff', codec: 'pcm_s16be', prefix: 'artist', tag: id3Chunk },
  'wav RIFF INFO': { ext: 'wav', prefix: 'artist', tag: (file) => appendRiffInfo(file, VALUES) },
};

/** The files made so far, by format: the CLI's test scans the Opus file the reader's test read (neither
 *  changes it; the CLI's checks its bytes) rather than tagging another (≈0.5 s of mutagen's CPU). */
const made = new Map<string, string>();

/** A file of format `name` holding VALUES artists, in a folder of its own. */
function tagged(name: string): string {
  const done = made.get(name);
  if (done) return done;
  const { ext, codec, tag } = CASES[name]!;
  const music = join(tempDir(), 'music');
  mkdirSync(music);
  const wav = join(tempDir(), 'tone.wav');
  makeWav(wav, 440, 1, 48000, 1);
  const file = join(music, `artists.${ext}`);
  if (ext === 'flac' || ext === 'oga')
    tool('flac', ['--silent', ...(ext === 'oga' ? ['--ogg'] : []), '-f', '-o', file, wav]);
  else if (codec) tool('ffmpeg', ['-loglevel', 'error', '-i', wav, '-c:a', codec, file]);
  else copyFileSync(wav, file);
  tag(file);
  made.set(name, file);
  return file;
}

describe(`a file with ${VALUES} ARTIST values`, () => {
  // The scanner's own reader, in this process: what regressed was each format's reader. The time limit is
  // the test's own (vitest fails a test that ends past it).
  it.each(Object.keys(CASES))(
    'in %s is read in linear time',
    async (name) => {
      const file = tagged(name);
      const { prefix } = CASES[name]!;
      const artists = (await readTrack(file, new Set())).tags.find(([k]) => k === 'artist')?.[1] ?? [];
      expect(artists.length).toBe(VALUES);
      expect([artists[0], artists[VALUES - 1]]).toEqual([`${prefix} 0`, `${prefix} ${VALUES - 1}`]);
    },
    DEADLINE_MS,
  );

  // The rest of the way is the same for every format: stored, shown and queried.
  it('is scanned, shown and found by the CLI in linear time, and the file left as it was', () => {
    const file = tagged('opus');
    const music = dirname(file);
    const before = hashTree(music);
    const home = join(tempDir(), 'home');
    // Tags are what is timed: no analysis (a measured loudness sizes the served file once more, also linear).
    expect(run(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music])).toMatch(
      /^1 added, .* 0 unreadable /,
    );
    const info = JSON.parse(run(home, ['info', '1', '--json'])) as {
      fields: Array<{ key: string; effective: string[] }>;
    };
    const artists = info.fields.find((f) => f.key === 'artist')?.effective ?? [];
    expect(artists.length).toBe(VALUES);
    expect(run(home, ['ls', `artist:"artist ${VALUES - 1}"`, '-f', '$id'])).toBe('1\n');
    expect(hashTree(music)).toEqual(before);
  }, 180_000);
});
