// ID3v2 tag framing (docs/tag-formats.md: ID3v2 framing): only what is needed to skip tags.

/** Total bytes of the ID3v2 tag at `offset` (header, body and v2.4 footer), or 0 if none is there. */
export function id3v2TagLength(buf: Uint8Array, offset = 0): number {
  if (offset + 10 > buf.length) return 0;
  if (buf[offset] !== 0x49 || buf[offset + 1] !== 0x44 || buf[offset + 2] !== 0x33) return 0;
  const major = buf[offset + 3]!;
  if (major === 0xff || buf[offset + 4] === 0xff) return 0;
  let size = 0;
  for (let i = 6; i < 10; i++) {
    const b = buf[offset + i]!;
    if (b & 0x80) return 0;
    size = size * 128 + b;
  }
  const hasFooter = major === 4 && (buf[offset + 5]! & 0x10) !== 0;
  return 10 + size + (hasFooter ? 10 : 0);
}
