import type { ByteWindow } from './file-window.ts';
import { type MpegFrameHeader, parseMpegFrameHeader } from './mpeg-frame.ts';

/** Bytes looked at per read while searching for the first frame. */
const SEARCH_STEP = 4096;

/**
 * Finds the first MPEG frame at or after `from`, searching `searchBytes` further. A candidate counts
 * only if another valid header with the same layer and version follows one frame later (or the file
 * ends there): a lone 0xFFE bit pattern is common in junk and in tags.
 */
export function findMpegStart(
  window: ByteWindow,
  from: number,
  searchBytes: number,
): { offset: number; header: MpegFrameHeader } | undefined {
  // A step at a time: the first frame is almost always right at `from`, and a scan reads no more than it needs.
  for (let step = 0; step <= searchBytes; step += SEARCH_STEP) {
    const buf = window.read(from + step, SEARCH_STEP + 4);
    const last = Math.min(SEARCH_STEP - 1, searchBytes - step, buf.length - 4);
    for (let i = 0; i <= last; i++) {
      if (buf[i] !== 0xff) continue;
      const header = parseMpegFrameHeader(buf, i);
      if (!header) continue;
      const at = from + step + i;
      const nextAt = at + header.frameLength;
      if (nextAt >= window.size) return { offset: at, header };
      const next = parseMpegFrameHeader(window.read(nextAt, 4), 0);
      if (next && next.layer === header.layer && next.version === header.version)
        return { offset: at, header };
    }
    if (buf.length < SEARCH_STEP + 4) return undefined;
  }
  return undefined;
}
