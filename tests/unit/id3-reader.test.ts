import { describe, expect, it } from 'vitest';
import { parseId3v1, parseId3v2 } from '../../app/core/tags/id3-reader.ts';
import { NotHandledHere } from '../../app/core/tags/native.ts';

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
