import type { ByteWindow } from './file-window.ts';
import { type MpegFrameHeader, parseMpegFrameHeader } from './mpeg-frame.ts';

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
  const buf = window.read(from, searchBytes + 4);
  const last = Math.min(searchBytes, buf.length - 4);
  for (let i = 0; i <= last; i++) {
    if (buf[i] !== 0xff) continue;
    const header = parseMpegFrameHeader(buf, i);
    if (!header) continue;
    const nextAt = from + i + header.frameLength;
    if (nextAt >= window.size) return { offset: from + i, header };
    const next = parseMpegFrameHeader(window.read(nextAt, 4), 0);
    if (next && next.layer === header.layer && next.version === header.version)
      return { offset: from + i, header };
  }
  return undefined;
}
