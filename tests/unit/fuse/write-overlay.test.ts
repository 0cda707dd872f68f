// A writable handle's view: served bytes with the handle's writes laid over them, in pages.
import { describe, expect, test } from 'vitest';
import { HEAD_BYTES } from '../../../app/core/media/file-window.ts';
import { MEMORY_PAGES, WriteOverlay } from '../../../app/core/mounted/write-overlay.ts';
import { lcg } from '../../helpers.ts';

const PAGE = 64 * 1024;

function served(size: number): Buffer {
  const next = lcg(7, 16);
  return Buffer.from(Array.from({ length: size }, () => next() & 0xff));
}

function overlayOf(base: Buffer): WriteOverlay {
  return new WriteOverlay((target, at, length, position) => {
    const n = Math.max(0, Math.min(length, base.length - position));
    base.copy(target, at, position, position + n);
    return n;
  }, base.length);
}

describe('WriteOverlay', () => {
  test('reads the served bytes until written, then the writes, across page boundaries', () => {
    const base = served(3 * PAGE + 100);
    const o = overlayOf(base);
    expect(o.read(0, base.length)).toEqual(base);
    expect(o.dirty).toBe(false);
    expect(o.touched(0, base.length)).toBe(false);
    const data = Buffer.alloc(PAGE + 10, 0xab);
    o.write(data, PAGE - 5);
    const expected = Buffer.from(base);
    data.copy(expected, PAGE - 5);
    expect(o.read(0, base.length)).toEqual(expected);
    expect(o.head).toEqual(expected.subarray(0, Math.min(expected.length, HEAD_BYTES)));
    expect(o.dirty).toBe(true);
    expect(o.touched(0, PAGE - 5)).toBe(true); // same page
    expect(o.touched(3 * PAGE, 3 * PAGE + 100)).toBe(false);
  });

  test('a truncation hides the served bytes: regrown bytes and gaps read as zeros', () => {
    const base = served(2 * PAGE);
    const o = overlayOf(base);
    o.truncate(100);
    expect(o.size).toBe(100);
    expect(o.read(0, 1000)).toEqual(base.subarray(0, 100));
    o.truncate(PAGE + 50);
    expect(o.read(100, PAGE - 100)).toEqual(Buffer.alloc(PAGE - 100));
    expect(o.read(PAGE, 50)).toEqual(Buffer.alloc(50));
    expect(o.touched(PAGE, PAGE + 50)).toBe(true);
    // A write far past the end leaves a hole of zeros.
    o.write(Buffer.from('tail'), 5 * PAGE);
    expect(o.size).toBe(5 * PAGE + 4);
    expect(o.read(3 * PAGE, 8)).toEqual(Buffer.alloc(8));
    expect(o.read(5 * PAGE, 10).toString()).toBe('tail');
  });

  test('moving the bytes up and back down (what taggers do when a tag grows, then shrinks)', () => {
    const base = served(PAGE * 2 + 7);
    const o = overlayOf(base);
    const grown = Buffer.concat([Buffer.alloc(5000, 1), base]);
    o.write(grown, 0);
    expect(o.read(0, grown.length)).toEqual(grown);
    o.write(base, 0);
    o.truncate(base.length);
    expect(o.read(0, o.size)).toEqual(base);
  });

  test('past its memory pages a writer spills to disk and reads back the same bytes', () => {
    const pages = MEMORY_PAGES + 40;
    const base = served(3 * PAGE + 11);
    const o = overlayOf(base);
    // Shift everything up by 1000 bytes, as a tagger growing a tag does, over more pages than memory holds.
    const moved = Buffer.concat([Buffer.alloc(1000, 7), base, served(pages * PAGE)]);
    for (let at = 0; at < moved.length; at += 128 * 1024) o.write(moved.subarray(at, at + 128 * 1024), at);
    expect(o.size).toBe(moved.length);
    expect(o.read(0, o.size).equals(moved)).toBe(true);
    // Truncation inside a spilled page zeroes its tail; regrown bytes read as zeros.
    const cut = (MEMORY_PAGES + 20) * PAGE + 333;
    o.truncate(cut);
    o.truncate(cut + PAGE);
    expect(o.read(cut - 10, 10).equals(moved.subarray(cut - 10, cut))).toBe(true);
    expect(o.read(cut, PAGE).equals(Buffer.alloc(PAGE))).toBe(true);
    o.close();
  });
});
