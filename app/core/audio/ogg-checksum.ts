// Checks the CRC of every Ogg page a decoder is fed. npm's Opus decoder does not (its Ogg parser runs
// with CRC checks off), and libopus takes most damaged packets for valid ones and plays them as noise:
// without this, a file with damaged pages would decode "fine" and say nothing.

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

/** Fed a stream's bytes in order, in chunks of any size: counts the pages whose CRC does not match.
 *  After a bad page it looks for the next capture pattern one byte on, as libogg does. An incomplete
 *  page at the end is not counted (a cut file is reported by the scan's read). */
export class OggPageChecker {
  #carry = new Uint8Array(0);
  pages = 0;
  bad = 0;

  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.#carry.length) {
      buf = new Uint8Array(this.#carry.length + chunk.length);
      buf.set(this.#carry);
      buf.set(chunk, this.#carry.length);
    }
    let pos = 0;
    for (;;) {
      pos = findCapture(buf, pos);
      if (pos < 0) {
        pos = Math.max(0, buf.length - 3); // "Ogg" may continue in the next chunk
        break;
      }
      if (buf.length - pos < 27) break;
      const segments = buf[pos + 26]!;
      if (buf.length - pos < 27 + segments) break;
      let body = 0;
      for (let i = 0; i < segments; i++) body += buf[pos + 27 + i]!;
      const length = 27 + segments + body;
      if (buf.length - pos < length) break;
      const stored = new DataView(buf.buffer, buf.byteOffset + pos + 22, 4).getUint32(0, true);
      // The CRC is computed with its own four bytes as zeros.
      let c = crc(buf, pos, pos + 22);
      c = crc(new Uint8Array(4), 0, 4, c);
      c = crc(buf, pos + 26, pos + length, c);
      this.pages++;
      if (c === stored) pos += length;
      else {
        this.bad++;
        pos += 1;
      }
    }
    // An incomplete page (at most MAX_PAGE bytes) or the last three bytes: kept for the next chunk.
    this.#carry = buf.slice(pos);
  }

  /** What to report, or undefined when every page checked out. */
  message(): string | undefined {
    if (this.bad === 0) return undefined;
    return `Ogg: ${this.bad} of ${this.pages} pages fail their checksum (damaged data)`;
  }
}

function findCapture(buf: Uint8Array, from: number): number {
  for (let i = from; i + 4 <= buf.length; i++)
    if (buf[i] === 0x4f && buf[i + 1] === 0x67 && buf[i + 2] === 0x67 && buf[i + 3] === 0x53) return i;
  return -1;
}
