// StreamVByte-style group varints: all 2-bit length codes first (four per control byte), then the values'
// little-endian bytes with leading zero bytes dropped. Separating control from data keeps decoding a
// table-free loop and lets a block's size be computed before it is written.

/** Bytes needed for `v` (1..4); 0 takes one byte. */
export function byteLength(v: number): number {
  return v < 0x100 ? 1 : v < 0x10000 ? 2 : v < 0x1000000 ? 3 : 4;
}

/** Size of `count` values whose data bytes total `dataBytes`. */
export function encodedSize(count: number, dataBytes: number): number {
  return ((count + 3) >>> 2) + dataBytes;
}

/** Writes values[0..count) at `offset` in `out`; returns the offset after the last data byte. */
export function encode(values: ArrayLike<number>, count: number, out: Uint8Array, offset: number): number {
  const controlBytes = (count + 3) >>> 2;
  out.fill(0, offset, offset + controlBytes);
  let pos = offset + controlBytes;
  for (let i = 0; i < count; i++) {
    const v = values[i]! >>> 0;
    const len = byteLength(v);
    out[offset + (i >>> 2)]! |= (len - 1) << ((i & 3) << 1);
    out[pos++] = v & 0xff;
    if (len > 1) out[pos++] = (v >>> 8) & 0xff;
    if (len > 2) out[pos++] = (v >>> 16) & 0xff;
    if (len > 3) out[pos++] = v >>> 24;
  }
  return pos;
}

/** Reads `count` values written by `encode` at `offset` into `out`; returns the offset after them. */
export function decode(src: Uint8Array, offset: number, count: number, out: Uint32Array): number {
  let pos = offset + ((count + 3) >>> 2);
  for (let i = 0; i < count; i++) {
    const len = ((src[offset + (i >>> 2)]! >>> ((i & 3) << 1)) & 3) + 1;
    let v = src[pos]!;
    if (len > 1) v |= src[pos + 1]! << 8;
    if (len > 2) v |= src[pos + 2]! << 16;
    if (len > 3) v |= src[pos + 3]! << 24;
    out[i] = v >>> 0;
    pos += len;
  }
  return pos;
}
