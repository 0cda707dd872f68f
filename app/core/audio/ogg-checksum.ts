// Ogg's page checksum, for the pages the mount writes (served/ogg-header.ts, fuse/ogg-renumber.ts).

/** Ogg's CRC-32: polynomial 0x04c11db7, most significant bit first, no reflection, initial 0. */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let b = 0; b < 8; b++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function crc(bytes: Uint8Array, from: number, to: number, crc0 = 0): number {
  let c = crc0;
  for (let i = from; i < to; i++) c = ((c << 8) ^ TABLE[((c >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  return c;
}

/** A whole page's CRC, its own CRC field (bytes 22–25) counted as zeros. */
export function oggCrc(page: Uint8Array): number {
  const c = crc(page, 0, 22);
  return crc(page, 26, page.length, crc(new Uint8Array(4), 0, 4, c));
}
