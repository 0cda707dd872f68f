// Chromaprint's compressed fingerprint: the bytes Sleeve stores (about 2.4 bytes per item instead of 4)
// and, base64url without padding, the string `fpcalc` prints. Decompression here recovers the raw items.

export class FingerprintFormatError extends Error {
  override name = 'FingerprintFormatError';
}

export const toFingerprintString = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

export const fromFingerprintString = (text: string): Uint8Array =>
  new Uint8Array(Buffer.from(text, 'base64url'));

/** Every little-endian packed value of `bits` bits in bytes[from…to), in one sequential pass. */
function unpack(bytes: Uint8Array, from: number, to: number, bits: number): Uint8Array {
  const out = new Uint8Array(Math.floor(((to - from) * 8) / bits));
  const mask = (1 << bits) - 1;
  let buffer = 0;
  let held = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    buffer |= bytes[i]! << held;
    held += 8;
    while (held >= bits) {
      out[n++] = buffer & mask;
      buffer >>>= bits;
      held -= bits;
    }
  }
  return out;
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
  const normal = unpack(bytes, 4, bytes.length, 3);
  let values = 0;
  let exceptions = 0;
  for (let items = 0; items < count; values++) {
    if (values === normal.length) throw new FingerprintFormatError('compressed fingerprint is truncated');
    const v = normal[values]!;
    if (v === 0) items++;
    else if (v === 7) exceptions++;
  }
  const extra = unpack(bytes, 4 + Math.ceil((values * 3) / 8), bytes.length, 5);
  if (exceptions > extra.length) throw new FingerprintFormatError('compressed fingerprint is truncated');
  const raw = new Uint32Array(count);
  let item = 0;
  let bit = 0;
  let prev = 0;
  let x = 0;
  let e = 0;
  for (let i = 0; i < values; i++) {
    const v = normal[i]!;
    if (v === 0) {
      prev = (prev ^ x) >>> 0;
      raw[item++] = prev;
      x = 0;
      bit = 0;
      continue;
    }
    bit += v === 7 ? 7 + extra[e++]! : v;
    if (bit > 32) throw new FingerprintFormatError('compressed fingerprint has a bit position past 32');
    x |= 1 << (bit - 1);
  }
  return { algorithm, raw };
}
