// Built headers spliced onto real encoders' audio, checked with the tools players and taggers use:
// `flac -t`, FFmpeg (identical PCM, tags), mutagen (tags, and an in-place edit that the padding absorbs)
// and metaflac. After each edit the audio bytes must stay where they were, and the scanner's parsers must
// read back every field that was not edited.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildFlacHeader } from '../../app/core/served/flac-header.ts';
import type { PictureSpec } from '../../app/core/served/header-segments.ts';
import { buildId3Header } from '../../app/core/served/id3v2-writer.ts';
import { parseId3v2 } from '../../app/core/tags/id3-reader.ts';
import { normalizeTags, type TagList } from '../../app/core/tags/normalize.ts';
import { parseVorbisComment } from '../../app/core/tags/vorbis-comment.ts';
import { tempDir, tool } from '../helpers.ts';
import { ffprobeTags, PY, pcmMd5 } from '../mount-helpers.ts';

const TAGS: TagList = [
  ['title', ['Déjà vu']],
  ['artist', ['Ана', 'Bob']],
  ['album', ['Ålbum']],
  ['albumartist', ['Various']],
  ['tracknumber', ['3']],
  ['totaltracks', ['12']],
  ['discnumber', ['1']],
  ['totaldiscs', ['2']],
  ['date', ['2001-05-17']],
  ['genre', ['Rock', 'Jazz']],
  ['comment', ['plain', 'second']],
  ['comment:Liner', ['described']],
  ['lyrics', ['la la']],
  ['musicbrainz_recordingid', ['0b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e01']],
  ['musicbrainz_albumid', ['2b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e03']],
  ['replaygain_track_gain', ['-6.50 dB']],
  ['my custom', ['x']],
];

// Prints what mutagen reads (after setting the title when a new one is given) as JSON.
const MUTAGEN = `
import json, sys
from mutagen.flac import FLAC
from mutagen.id3 import ID3, TIT2
path, title = sys.argv[1], sys.argv[2:]
if path.endswith('.flac'):
    f = FLAC(path)
    if title:
        f['title'] = title
        f.save()
    tags = {k.lower(): v for k, v in f.tags.as_dict().items()}
    pictures = [[p.mime, p.type, p.desc, p.width, p.height, len(p.data)] for p in f.pictures]
else:
    f = ID3(path)
    if title:
        f.add(TIT2(encoding=3, text=title))
        f.save()
    tags = {}
    for frame in f.values():
        if frame.FrameID == 'UFID':
            tags[frame.HashKey] = frame.data.decode('latin1')
        elif hasattr(frame, 'text'):
            tags[frame.HashKey] = [str(t) for t in frame.text]
    pictures = [[p.mime, p.type, p.desc, None, None, len(p.data)] for p in f.getall('APIC')]
print(json.dumps({'version': list(getattr(f, 'version', [])), 'tags': tags, 'pictures': pictures}))
`;

interface MutagenView {
  version: number[];
  tags: Record<string, unknown>;
  pictures: unknown[][];
}

const mutagen = (path: string, ...title: string[]): MutagenView =>
  JSON.parse(tool(PY, ['-c', MUTAGEN, path, ...title]).toString('utf8')) as MutagenView;

let dir: string;
let cover: Buffer;
let pictures: PictureSpec[];

/** The file ends with exactly `audio`, starting at `offset`. */
function expectAudioAt(path: string, offset: number, audio: Buffer): void {
  const bytes = readFileSync(path);
  expect(bytes.length).toBe(offset + audio.length);
  expect(bytes.subarray(offset).equals(audio)).toBe(true);
}

/** Tags by lower-cased key, ignoring key order and key case. */
function byKey(tags: TagList): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, values] of tags) out[key.toLowerCase()] = [...(out[key.toLowerCase()] ?? []), ...values];
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const retitled = (tags: TagList, title: string): TagList =>
  tags.map(([key, values]) => [key, key === 'title' ? [title] : values]);

/** A FLAC file's metadata as the FUSE view and the scanner take it apart. */
function readFlac(path: string) {
  const bytes = readFileSync(path);
  const kept: Buffer[] = [];
  let vendor = '';
  let tags: TagList = [];
  let pos = 4;
  for (let last = false; !last; ) {
    last = (bytes[pos]! & 0x80) !== 0;
    const type = bytes[pos]! & 0x7f;
    const end = pos + 4 + bytes.readUIntBE(pos + 1, 3);
    if (type === 4) {
      const comment = parseVorbisComment(bytes.subarray(pos + 4, end));
      vendor = comment.vendor;
      tags = normalizeTags({ vorbis: comment.tags });
    } else if (type !== 1 && type !== 6) kept.push(bytes.subarray(pos, end));
    pos = end;
  }
  return { kept, vendor, tags, audioStart: pos, audio: bytes.subarray(pos) };
}

/** The scanner's reading of an MP3's leading ID3v2 tag. */
function readId3(path: string): TagList {
  const r = parseId3v2(readFileSync(path));
  return normalizeTags({ [r.type]: r.tags });
}

beforeAll(() => {
  dir = tempDir('sleeve-headers-');
  const tone = '-n -r 44100 -c 2 -b 16 tone.wav synth 3 sine 440 sine 660'.split(' ');
  tool(
    'sox',
    tone.map((a) => (a === 'tone.wav' ? join(dir, a) : a)),
  );
  tool('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'color=c=red:s=4x2',
    '-frames:v',
    '1',
    join(dir, 'cover.png'),
  ]);
  cover = readFileSync(join(dir, 'cover.png'));
  pictures = [
    { mime: 'image/png', type: 3, description: 'front', width: 4, height: 2, depth: 24, bytes: cover.length },
  ];
});

describe('FLAC: built header + original frames', () => {
  // Vorbis comments have no descriptions: "comment:Liner" reads back as a comment.
  const expected = TAGS.map(([key, values]): [string, string[]] => [key.replace(/:.*/, ''), values]);
  let original: string;
  let spliced: string;
  let audio: Buffer;
  let headerLength: number;

  beforeAll(() => {
    original = join(dir, 'original.flac');
    // --keep-foreign-metadata stores the WAV chunks in APPLICATION blocks, which must survive byte-exact.
    const flags = ['--silent', '--force', '--keep-foreign-metadata', '--tag=TITLE=Old'];
    tool('flac', [...flags, '-o', original, join(dir, 'tone.wav')]);
    const { kept, vendor, audio: frames } = readFlac(original);
    expect(kept.map((b) => b[0]! & 0x7f)).toEqual([0, 3, 2, 2, 2]);
    audio = frames;
    const header = buildFlacHeader({ kept, vendor, tags: TAGS, pictures, audioBytes: audio.length }, [cover]);
    headerLength = header.length;
    spliced = join(dir, 'spliced.flac');
    writeFileSync(spliced, Buffer.concat([header, audio]));
  });

  test('flac -t passes, FFmpeg decodes the same PCM, the scanner reads the tags', () => {
    tool('flac', ['--silent', '-t', spliced]);
    expect(pcmMd5(spliced)).toBe(pcmMd5(original));
    expect(byKey(readFlac(spliced).tags)).toEqual(byKey(expected));
  });

  test('metaflac sees the kept blocks unchanged and the new tags', () => {
    const keptBlocks = (path: string) =>
      tool('metaflac', ['--list', '--block-type=STREAMINFO,SEEKTABLE,APPLICATION', path])
        .toString('latin1')
        .replace(/METADATA block #\d+/g, '');
    expect(keptBlocks(spliced)).toBe(keptBlocks(original));
    const tags = tool('metaflac', ['--export-tags-to=-', spliced]).toString('utf8');
    expect(tags).toContain('TITLE=Déjà vu\n');
    expect(tags).toContain('TRACKTOTAL=12\n');
  });

  test('ffprobe sees the tags', () => {
    const tags = ffprobeTags(spliced);
    expect(tags).toMatchObject({ title: 'Déjà vu', album: 'Ålbum', track: '3' });
    expect(tags.artist).toMatch(/^Ана.*Bob$/);
  });

  test('mutagen reads the tags and the picture', () => {
    const view = mutagen(spliced);
    expect(view.tags).toMatchObject({
      title: ['Déjà vu'],
      artist: ['Ана', 'Bob'],
      tracknumber: ['3'],
      tracktotal: ['12'],
      comment: ['plain', 'second', 'described'],
      musicbrainz_trackid: ['0b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e01'],
      replaygain_track_gain: ['-6.50 dB'],
      'my custom': ['x'],
    });
    expect(view.tags).not.toHaveProperty('totaltracks');
    expect(view.pictures).toEqual([['image/png', 3, 'front', 4, 2, cover.length]]);
  });

  test('mutagen and metaflac edits fit the padding: the audio stays, the other tags read back', () => {
    const copy = join(dir, 'edited.flac');
    writeFileSync(copy, readFileSync(spliced));
    const title = 'A rather longer title, edited by mutagen';
    expect(mutagen(copy, title).tags.title).toEqual([title]);
    expectAudioAt(copy, headerLength, audio);
    expect(byKey(readFlac(copy).tags)).toEqual(byKey(retitled(expected, title)));
    tool('metaflac', ['--remove-tag=TITLE', '--set-tag=TITLE=Edited by metaflac', copy]);
    expectAudioAt(copy, headerLength, audio);
    expect(byKey(readFlac(copy).tags)).toEqual(byKey(retitled(expected, 'Edited by metaflac')));
    tool('flac', ['--silent', '-t', copy]);
  });
});

describe('MP3: built ID3v2.4 tag + original MPEG frames', () => {
  let original: string;
  let spliced: string;
  let audio: Buffer;
  let headerLength: number;

  beforeAll(() => {
    original = join(dir, 'original.mp3');
    // lame writes an ID3v2.3 tag in front and an ID3v1 tag at the end: both must go.
    tool('lame', [
      '--quiet',
      '-V4',
      '--tt',
      'Old',
      '--ta',
      'Old',
      '--tn',
      '1',
      join(dir, 'tone.wav'),
      original,
    ]);
    const bytes = readFileSync(original);
    expect(bytes.toString('latin1', 0, 3)).toBe('ID3');
    const start = 10 + bytes.subarray(6, 10).reduce((n, b) => n * 128 + b, 0);
    expect(bytes[start]).toBe(0xff); // the first MPEG frame follows the tag directly
    expect(bytes.toString('latin1', bytes.length - 128, bytes.length - 125)).toBe('TAG');
    audio = bytes.subarray(start, bytes.length - 128);
    const header = buildId3Header({ tags: TAGS, pictures, audioBytes: audio.length }, [cover]);
    headerLength = header.length;
    spliced = join(dir, 'spliced.mp3');
    writeFileSync(spliced, Buffer.concat([header, audio]));
  });

  test('FFmpeg decodes the same PCM, the scanner reads the tags', () => {
    expect(pcmMd5(spliced)).toBe(pcmMd5(original));
    expect(byKey(readId3(spliced))).toEqual(byKey(TAGS));
  });

  test('ffprobe sees the tags', () => {
    // FFmpeg 5.1 shows only the first string of a multi-valued v2.4 frame (mutagen's tags too).
    const tags = ffprobeTags(spliced);
    expect(tags).toMatchObject({
      title: 'Déjà vu',
      album: 'Ålbum',
      artist: 'Ана',
      track: '3/12',
      disc: '1/2',
    });
  });

  test('mutagen reads an ID3v2.4 tag with Picard’s frames', () => {
    const view = mutagen(spliced);
    expect(view.version).toEqual([2, 4, 0]);
    expect(view.tags).toMatchObject({
      TIT2: ['Déjà vu'],
      TPE1: ['Ана', 'Bob'],
      TRCK: ['3/12'],
      TPOS: ['1/2'],
      TDRC: ['2001-05-17'],
      TCON: ['Rock', 'Jazz'],
      'COMM::eng': ['plain', 'second'],
      'COMM:Liner:eng': ['described'],
      'UFID:http://musicbrainz.org': '0b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e01',
      'TXXX:MusicBrainz Album Id': ['2b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e03'],
      'TXXX:REPLAYGAIN_TRACK_GAIN': ['-6.50 dB'],
      'TXXX:my custom': ['x'],
    });
    expect(view.pictures).toEqual([['image/png', 3, 'front', null, null, cover.length]]);
  });

  test('a mutagen edit fits the padding: the audio stays, the other tags read back', () => {
    const copy = join(dir, 'edited.mp3');
    writeFileSync(copy, readFileSync(spliced));
    const title = 'A rather longer title, edited by mutagen';
    expect(mutagen(copy, title).tags.TIT2).toEqual([title]);
    expectAudioAt(copy, headerLength, audio);
    expect(pcmMd5(copy)).toBe(pcmMd5(original));
    // mutagen merges the two COMM frames into one with two NUL-separated strings; both read back.
    expect(byKey(readId3(copy))).toEqual(byKey(retitled(TAGS, title)));
  });
});
