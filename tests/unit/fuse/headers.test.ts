// Regenerated FLAC and ID3v2.4 headers: what the library serves must read back, through the scanner's
// own parsers and normalizer, as exactly the tags it was built from; sizes are known without picture
// data; kept FLAC blocks stay byte-exact; padding sits inside the taggers' reuse windows.
import { describe, expect, it } from 'vitest';
import {
  buildFlacHeader,
  type FlacHeaderInput,
  flacHeaderSize,
} from '../../../app/core/served/flac-header.ts';
import type { PictureSpec } from '../../../app/core/served/header-segments.ts';
import { buildId3Header, type Id3HeaderInput, id3HeaderSize } from '../../../app/core/served/id3v2-writer.ts';
import { paddingFor } from '../../../app/core/served/padding.ts';
import { vorbisFieldName } from '../../../app/core/served/vorbis-comment-writer.ts';
import { parseId3v2 } from '../../../app/core/tags/id3-reader.ts';
import { normalizeTags, type TagList } from '../../../app/core/tags/normalize.ts';
import { parseFlacPicture, parseVorbisComment } from '../../../app/core/tags/vorbis-comment.ts';
import { lcg } from '../../helpers.ts';

const MIB = 1024 * 1024;

/** Every field the library knows, with multi-values, non-ASCII text and the keys that need care. */
const RICH: TagList = [
  ['title', ['Déjà vu — 東京 🎵']],
  ['artist', ['Ана', 'Bob & Co']],
  ['artists', ['Ана', 'Bob']],
  ['album', ['Ålbum']],
  ['albumartist', ['Various Artists']],
  ['tracknumber', ['3']],
  ['totaltracks', ['12']],
  ['discnumber', ['1']],
  ['totaldiscs', ['2']],
  ['date', ['2001-05-17']],
  ['originaldate', ['1999-01-02']],
  ['originalyear', ['1999']],
  ['genre', ['Rock', 'Jazz Fusion']],
  ['composer', ['Ённ']],
  ['lyricist', ['L']],
  ['conductor', ['C']],
  ['remixer', ['R']],
  ['grouping', ['G']],
  ['subtitle', ['Sub']],
  ['discsubtitle', ['Disc sub']],
  ['label', ['Label A', 'Label B']],
  ['isrc', ['GBAYE0000001']],
  ['bpm', ['120']],
  ['compilation', ['1']],
  ['copyright', ['© 2001']],
  ['encodedby', ['Enc']],
  ['encodersettings', ['-V0']],
  ['key', ['Am']],
  ['language', ['eng']],
  ['media', ['CD']],
  ['mood', ['calm']],
  ['artistsort', ['Bob, the']],
  ['albumsort', ['Album, the']],
  ['titlesort', ['Title, the']],
  ['albumartistsort', ['VA']],
  ['composersort', ['E']],
  ['website', ['https://example.org/a']],
  ['comment', ['plain comment', 'a second one']],
  ['comment:Liner Notes', ['described ünïcode']],
  ['lyrics', ['la la\nla\n']],
  ['lyrics:Verse', ['described lyrics']],
  ['musicbrainz_recordingid', ['0b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e01']],
  ['musicbrainz_trackid', ['1b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e02']],
  ['musicbrainz_albumid', ['2b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e03']],
  ['musicbrainz_artistid', ['3b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e04', '4b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e05']],
  ['musicbrainz_albumartistid', ['5b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e06']],
  ['musicbrainz_releasegroupid', ['6b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e07']],
  ['musicbrainz_workid', ['7b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e08']],
  ['musicbrainz_discid', ['disc.id-']],
  ['releasestatus', ['official']],
  ['releasetype', ['album', 'compilation']],
  ['releasecountry', ['GB']],
  ['acoustid_id', ['8b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e09']],
  ['acoustid_fingerprint', ['AQADtE...']],
  ['replaygain_track_gain', ['-6.50 dB']],
  ['replaygain_track_peak', ['0.988']],
  ['replaygain_album_gain', ['-7.10 dB']],
  ['replaygain_album_peak', ['1.000']],
  ['catalognumber', ['CAT-1']],
  ['barcode', ['0123456789012']],
  ['asin', ['B000000000']],
  ['script', ['Latn']],
  ['license', ['CC-BY']],
  ['my custom tag', ['x', 'y']],
  ['Mixed_Case', ['kept']],
  ['TOPE', ['Original Artist']],
];

const PICTURES: PictureSpec[] = [
  { mime: 'image/jpeg', type: 3, description: 'front ✓', width: 2, height: 3, depth: 24, bytes: 300 },
  { mime: 'image/png', type: 4, description: '', width: null, height: null, depth: null, bytes: 17 },
];

function pictureData(pictures: readonly PictureSpec[], seed = 1): Uint8Array[] {
  const next = lcg(seed, 24);
  return pictures.map((p) => Uint8Array.from({ length: p.bytes }, () => next()));
}

const block = (type: number, body: Uint8Array, last = false) =>
  Buffer.concat([
    Buffer.from([type | (last ? 0x80 : 0), body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]),
    body,
  ]);

// As an original has them: STREAMINFO flagged last (a file with no other blocks), a SEEKTABLE, an
// APPLICATION block and one of a reserved type.
const STREAMINFO = block(
  0,
  Uint8Array.from({ length: 34 }, (_, i) => i * 7),
  true,
);
const KEPT = [
  STREAMINFO,
  block(
    3,
    Uint8Array.from({ length: 36 }, (_, i) => 255 - i),
  ),
  block(2, Buffer.from('riffRIFF chunk bytes')),
  block(9, Buffer.from([1, 2, 3])),
];

const flacInput = (over: Partial<FlacHeaderInput> = {}): FlacHeaderInput => ({
  kept: KEPT,
  vendor: 'reference libFLAC 1.4.2 20221022',
  tags: RICH,
  pictures: PICTURES,
  audioBytes: 3_000_000,
  ...over,
});

const id3Input = (over: Partial<Id3HeaderInput> = {}): Id3HeaderInput => ({
  tags: RICH,
  pictures: PICTURES,
  audioBytes: 3_000_000,
  ...over,
});

interface Block {
  readonly type: number;
  readonly last: boolean;
  readonly raw: Buffer;
  readonly body: Buffer;
}

function flacBlocks(header: Buffer): Block[] {
  expect(header.toString('latin1', 0, 4)).toBe('fLaC');
  const out: Block[] = [];
  let pos = 4;
  while (pos < header.length) {
    const length = header.readUIntBE(pos + 1, 3);
    out.push({
      type: header[pos]! & 0x7f,
      last: (header[pos]! & 0x80) !== 0,
      raw: header.subarray(pos, pos + 4 + length),
      body: header.subarray(pos + 4, pos + 4 + length),
    });
    pos += 4 + length;
  }
  expect(pos).toBe(header.length);
  return out;
}

/** What the scanner reads from a built FLAC header. */
function readFlac(header: Buffer) {
  const blocks = flacBlocks(header);
  const comments = blocks.filter((b) => b.type === 4);
  expect(comments).toHaveLength(1);
  const { vendor, tags } = parseVorbisComment(comments[0]!.body);
  const pictures = blocks.filter((b) => b.type === 6).map((b) => parseFlacPicture(b.body)!);
  return { vendor, native: tags, tags: normalizeTags({ vorbis: tags }), pictures };
}

/** What the scanner reads from a built ID3 header. */
function readId3(header: Buffer) {
  const r = parseId3v2(header);
  expect(r.type).toBe('ID3v2.4');
  return { native: r.tags, tags: normalizeTags({ [r.type]: r.tags }), pictures: r.pictures };
}

/** Tags by lower-cased key, for comparisons that ignore key case and key order (not value order). */
function byKey(tags: TagList): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, values] of tags) out[key.toLowerCase()] = [...(out[key.toLowerCase()] ?? []), ...values];
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Vorbis comments have no descriptions: "comment:x" and "lyrics:x" read back as comment and lyrics. */
function withoutDescriptions(tags: TagList): TagList {
  return tags.map(([key, values]) => [key.replace(/^(comment|lyrics):.*$/is, '$1'), values]);
}

function expectSamePictures(read: ReturnType<typeof readFlac>['pictures'], data: Uint8Array[]) {
  expect(read.map(({ mime, type, description }) => ({ mime, type, description }))).toEqual(
    PICTURES.map(({ mime, type, description }) => ({ mime, type, description })),
  );
  expect(read.map((p) => Buffer.from(p.data))).toEqual(data.map((d) => Buffer.from(d)));
}

describe('round trip through the scanner', () => {
  it('FLAC: every tag reads back, except the comment and lyrics descriptions Vorbis cannot hold', () => {
    const data = pictureData(PICTURES);
    const read = readFlac(buildFlacHeader(flacInput(), data));
    expect(read.vendor).toBe('reference libFLAC 1.4.2 20221022');
    expect(byKey(read.tags)).toEqual(byKey(withoutDescriptions(RICH)));
    expectSamePictures(read.pictures, data);
  });

  it('ID3v2.4: every tag reads back, descriptions included', () => {
    const data = pictureData(PICTURES);
    const read = readId3(buildId3Header(id3Input(), data));
    expect(byKey(read.tags)).toEqual(byKey(RICH));
    expectSamePictures(read.pictures, data);
  });

  it('ID3v2.4: values that TRCK, TPOS, UFID and WOAR cannot carry get frames of their own and read back', () => {
    const cases: TagList[] = [
      [
        ['tracknumber', ['A1']],
        ['totaltracks', ['12']],
      ],
      [['totaltracks', ['12']]],
      [
        ['tracknumber', ['1', '2']],
        ['totaltracks', ['9']],
        ['discnumber', ['2']],
        ['totaldiscs', ['two']],
      ],
      [['musicbrainz_recordingid', ['id-1', 'id-2']]],
      [['musicbrainz_recordingid', ['x'.repeat(65)]]],
      [['website', ['https://例え.jp/']]],
      [['website', ['https://a.example/', 'https://b.example/']]],
    ];
    for (const tags of cases) {
      expect(byKey(readId3(buildId3Header(id3Input({ tags, pictures: [] }), [])).tags)).toEqual(byKey(tags));
    }
  });

  it('FLAC: the same awkward values read back too', () => {
    const tags: TagList = [
      ['tracknumber', ['A1']],
      ['totaldiscs', ['two']],
      ['musicbrainz_recordingid', ['id-1', 'id-2']],
      ['website', ['https://例え.jp/']],
    ];
    expect(byKey(readFlac(buildFlacHeader(flacInput({ tags, pictures: [] }), [])).tags)).toEqual(byKey(tags));
  });

  it('documented exceptions: a numeric genre is an ID3v1 reference in TCON; "n/N" in a number splits', () => {
    const tags: TagList = [
      ['genre', ['17', 'Jazz']],
      ['tracknumber', ['3/12']],
    ];
    expect(byKey(readId3(buildId3Header(id3Input({ tags, pictures: [] }), [])).tags)).toEqual({
      genre: ['Rock', 'Jazz'],
      totaltracks: ['12'],
      tracknumber: ['3'],
    });
    expect(byKey(readFlac(buildFlacHeader(flacInput({ tags, pictures: [] }), [])).tags)).toEqual({
      genre: ['17', 'Jazz'],
      totaltracks: ['12'],
      tracknumber: ['3'],
    });
  });
});

describe('what the fields are called in the file', () => {
  it('Vorbis: Picard field names, one spelling of each total, invalid names skipped', () => {
    const tags: TagList = [
      ['totaltracks', ['12']],
      ['totaldiscs', ['2']],
      ['musicbrainz_recordingid', ['r']],
      ['musicbrainz_trackid', ['t']],
      ['releasestatus', ['official']],
      ['comment:desc', ['c']],
      ['naïve', ['skipped']],
      ['a=b', ['skipped']],
      ['tilde~', ['skipped']],
      ['', ['skipped']],
      ['empty', []],
      ['My Key', ['k']],
    ];
    const { native } = readFlac(buildFlacHeader(flacInput({ tags, pictures: [] }), []));
    expect(native).toEqual([
      { id: 'TRACKTOTAL', value: '12' },
      { id: 'DISCTOTAL', value: '2' },
      { id: 'MUSICBRAINZ_TRACKID', value: 'r' },
      { id: 'MUSICBRAINZ_RELEASETRACKID', value: 't' },
      { id: 'RELEASESTATUS', value: 'official' },
      { id: 'COMMENT', value: 'c' },
      { id: 'MY KEY', value: 'k' },
    ]);
    expect(vorbisFieldName('Lyrics:x')).toBe('LYRICS');
  });

  it('ID3: Picard frames and TXXX descriptions', () => {
    const { native } = readId3(buildId3Header(id3Input({ pictures: [] }), []));
    const ids = native.map((t) => t.id);
    for (const id of [
      'TIT2',
      'TPE1',
      'TALB',
      'TPE2',
      'TDRC',
      'TDOR',
      'TCON',
      'TCOM',
      'TPUB',
      'TSRC',
      'TBPM',
      'TCMP',
      'TSOP',
      'TSO2',
      'TOPE',
      'TXXX:MusicBrainz Album Id',
      'TXXX:MusicBrainz Release Track Id',
      'TXXX:MusicBrainz Album Status',
      'TXXX:Acoustid Id',
      'TXXX:ARTISTS',
      'TXXX:CATALOGNUMBER',
      'TXXX:REPLAYGAIN_TRACK_GAIN',
      'TXXX:my custom tag',
    ]) {
      expect(ids).toContain(id);
    }
    expect(ids.filter((id) => /^(TORY|TYER|TXXX:(totaltracks|totaldiscs))$/i.test(id))).toEqual([]);
    const value = (id: string) => native.filter((t) => t.id === id).map((t) => t.value);
    expect(value('TRCK')).toEqual(['3/12']);
    expect(value('TPOS')).toEqual(['1/2']);
    expect(value('UFID')).toEqual([
      {
        owner_identifier: 'http://musicbrainz.org',
        identifier: Buffer.from('0b6b9d5a-2d8b-4d8e-9c1f-0c6a6b2a1e01'),
      },
    ]);
    expect(value('COMM')).toEqual([
      { language: 'eng', descriptor: '', text: 'plain comment' },
      { language: 'eng', descriptor: '', text: 'a second one' },
      { language: 'eng', descriptor: 'Liner Notes', text: 'described ünïcode' },
    ]);
    expect(value('USLT')).toEqual([
      { language: 'eng', descriptor: '', text: 'la la\nla\n' },
      { language: 'eng', descriptor: 'Verse', text: 'described lyrics' },
    ]);
    expect(value('WOAR')).toEqual(['https://example.org/a']);
  });
});

describe('FLAC structure', () => {
  const header = buildFlacHeader(flacInput(), pictureData(PICTURES));
  const blocks = flacBlocks(header);

  it('kept blocks first and byte-exact (STREAMINFO leading), then comment, pictures, padding', () => {
    expect(blocks.map((b) => b.type)).toEqual([0, 3, 2, 9, 4, 6, 6, 1]);
    KEPT.forEach((kept, i) => {
      expect(blocks[i]!.raw[0]).toBe(kept[0]! & 0x7f);
      expect(blocks[i]!.raw.subarray(1).equals(kept.subarray(1))).toBe(true);
    });
  });

  it('only the last block carries the last-block flag', () => {
    expect(blocks.map((b) => b.last)).toEqual([false, false, false, false, false, false, false, true]);
  });

  it('one zero PADDING block sized by paddingFor(audio, 4096)', () => {
    const padding = blocks.at(-1)!;
    expect(padding.body.length).toBe(paddingFor(3_000_000, 4096));
    expect(padding.body.every((b) => b === 0)).toBe(true);
  });

  it('PICTURE blocks carry the width and height, 0 when unknown', () => {
    const dims = blocks
      .filter((b) => b.type === 6)
      .map((b) => {
        const mime = b.body.readUInt32BE(4);
        const desc = b.body.readUInt32BE(8 + mime);
        return [b.body.readUInt32BE(12 + mime + desc), b.body.readUInt32BE(16 + mime + desc)];
      });
    expect(dims).toEqual([
      [2, 3],
      [0, 0],
    ]);
  });

  it('rejects kept blocks that do not start with STREAMINFO or whose length is wrong', () => {
    expect(() => flacHeaderSize(flacInput({ kept: [] }))).toThrow(RangeError);
    expect(() => flacHeaderSize(flacInput({ kept: KEPT.slice(1) }))).toThrow(/STREAMINFO/);
    expect(() => flacHeaderSize(flacInput({ kept: [STREAMINFO.subarray(0, 30)] }))).toThrow(/header says/);
  });

  it('a Vorbis comment over the 16 MiB block limit throws, naming the largest field', () => {
    const tags: TagList = [
      ['title', ['t']],
      ['lyrics', ['x'.repeat(9 * MIB), 'y'.repeat(8 * MIB)]],
    ];
    expect(() => flacHeaderSize(flacInput({ tags }))).toThrow(/LYRICS alone has 17825792/);
  });
});

describe('ID3 structure', () => {
  const long = 'x'.repeat(200); // 200 is 0xC8 plain but 01 48 syncsafe
  const header = buildId3Header(id3Input({ tags: [['title', [long]]], pictures: [] }), []);

  it('a v2.4.0 header without flags, and a syncsafe tag size covering frames and padding', () => {
    expect([...header.subarray(0, 6)]).toEqual([0x49, 0x44, 0x33, 4, 0, 0]);
    const size = header.subarray(6, 10).reduce((n, b) => n * 128 + b, 0);
    expect(size).toBe(header.length - 10);
  });

  it('syncsafe frame sizes, UTF-8 text, no frame flags', () => {
    expect(header.toString('latin1', 10, 14)).toBe('TIT2');
    expect([...header.subarray(14, 20)]).toEqual([0, 0, 1, 0x49, 0, 0]);
    expect(header[20]).toBe(3);
  });

  it('zero padding sized by paddingFor(audio, 1024) after the last frame', () => {
    const padding = paddingFor(3_000_000, 1024);
    expect(header.length).toBe(10 + 10 + 201 + padding);
    expect(header.subarray(-padding).every((b) => b === 0)).toBe(true);
  });

  it('APIC: UTF-8 description, Latin-1 MIME, the picture type', () => {
    const data = pictureData(PICTURES);
    const built = buildId3Header(id3Input({ tags: [], pictures: PICTURES }), data);
    const at = built.indexOf('APIC');
    expect(built.toString('latin1', at + 10, at + 22)).toBe('\x03image/jpeg\0');
    expect(built[at + 22]).toBe(3);
  });
});

describe('size without picture data', () => {
  const flacSizes = (input: FlacHeaderInput, data: Uint8Array[]) => [
    flacHeaderSize(input),
    buildFlacHeader(input, data).length,
  ];
  const id3Sizes = (input: Id3HeaderInput, data: Uint8Array[]) => [
    id3HeaderSize(input),
    buildId3Header(input, data).length,
  ];

  it('equals the built length for empty, small and random inputs', () => {
    const next = lcg(7, 8);
    const inputs: Array<{ tags: TagList; pictures: PictureSpec[]; audioBytes: number }> = [
      { tags: [], pictures: [], audioBytes: 0 },
      { tags: RICH, pictures: [], audioBytes: 100 },
      { tags: [], pictures: PICTURES, audioBytes: 2 ** 31 },
    ];
    for (let n = 0; n < 40; n++) {
      const tags: TagList = Array.from({ length: next() % 20 }, (_, i) => [
        `key${i}${'é'.repeat(next() % 3)}`,
        Array.from({ length: next() % 4 }, () => '€x'.repeat(next() % 300)),
      ]);
      const pictures = Array.from({ length: next() % 3 }, (_, i) => ({
        mime: 'image/jpeg',
        type: i,
        description: 'd'.repeat(next() % 5),
        width: null,
        height: 1,
        depth: null,
        bytes: next() % 5000,
      }));
      inputs.push({ tags, pictures, audioBytes: next() * 64 });
    }
    for (const input of inputs) {
      const data = pictureData(input.pictures);
      const [size, built] = flacSizes(flacInput(input), data);
      expect(size).toBe(built);
      const [id3Size, id3Built] = id3Sizes(input, data);
      expect(id3Size).toBe(id3Built);
    }
  });

  it('leaves out a picture too big for a FLAC block, in size and build alike', () => {
    const big: PictureSpec = {
      mime: 'image/png',
      type: 3,
      description: '',
      width: null,
      height: null,
      depth: null,
      bytes: 2 ** 24,
    };
    const pictures = [PICTURES[0]!, big, PICTURES[1]!];
    const data = pictureData([PICTURES[0]!, { ...big, bytes: 0 }, PICTURES[1]!]);
    const input = flacInput({ pictures });
    const header = buildFlacHeader(input, data);
    expect(flacHeaderSize(input)).toBe(header.length);
    // The size from the kept blocks' total length alone, as the mount computes it from the library.
    const keptBytes = input.kept.reduce((n, b) => n + b.length, 0);
    expect(flacHeaderSize({ ...input, kept: keptBytes })).toBe(header.length);
    expect(flacBlocks(header).filter((b) => b.type === 6)).toHaveLength(2);
    // A picture whose block just fits is kept.
    const fits = { ...big, bytes: 2 ** 24 - 1 - 32 - 'image/png'.length };
    expect(flacHeaderSize(flacInput({ pictures: [fits] }))).toBe(
      flacHeaderSize(flacInput({ pictures: [] })) + 4 + 2 ** 24 - 1,
    );
  });

  it('leaves out a picture that would take an ID3v2 tag past 256 MiB, in size and build alike', () => {
    const huge: PictureSpec = {
      mime: 'image/png',
      type: 3,
      description: '',
      width: null,
      height: null,
      depth: null,
      bytes: 2 ** 28,
    };
    const input = id3Input({ pictures: [huge, PICTURES[1]!] });
    // The left-out picture's data is never read, so a placeholder stands in for 256 MiB.
    const data = [new Uint8Array(0), pictureData([PICTURES[1]!])[0]!];
    const header = buildId3Header(input, data);
    expect(id3HeaderSize(input)).toBe(header.length);
    expect(readId3(header).pictures.map((p) => p.mime)).toEqual(['image/png']);
    expect(readId3(header).pictures[0]!.data).toHaveLength(17);
  });

  it('checks the picture data against the specs', () => {
    expect(() => buildFlacHeader(flacInput(), [])).toThrow(RangeError);
    const short = pictureData(PICTURES);
    short[1] = new Uint8Array(16);
    expect(() => buildFlacHeader(flacInput(), short)).toThrow(/picture 1 has 16 bytes/);
    expect(() => buildId3Header(id3Input(), short)).toThrow(/picture 1 has 16 bytes/);
  });
});

describe('paddingFor', () => {
  it('is the floor for small files and floor + 0.5 % of the audio above', () => {
    expect(paddingFor(0, 4096)).toBe(4096);
    expect(paddingFor(300_000, 4096)).toBe(4096);
    expect(paddingFor(30_000_000, 4096)).toBe(4096 + 150_000);
    expect(paddingFor(5_000_000, 1024)).toBe(1024 + 25_000);
    expect(paddingFor(10 ** 10, 1024)).toBe(MIB / 2);
  });

  it('stays inside both taggers’ reuse windows, below 1 MiB', () => {
    for (const floor of [1024, 4096]) {
      for (let audio = 0; audio < 4e9; audio = audio * 1.7 + 1000) {
        const padding = paddingFor(audio, floor);
        const taglib = Math.min(Math.max(Math.floor(audio / 100), floor), MIB);
        const mutagen = 10 * 1024 + Math.floor(audio / 100);
        expect(padding).toBeGreaterThanOrEqual(floor);
        expect(padding).toBeLessThanOrEqual(Math.min(taglib, mutagen));
        expect(padding).toBeLessThan(MIB);
      }
    }
  });
});
