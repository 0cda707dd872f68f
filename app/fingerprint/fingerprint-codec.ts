// Chromaprint's compressed fingerprint: the bytes Sleeve stores (about 2.4 bytes per item instead of 4)
// and, base64url without padding, the string `fpcalc` prints. Decompression here recovers the raw items.

export class FingerprintFormatError extends Error {
  override name = 'FingerprintFormatError';
}

export const toFingerprintString = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

export const fromFingerprintString = (text: string): Uint8Array =>
  new Uint8Array(Buffer.from(text, 'base64url'));

/** The `index`-th little-endian packed value of `bits` bits, starting at byte `offset`. */
function packedAt(bytes: Uint8Array, offset: number, index: number, bits: number): number {
  const bit = index * bits;
  const at = offset + (bit >> 3);
  if (at >= bytes.length) throw new FingerprintFormatError('compressed fingerprint is truncated');
  const word = bytes[at]! | ((bytes[at + 1] ?? 0) << 8);
  return (word >> (bit & 7)) & ((1 << bits) - 1);
}

/** Packs values of `bits` bits little-endian, as Chromaprint does. */
function pack(values: readonly number[], bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * bits) / 8));
  values.forEach((v, i) => {
    const bit = i * bits;
    out[bit >> 3]! |= (v << (bit & 7)) & 0xff;
    if ((bit & 7) + bits > 8) out[(bit >> 3) + 1]! |= v >> (8 - (bit & 7));
  });
  return out;
}

/** Chromaprint's compression of raw items (the inverse of decompressFingerprint). */
export function compressFingerprint(raw: ArrayLike<number>, algorithm = 1): Uint8Array {
  const normal: number[] = [];
  const exceptional: number[] = [];
  let prev = 0;
  for (let i = 0; i < raw.length; i++) {
    let x = (raw[i]! ^ prev) >>> 0;
    prev = raw[i]!;
    let last = 0;
    for (let bit = 1; x !== 0; bit++, x >>>= 1) {
      if ((x & 1) === 0) continue;
      const delta = bit - last;
      if (delta >= 7) {
        normal.push(7);
        exceptional.push(delta - 7);
      } else normal.push(delta);
      last = bit;
    }
    normal.push(0);
  }
  const header = [algorithm, (raw.length >> 16) & 0xff, (raw.length >> 8) & 0xff, raw.length & 0xff];
  return new Uint8Array([...header, ...pack(normal, 3), ...pack(exceptional, 5)]);
}

/** Header (algorithm, item count), then per item the positions of the bits that changed from the
 *  previous item, as 3-bit deltas ending in 0; a delta of 7 continues in a 5-bit exception list. */
export function decompressFingerprint(bytes: Uint8Array): { algorithm: number; raw: Uint32Array } {
  if (bytes.length < 4) throw new FingerprintFormatError('compressed fingerprint is too short');
  const algorithm = bytes[0]!;
  const count = (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!;
  // The 3-bit section ends after `count` zeros; the 5-bit exceptions follow it.
  let values = 0;
  let exceptions = 0;
  for (let items = 0; items < count; values++) {
    const v = packedAt(bytes, 4, values, 3);
    if (v === 0) items++;
    else if (v === 7) exceptions++;
  }
  const extraAt = 4 + Math.ceil((values * 3) / 8);
  if (exceptions > 0) packedAt(bytes, extraAt, exceptions - 1, 5); // bounds check once
  const raw = new Uint32Array(count);
  let item = 0;
  let bit = 0;
  let prev = 0;
  let x = 0;
  let e = 0;
  for (let i = 0; i < values; i++) {
    const v = packedAt(bytes, 4, i, 3);
    if (v === 0) {
      prev = (prev ^ x) >>> 0;
      raw[item++] = prev;
      x = 0;
      bit = 0;
      continue;
    }
    bit += v === 7 ? 7 + packedAt(bytes, extraAt, e++, 5) : v;
    if (bit > 32) throw new FingerprintFormatError('compressed fingerprint has a bit position past 32');
    x |= 1 << (bit - 1);
  }
  return { algorithm, raw };
}
