// The audio pages of an Ogg file whose served header takes another number of pages than the original's:
// each page's sequence number moves by as much, and its CRC is made anew (docs/tag-formats.md: Ogg pages).
// Any byte range can be asked for: the pages around it are read whole, patched, and the part asked for
// copied out, so a read in the middle of a page gives the bytes a whole read gives. Bytes that are not
// in a valid page (a cut last page, junk) are served as they are.
import { oggCrc } from '../audio/ogg-checksum.ts';

const HEADER = 27;
/** The longest page: 255 lacing values of 255 bytes. */
export const MAX_PAGE = HEADER + 255 + 255 * 255;

/** The length of the valid page at `at` in `buf` (capture pattern, whole, CRC right), else 0. */
function pageLength(buf: Buffer, at: number): number {
  if (at + HEADER > buf.length || buf.readUInt32BE(at) !== 0x4f676753 || buf[at + 4] !== 0) return 0;
  const segments = buf[at + 26]!;
  if (at + HEADER + segments > buf.length) return 0;
  let length = HEADER + segments;
  for (let i = 0; i < segments; i++) length += buf[at + HEADER + i]!;
  if (at + length > buf.length) return 0;
  const page = buf.subarray(at, at + length);
  return oggCrc(page) === page.readUInt32LE(22) ? length : 0;
}

/** The next valid page's start at or after `from` in `buf`, or buf.length. */
function nextPage(buf: Buffer, from: number): number {
  for (let at = buf.indexOf('OggS', from, 'latin1'); at >= 0; at = buf.indexOf('OggS', at + 1, 'latin1')) {
    if (pageLength(buf, at) > 0) return at;
  }
  return buf.length;
}

/** The valid page holding byte `at` of `buf`, if any (it starts at most MAX_PAGE bytes before). */
function pageHolding(buf: Buffer, at: number): number | undefined {
  for (let start = buf.lastIndexOf('OggS', at, 'latin1'); start >= 0 && at - start < MAX_PAGE; ) {
    const length = pageLength(buf, start);
    if (length > 0 && start + length > at) return start;
    if (start === 0) break;
    start = buf.lastIndexOf('OggS', start - 1, 'latin1');
  }
  return undefined;
}

/**
 * Copies the original's bytes [from, to) — within the audio range [start, end) — into `target` at
 * `offset`, every valid page among them with its sequence number moved by `shift`. `read(buf, position)`
 * fills `buf` from the original (returning how many bytes it read).
 */
export function readRenumbered(
  read: (buf: Buffer, position: number) => number,
  range: { readonly start: number; readonly end: number },
  shift: number,
  from: number,
  to: number,
  target: Uint8Array,
  offset: number,
): number {
  // Every page that can hold a byte of [from, to) lies in [from − MAX_PAGE, to + MAX_PAGE).
  const lo = Math.max(range.start, from - MAX_PAGE);
  const buf = Buffer.allocUnsafe(Math.min(range.end, to + MAX_PAGE) - lo);
  const got = read(buf, lo);
  const bytes = buf.subarray(0, got);
  const [a, b] = [from - lo, Math.min(to - lo, got)];
  let at = pageHolding(bytes, a) ?? nextPage(bytes, a);
  const copy = (src: Uint8Array, srcStart: number, begin: number, stop: number) => {
    const s = Math.max(begin, a);
    const e = Math.min(stop, b);
    if (s < e) target.set(src.subarray(srcStart + s - begin, srcStart + e - begin), offset + s - a);
  };
  copy(bytes, a, a, Math.min(at, b)); // bytes before the first page, as they are
  while (at < b) {
    const length = pageLength(bytes, at);
    if (length === 0) {
      const next = nextPage(bytes, at + 1);
      copy(bytes, at, at, next);
      at = next;
      continue;
    }
    const page = Buffer.from(bytes.subarray(at, at + length));
    page.writeUInt32LE((page.readUInt32LE(18) + shift) >>> 0, 18);
    page.writeUInt32LE(oggCrc(page), 22);
    copy(page, 0, at, at + length);
    at += length;
  }
  // The original ends early (it changed since it was opened): only what was read.
  return Math.max(0, b - a);
}
