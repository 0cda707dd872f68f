import { describe, expect, it } from 'vitest';
import { parseId3v1, parseId3v2 } from '../../app/core/tags/id3-reader.ts';
import { DamagedTag, NotHandledHere } from '../../app/core/tags/native.ts';
import {
  apicData,
  commData,
  type Encoding,
  type FrameSpec,
  frame as frameOf,
  id3Tag,
  syncsafe as syncsafeBytes,
  type TagSpec,
  textData,
  txxxData,
  ufidData,
} from '../fixtures/id3-tag.ts';

const syncsafe = (n: number) => [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];

function tag(major: number, frames: Buffer[], flags = 0): Buffer {
  const body = Buffer.concat([...frames, Buffer.alloc(20)]);
  return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, major, 0, flags, ...syncsafe(body.length)]), body]);
}

function frame(
  id: string,
  data: Buffer,
  options: { major?: number; flags?: number; plainSize?: boolean } = {},
): Buffer {
  const major = options.major ?? 4;
  const size =
    major === 4 && !options.plainSize
      ? syncsafe(data.length)
      : [data.length >>> 24, (data.length >> 16) & 0xff, (data.length >> 8) & 0xff, data.length & 0xff];
  return Buffer.concat([
    Buffer.from(id, 'latin1'),
    Buffer.from(size),
    Buffer.from([0, options.flags ?? 0]),
    data,
  ]);
}

const text = (enc: number, s: Buffer) => Buffer.concat([Buffer.from([enc]), s]);

describe('parseId3v2', () => {
  it('decodes all four text encodings and NUL-separated multi-values', () => {
    const r = parseId3v2(
      tag(4, [
        frame('TIT2', text(0, Buffer.from('caf\xe9', 'latin1'))),
        frame('TPE1', text(1, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Ünï\0B', 'utf16le')]))),
        frame('TALB', text(2, Buffer.from([0, 0x41, 0x20, 0xac]))),
        frame('TCON', text(3, Buffer.from('(17)(8)\0Shoegaze\0', 'utf8'))),
      ]),
    );
    expect(r.type).toBe('ID3v2.4');
    expect(r.tags).toEqual([
      { id: 'TIT2', value: 'café' },
      { id: 'TPE1', value: 'Ünï' },
      { id: 'TPE1', value: 'B' },
      { id: 'TALB', value: 'A€' },
      { id: 'TCON', value: 'Rock' },
      { id: 'TCON', value: 'Jazz' },
      { id: 'TCON', value: 'Shoegaze' },
    ]);
  });

  it('undoes per-frame unsynchronisation and skips the data length indicator', () => {
    // 0xFF 0x00 in the stored bytes is 0xFF in the real data.
    const stored = Buffer.from([0, 0, 0, 5, 3, 0x41, 0xff, 0x00, 0x42]);
    const r = parseId3v2(tag(4, [frame('TIT2', stored, { flags: 0x03 })]));
    expect(r.tags).toEqual([{ id: 'TIT2', value: 'A\ufffdB' }]);
  });

  it('reads ID3v2.4 frames whose sizes were written as plain integers (old iTunes)', () => {
    const long = text(3, Buffer.from('x'.repeat(200)));
    const r = parseId3v2(
      tag(4, [frame('TIT2', long, { plainSize: true }), frame('TALB', text(3, Buffer.from('next')))]),
    );
    expect(r.tags).toEqual([
      { id: 'TIT2', value: 'x'.repeat(200) },
      { id: 'TALB', value: 'next' },
    ]);
  });

  it('reads ID3v2.2 three-letter frames and PIC pictures', () => {
    const v22 = (id: string, data: Buffer) =>
      Buffer.concat([Buffer.from(id), Buffer.from([0, 0, data.length]), data]);
    const pic = Buffer.concat([
      Buffer.from([0]),
      Buffer.from('PNG'),
      Buffer.from([3]),
      Buffer.from('cover\0'),
      Buffer.from([1, 2, 3]),
    ]);
    const r = parseId3v2(tag(2, [v22('TT2', text(0, Buffer.from('Old'))), v22('PIC', pic)]));
    expect(r.tags).toEqual([{ id: 'TT2', value: 'Old' }]);
    expect(r.pictures.map((p) => ({ ...p, data: [...p.data] }))).toEqual([
      { mime: 'image/png', type: 3, description: 'cover', data: [1, 2, 3] },
    ]);
  });

  it('leaves compressed frames to the general parser', () => {
    expect(() =>
      parseId3v2(tag(3, [frame('TIT2', text(0, Buffer.from('z')), { major: 3, flags: 0x80 })])),
    ).toThrow(NotHandledHere);
  });
});

describe('parseId3v1', () => {
  it('reads ID3v1.1 with a track number and genre', () => {
    const t = Buffer.alloc(128);
    t.write('TAG', 0, 'latin1');
    t.write('Title', 3, 'latin1');
    t.write('Artist', 33, 'latin1');
    t.write('1999', 93, 'latin1');
    t.write('note', 97, 'latin1');
    t[126] = 7;
    t[127] = 17;
    expect(parseId3v1(t)).toEqual([
      { id: 'title', value: 'Title' },
      { id: 'artist', value: 'Artist' },
      { id: 'year', value: '1999' },
      { id: 'comment', value: 'note' },
      { id: 'track', value: 7 },
      { id: 'genre', value: 'Rock' },
    ]);
    expect(parseId3v1(Buffer.alloc(128))).toBeUndefined();
  });
});

describe('parseId3v2, strict (what write-back takes in)', () => {
  const image = Buffer.from('89504e470d0a1a0a', 'hex');
  const title = (enc: Encoding, ...values: string[]) => ({ id: 'TIT2', data: textData(enc, ...values) });

  it('takes every valid shape whole, as the lenient read does', () => {
    const shapes: Array<[string, Buffer]> = [
      ['ID3v2.2', id3Tag({ version: 2, frames: [{ id: 'TT2', data: textData(1, 'Two') }], padding: 40 })],
      [
        'ID3v2.3, unsynchronised, an extended header, UTF-16',
        id3Tag({
          version: 3,
          unsync: true,
          extended: true,
          frames: [
            title(1, 'ÿÿ\u00e0 Three'),
            { id: 'TXXX', data: txxxData(1, 'CATALOGNUMBER', 'X-1') },
            { id: 'APIC', data: apicData(0, 'image/png', 3, '', Buffer.from([0xff, 0xe0, 0xff])) },
          ],
          padding: 100,
        }),
      ],
      [
        'ID3v2.4, unsynchronised frames, a data length indicator, every encoding, two comments',
        id3Tag({
          version: 4,
          unsync: true,
          frames: [
            { ...title(3, 'Four', 'Vier'), format: 0x01 },
            { id: 'TPE1', data: textData(2, 'Big Endian') },
            { id: 'TALB', data: textData(0, 'Caf\u00e9') },
            { id: 'COMM', data: commData(1, 'eng', '', 'one') },
            { id: 'COMM', data: commData(1, 'eng', '', 'two') },
            { id: 'UFID', data: ufidData('http://musicbrainz.org', 'c2b2c6d1') },
            { id: 'APIC', data: apicData(3, 'image/png', 3, 'front', image) },
          ],
          padding: 10,
        }),
      ],
    ];
    for (const [what, tag] of shapes) {
      const strict = parseId3v2(tag, true);
      expect(strict, what).toEqual(parseId3v2(tag));
      expect(strict.tags.length, what).toBeGreaterThan(0);
    }
    // A footer instead of padding; an extended header with a CRC.
    const body = frameOf(4, title(3, 'Footed'));
    const head = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0x10, ...syncsafe(body.length)]);
    const footed = Buffer.concat([head, body, Buffer.from('3DI'), head.subarray(3)]);
    expect(parseId3v2(footed, true).tags).toEqual([{ id: 'TIT2', value: 'Footed' }]);
    const crc = Buffer.concat([syncsafeBytes(12), Buffer.from([1, 0x20, 5, 0, 0, 0, 0, 0])]);
    const withCrc = Buffer.concat([crc, body]);
    const crcTag = Buffer.concat([
      Buffer.from([0x49, 0x44, 0x33, 4, 0, 0x40, ...syncsafe(withCrc.length)]),
      withCrc,
    ]);
    expect(parseId3v2(crcTag, true).tags).toEqual([{ id: 'TIT2', value: 'Footed' }]);
  });

  // Each damaged tag and the reason write-back gives for it; the scan reads every one leniently.
  const v4 = (frames: FrameSpec[], more: Partial<TagSpec> = {}) =>
    id3Tag({ version: 4, frames, padding: 20, ...more });
  const v3 = (frames: FrameSpec[], more: Partial<TagSpec> = {}) =>
    id3Tag({ version: 3, frames, padding: 20, ...more });
  const good = v4([title(3, 'New Title'), { id: 'TPE1', data: textData(3, 'Artist') }]);
  const patched = (tag: Buffer, at: number, ...bytes: number[]) => {
    const copy = Buffer.from(tag);
    copy.set(bytes, at);
    return copy;
  };
  const resized = (tag: Buffer, size: number) =>
    Buffer.concat([tag.subarray(0, 6), syncsafeBytes(size), tag.subarray(10)]);
  const raw = (id: string, data: Buffer, status = 0, format = 0) =>
    Buffer.concat([
      Buffer.from(id, 'latin1'),
      syncsafeBytes(data.length),
      Buffer.from([status, format]),
      data,
    ]);
  const rawTag = (version: number, flags: number, body: Buffer) =>
    Buffer.concat([Buffer.from([0x49, 0x44, 0x33, version, 0, flags, ...syncsafe(body.length)]), body]);
  const DAMAGED: Array<[string, Buffer, RegExp]> = [
    [
      'the extended-header flag set on a tag without one (ID3v2.4)',
      patched(good, 5, 0x40),
      /ID3v2\.4 tag has an extended header of \d+ bytes, which does not fit its tag/,
    ],
    [
      'the extended-header flag set on a tag without one (ID3v2.3)',
      patched(v3([title(1, 'x')]), 5, 0x40),
      /ID3v2\.3 tag has an extended header of 1414091826 bytes, where ID3v2\.3 allows 6 or 10/,
    ],
    [
      'a torn rewrite: the old tag’s bytes where the next frame header should be',
      patched(good, 31, ...Buffer.from('gularity Mu')),
      /tag has "gula" where a frame id should be \(at byte 31\)/,
    ],
    [
      'a frame that runs past the end of the tag',
      resized(good, 35).subarray(0, 45),
      /ID3v2\.4 tag's frame TPE1 \(at byte 31\) runs past the end of the tag/,
    ],
    [
      'bytes after the padding',
      patched(good, good.length - 3, 0x41),
      /has bytes other than zero padding after its last frame \(at byte \d+\)/,
    ],
    [
      'a tag size past the bytes there are',
      resized(good, 4000),
      /says it is 4010 bytes long, but only \d+ are there/,
    ],
    [
      'bytes after the tag where it is stored (a chunk’s body)',
      Buffer.concat([good, Buffer.from('junk')]),
      /followed by bytes that are neither tag nor padding/,
    ],
    ['no ID3v2 header', patched(good, 0, 0x58), /no ID3v2 tag is where one should start/],
    [
      'a version Sleeve does not read',
      patched(good, 3, 5),
      /the tag is ID3v2\.5, a version Sleeve does not read/,
    ],
    [
      'header flags the version does not define',
      patched(v3([title(1, 'x')]), 5, 0x10),
      /ID3v2\.3 tag has header flags ID3v2\.3 does not define \(0x10\)/,
    ],
    [
      'a compressed ID3v2.2 tag',
      patched(id3Tag({ version: 2, frames: [{ id: 'TT2', data: textData(0, 'x') }] }), 5, 0x40),
      /ID3v2\.2 tag is marked compressed/,
    ],
    [
      'a header footer flag without its footer',
      Buffer.concat([patched(good, 5, 0x10), Buffer.alloc(10)]),
      /has a footer that does not match its header/,
    ],
    [
      'a v2.4 frame size that is not syncsafe (a plain one)',
      rawTag(
        4,
        0,
        Buffer.concat([
          Buffer.from('TIT2'),
          Buffer.from([0, 0, 0, 0x81, 0, 0]),
          textData(0, 'x'.repeat(128)),
        ]),
      ),
      /frame TIT2 has a size that is not syncsafe/,
    ],
    ['an empty frame', v4([title(3, 'x'), { id: 'TPE1', data: Buffer.alloc(0) }]), /frame TPE1 is empty/],
    [
      'a compressed frame',
      v3([{ ...title(0, 'x'), format: 0x80 }]),
      /frame TIT2 is compressed, which Sleeve does not read/,
    ],
    ['an encrypted frame', v4([{ ...title(0, 'x'), format: 0x04 }]), /frame TIT2 is encrypted/],
    ['a grouped frame', v4([{ ...title(0, 'x'), format: 0x40 }]), /frame TIT2 is grouped/],
    [
      'frame flags the version does not define',
      v4([{ ...title(0, 'x'), status: 0x01 }]),
      /frame TIT2 has flags ID3v2\.4 does not define/,
    ],
    [
      'a whole tag marked unsynchronised that is not',
      patched(v3([title(0, 'a\xff\xe0b')]), 5, 0x80),
      /ID3v2\.3 tag is marked unsynchronised, but holds bytes/,
    ],
    [
      'a frame marked unsynchronised that is not',
      rawTag(4, 0, raw('TIT2', Buffer.from([0, 0x61, 0xff, 0xe0, 0x62]), 0, 0x02)),
      /frame TIT2 is marked unsynchronised, but holds bytes/,
    ],
    [
      'a data length indicator that is wrong',
      rawTag(
        4,
        0,
        Buffer.concat([
          raw('TIT2', Buffer.concat([syncsafeBytes(9), textData(0, 'x')]), 0, 0x01),
          Buffer.alloc(8),
        ]),
      ),
      /frame TIT2 says its data is 9 bytes long, where it is 3/,
    ],
    [
      'UTF-8 in an ID3v2.3 tag',
      v3([title(3, 'x')]),
      /frame TIT2 has text encoding 3, which ID3v2\.3 does not have/,
    ],
    [
      'an encoding byte past the four',
      v4([{ id: 'TIT2', data: Buffer.from([7, 0x78]) }]),
      /frame TIT2 has text encoding 7, which ID3v2\.4 does not have/,
    ],
    [
      'text that is not UTF-8',
      v4([{ id: 'TIT2', data: Buffer.from([3, 0x61, 0xc3, 0x28]) }]),
      /frame TIT2 has text that is not valid UTF-8/,
    ],
    [
      'UTF-16 without a byte order mark',
      v4([{ id: 'TIT2', data: Buffer.from([1, 0x61, 0, 0x62, 0]) }]),
      /frame TIT2 has UTF-16 text without a byte order mark/,
    ],
    [
      'UTF-16 cut in the middle of a character',
      v4([{ id: 'TIT2', data: Buffer.from([1, 0xff, 0xfe, 0x61, 0, 0x62]) }]),
      /frame TIT2 has text that is not valid UTF-16/,
    ],
    [
      'a lone UTF-16 surrogate',
      v4([{ id: 'TIT2', data: Buffer.from([2, 0xd8, 0x00, 0, 0x61]) }]),
      /frame TIT2 has text that is not valid UTF-16BE/,
    ],
    [
      'a TXXX without the end of its description',
      v4([{ id: 'TXXX', data: Buffer.from([3, 0x61, 0x62]) }]),
      /frame TXXX ends inside its description/,
    ],
    [
      'a COMM too short for its language',
      v4([{ id: 'COMM', data: Buffer.from([3, 0x65]) }]),
      /frame COMM ends inside its language code/,
    ],
    [
      'a COMM whose language is not ASCII',
      v4([{ id: 'COMM', data: commData(0, 'e\xe9g', '', 'x') }]),
      /frame COMM has a language code that is not ASCII/,
    ],
    ['a text frame twice', v4([title(3, 'a'), title(3, 'b')]), /ID3v2\.4 tag has TIT2 frames twice/],
    [
      'a TXXX described the same twice',
      v4([
        { id: 'TXXX', data: txxxData(3, 'Mood', 'a') },
        { id: 'TXXX', data: txxxData(3, 'Mood', 'b') },
      ]),
      /has TXXX frames described "Mood" twice/,
    ],
    [
      'the same comment frame twice (a repeated write)',
      v4([
        { id: 'COMM', data: commData(3, 'eng', '', 'x') },
        { id: 'COMM', data: commData(3, 'eng', '', 'x') },
      ]),
      /has the same COMM frame twice/,
    ],
    [
      'a UFID without an owner',
      v4([{ id: 'UFID', data: Buffer.from('\0abc') }]),
      /frame UFID names no owner/,
    ],
    [
      'a UFID over 64 bytes',
      v4([{ id: 'UFID', data: ufidData('http://musicbrainz.org', 'x'.repeat(65)) }]),
      /frame UFID holds 65 bytes, over its 64/,
    ],
    [
      'a picture type ID3v2 does not define',
      v4([{ id: 'APIC', data: apicData(0, 'image/png', 21, '', image) }]),
      /frame APIC has picture type 21/,
    ],
    [
      'an APIC without the end of its MIME type',
      v4([{ id: 'APIC', data: Buffer.from([0, 0x69, 0x6d]) }]),
      /frame APIC ends inside its MIME type/,
    ],
    [
      'an ID3v2.3 extended header with a CRC flag and no CRC',
      rawTag(
        3,
        0x40,
        Buffer.concat([Buffer.from([0, 0, 0, 6, 0x80, 0, 0, 0, 0, 0]), frameOf(3, title(0, 'x'))]),
      ),
      /extended header whose size does not match its CRC flag/,
    ],
    [
      'an ID3v2.4 extended header with two flag bytes',
      rawTag(4, 0x40, Buffer.concat([syncsafeBytes(6), Buffer.from([2, 0]), frameOf(4, title(0, 'x'))])),
      /extended header with 2 flag bytes, where ID3v2\.4 has 1/,
    ],
    [
      'an ID3v2.4 extended header whose CRC data is short',
      rawTag(
        4,
        0x40,
        Buffer.concat([syncsafeBytes(8), Buffer.from([1, 0x20, 1, 0]), frameOf(4, title(0, 'x'))]),
      ),
      /extended header whose CRC data is 1 bytes, where ID3v2\.4 has 5/,
    ],
  ];

  it.each(DAMAGED)('refuses %s, with the reason', (_what, tag, reason) => {
    expect(() => parseId3v2(tag, true)).toThrow(DamagedTag);
    expect(() => parseId3v2(tag, true)).toThrow(reason);
    // The scan still reads it as best it can (or leaves it to the general parser).
    try {
      parseId3v2(tag);
    } catch (err) {
      expect(err).toBeInstanceOf(NotHandledHere);
    }
  });
});
