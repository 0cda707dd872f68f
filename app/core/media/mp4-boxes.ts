// ISO BMFF / QuickTime box structure (docs/tag-formats.md: MP4 boxes): each box is a 32-bit size and a
// four-character type, the size 1 meaning a 64-bit size follows and 0 "to the end of the enclosing box".
import type { ByteWindow } from './file-window.ts';

export interface Mp4Box {
  readonly type: string;
  readonly start: number;
  /** Where the box's contents begin (after its size, type and any 64-bit size). */
  readonly bodyStart: number;
  readonly end: number;
}

/** The boxes from `from` to `to`, in order; undefined if a size cannot be followed (broken structure). */
export function childBoxes(window: ByteWindow, from: number, to: number): Mp4Box[] | undefined {
  const boxes: Mp4Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    const h = window.read(at, 16);
    let size = h.readUInt32BE(0);
    let header = 8;
    if (size === 1) {
      if (h.length < 16) return undefined;
      size = Number(h.readBigUInt64BE(8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) return undefined;
    boxes.push({ type: h.toString('latin1', 4, 8), start: at, bodyStart: at + header, end: at + size });
    at += size;
  }
  return at === to ? boxes : undefined;
}

/** The first child of `parent` with this type. */
function child(window: ByteWindow, parent: Mp4Box, type: string, skip = 0): Mp4Box | undefined {
  return childBoxes(window, parent.bodyStart + skip, parent.end)?.find((b) => b.type === type);
}

/**
 * The file's iTunes metadata list, `moov/udta/meta/ilst`. `meta` is a full box (4 bytes of version and
 * flags before its children) in ISO files and a plain one in QuickTime's; which one shows by where its
 * `hdlr` child starts.
 */
export function findIlst(window: ByteWindow): Mp4Box | undefined {
  const top = childBoxes(window, 0, window.size);
  const moov = top?.find((b) => b.type === 'moov');
  const udta = moov && child(window, moov, 'udta');
  const meta = udta && child(window, udta, 'meta');
  if (!meta) return undefined;
  const plain = window.read(meta.bodyStart + 4, 4).toString('latin1') === 'hdlr';
  return child(window, meta, 'ilst', plain ? 0 : 4);
}
