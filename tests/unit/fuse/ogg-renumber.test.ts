// Renumbered Ogg audio pages: any byte range reads as the same range of a whole read, valid pages get
// their sequence numbers moved and a right CRC, and bytes outside valid pages (junk, a cut last page)
// are served as they are.
import { describe, expect, it } from 'vitest';
import { oggCrc } from '../../../app/core/audio/ogg-checksum.ts';
import { readRenumbered } from '../../../app/core/served/ogg-renumber.ts';
import { lcg } from '../../helpers.ts';

function page(seq: number, bodyLength: number, next: () => number): Buffer {
  const lacing: number[] = [];
  for (let left = bodyLength; ; left -= 255) {
    lacing.push(Math.min(left, 255));
    if (left < 255) break;
  }
  const header = Buffer.alloc(27 + lacing.length);
  header.write('OggS', 0, 'latin1');
  header.writeUInt32LE(0x1234, 14);
  header.writeUInt32LE(seq, 18);
  header[26] = lacing.length;
  Buffer.from(lacing).copy(header, 27);
  const body = Buffer.from(Array.from({ length: bodyLength }, () => next() & 0xff));
  const out = Buffer.concat([header, body]);
  out.writeUInt32LE(oggCrc(out), 22);
  return out;
}

describe('readRenumbered', () => {
  const next = lcg(3);
  const pages = [page(2, 4000, next), page(3, 70, next), page(4, 9000, next)];
  const junk = Buffer.from('not a page, and OggS inside it is not one either');
  const later = page(5, 3000, next);
  const cut = page(6, 2000, next).subarray(0, 1500);
  const file = Buffer.concat([Buffer.from('HEAD'), ...pages, junk, later, cut]);
  const range = { start: 4, end: file.length };
  const read = (buf: Buffer, position: number) => file.copy(buf, 0, position, position + buf.length);
  const serve = (from: number, to: number) => {
    const out = Buffer.alloc(to - from);
    readRenumbered(read, range, 3, from, to, out, 0);
    return out;
  };
  const whole = serve(range.start, range.end);

  it('moves every valid page’s sequence number and makes its CRC anew, and leaves other bytes as they are', () => {
    let at = 0;
    for (const p of [...pages]) {
      const served = whole.subarray(at, at + p.length);
      expect(served.readUInt32LE(18)).toBe(p.readUInt32LE(18) + 3);
      expect(oggCrc(served)).toBe(served.readUInt32LE(22));
      expect(served.subarray(26)).toEqual(p.subarray(26));
      at += p.length;
    }
    expect(whole.subarray(at, at + junk.length)).toEqual(junk);
    expect(whole.subarray(at + junk.length).readUInt32LE(18)).toBe(8);
    expect(whole.subarray(-cut.length)).toEqual(cut);
  });

  it('gives for any range the bytes of a whole read', () => {
    for (let i = 0; i < 400; i++) {
      const from = range.start + (next() % (file.length - range.start));
      const to = Math.min(range.end, from + 1 + (next() % 12_000));
      expect(serve(from, to)).toEqual(whole.subarray(from - range.start, to - range.start));
    }
  });
});
