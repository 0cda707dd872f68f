// compare2, query extraction and the compressed format on hand-computed cases
// (docs/fingerprint-matching.md).
import { describe, expect, test } from 'vitest';
import { compareFingerprints } from '../../../app/core/fingerprint/compare.ts';
import {
  compressFingerprint,
  decompressFingerprint,
  FingerprintFormatError,
} from '../../../app/core/fingerprint/fingerprint-codec.ts';
import { queryTerms, SILENCE, windowTerms } from '../../../app/core/fingerprint/query-terms.ts';
import { matchRecordings } from '../../../app/core/fingerprint/recording-match.ts';
import { lcg } from '../../helpers.ts';

/** Items whose top 14 bits (the alignment key) are all distinct. */
const distinct = (n: number, salt = 0) =>
  Array.from({ length: n }, (_, i) => (((i + 1 + salt) << 18) | (i * 37)) >>> 0);

describe('compare2', () => {
  test('identical fingerprints score 1 at offset 0', () => {
    const a = distinct(8);
    expect(compareFingerprints(a, a)).toMatchObject({ score: 1, offset: 0, overlap: 8 });
  });

  test('one flipped bit over 4 words: 1 - 2·1/(64·4)', () => {
    const a = distinct(8);
    const b = [...a];
    b[3] = (b[3]! ^ 1) >>> 0;
    expect(compareFingerprints(a, b).score).toBeCloseTo(1 - 2 / 256, 12);
  });

  test('a fingerprint missing its first two items aligns at offset 2 and scores on the overlap', () => {
    const a = distinct(8);
    const b = a.slice(2);
    // minsize = min(8, 6) = 6, size = 3 words, no bit errors: (2·3/6)·1 = 1
    expect(compareFingerprints(a, b)).toMatchObject({ score: 1, offset: 2, overlap: 6 });
    expect(compareFingerprints(b, a)).toMatchObject({ score: 1, offset: -2 });
  });

  test('no shared keys: no alignment, score 0', () => {
    expect(compareFingerprints(distinct(8), distinct(8, 1000)).score).toBe(0);
  });

  test('repetitive audio is discounted: score^(8 − 7·diversity)', () => {
    const x = 0x12345678;
    const a = Array(100).fill(x);
    const b = Array(100).fill((x ^ 0xff) >>> 0); // 8 bits differ per item, same key
    // agreement = 1 − 2·800/(64·50) = 0.5; diversity = (1 + 10)/100 + 0.5 = 0.61
    expect(compareFingerprints(a, b).score).toBeCloseTo(0.5 ** (8 - 7 * 0.61), 12);
  });

  test('the most common offset wins within maxoffset only', () => {
    const a = distinct(300);
    const b = a.slice(100);
    expect(compareFingerprints(a, b, 80).score).toBe(0);
    expect(compareFingerprints(a, b, 300)).toMatchObject({ offset: 100, score: 200 / 200 });
  });
});

describe('query extraction', () => {
  test('silence alone gives no terms', () => {
    expect(queryTerms(Array(50).fill(SILENCE))).toEqual([]);
  });

  test('short fingerprints start at 0; items are masked, silence skipped, duplicates dropped', () => {
    const items = [0x1000000f, SILENCE, 0x10000001, 0x20000000, 0x1000000a];
    expect(queryTerms(items)).toEqual([0x10000000, 0x20000000]);
  });

  test('long fingerprints start at item 80 and stop at 120 terms', () => {
    const items = Array.from({ length: 400 }, (_, i) => (i << 4) >>> 0);
    const terms = queryTerms(items);
    expect(terms).toHaveLength(120);
    expect(terms[0]).toBe(80 << 4);
    expect(terms[119]).toBe(199 << 4);
  });

  test('start = min(clean − 120, 80) counts only non-silent items', () => {
    const items = [
      ...Array(30).fill(SILENCE),
      ...Array.from({ length: 150 }, (_, i) => ((i + 1) << 4) >>> 0),
    ];
    // clean = 150 → i0 = 30, which is the first non-silent item of the original array
    expect(queryTerms(items)[0]).toBe(1 << 4);
  });

  test('windows tile the whole fingerprint, 120 items each', () => {
    const items = Array.from({ length: 300 }, (_, i) => ((i + 1) << 4) >>> 0);
    const w = windowTerms(items, 16);
    expect(w.map((x) => x.length)).toEqual([120, 120, 60]);
    expect(w[1]![0]).toBe(121 << 4);
  });

  test('a last window under 20 terms is dropped; a fingerprint of one window is kept from 10 terms', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ((i + 1) << 4) >>> 0);
    expect(windowTerms(items(259), 16).map((x) => x.length)).toEqual([120, 120]);
    expect(windowTerms(items(19), 16).map((x) => x.length)).toEqual([19]);
    expect(windowTerms(items(10), 16).map((x) => x.length)).toEqual([10]);
    expect(windowTerms(items(9), 16)).toEqual([]);
  });
});

describe('short pieces', () => {
  /** 40 items (5 s): 24 of digital silence, then 16 of sound from `seed`. */
  const piece = (seed: number) => {
    const rand = lcg(seed);
    return Uint32Array.from({ length: 40 }, (_, i) => (i < 24 ? SILENCE : rand() >>> 0));
  };
  const track = (raw: Uint32Array) => ({ raw, duration: 5 });

  test('are copies by their sound, not by the silence they share', () => {
    const [a, b] = [piece(1), piece(2)];
    // Whole, the two agree on their silence enough for AcoustID's rule.
    expect(compareFingerprints(a, b, 40).score).toBeGreaterThan(0.4);
    expect(matchRecordings(track(a), track(b))).toBeNull();
    const copy = a.map((v, i) => (i >= 24 && i % 3 === 0 ? v ^ 1 : v) >>> 0);
    expect(matchRecordings(track(a), track(copy))).toMatchObject({ kind: 'full' });
  });
});

describe('cut copies', () => {
  const whole = Uint32Array.from(distinct(960));
  /** A copy cut after 21 s: its fingerprint's 150 items, each with `flipped` low bits changed. */
  const cut = (flipped: number) => whole.slice(0, 150).map((v) => (v ^ ((1 << flipped) - 1)) >>> 0);
  const track = (raw: Uint32Array, duration: number, title = 'Northerners') => ({ raw, duration, title });

  test('a cut agreeing bit for bit over ≈ 19 s is a partial copy, though under the ≈ 20 s a looser match needs', () => {
    expect(matchRecordings(track(whole, 207), track(cut(0), 21.4))).toMatchObject({
      kind: 'partial',
      score: 1,
      offset: 0,
    });
    // Untitled, a tenth of the whole: a recording holding part of the other, as a longer match would be.
    expect(matchRecordings(track(whole, 207, ''), track(cut(0), 21.4, ''))).toMatchObject({
      kind: 'related',
    });
  });

  test("a stretch that short agreeing only well above chance is no match, nor one that is a longer piece's intro", () => {
    // Five bits of 32 differ in each item: 1 − 2·5/32 ≈ 0.69.
    expect(matchRecordings(track(whole, 207), track(cut(5), 21.4))).toBeNull();
    // A 2:00 piece sharing the first 150 items bit for bit, then music of its own.
    const other = Uint32Array.from([...whole.slice(0, 150), ...distinct(810, 5000)]);
    expect(matchRecordings(track(whole, 207), track(other, 120))).toBeNull();
  });
});

describe('compressed fingerprints', () => {
  test('round-trip any items, exceptional bit gaps included, and refuse a truncated body', () => {
    const rand = lcg(11);
    // Sparse items have gaps of 7+ bits between set bits, which go to the 5-bit exception list.
    const raw = Uint32Array.from({ length: 997 }, (_, i) => (i % 3 === 0 ? rand() & 0x80000101 : rand()));
    const bytes = compressFingerprint(raw);
    const back = decompressFingerprint(bytes);
    expect(back.algorithm).toBe(1);
    expect(Array.from(back.raw)).toEqual(Array.from(raw));
    for (const cut of [1, 40, bytes.length - 8])
      expect(() => decompressFingerprint(bytes.subarray(0, cut))).toThrow(FingerprintFormatError);
  });
});
