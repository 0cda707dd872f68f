// Ogg Vorbis / Opus / FLAC duration from the last page's granule position: a bounded read of the file's
// tail (fromTail) instead of music-metadata's walk over every page (docs/tag-formats.md: Ogg pages).
import { type ByteWindow, fromTail } from './file-window.ts';

function firstPacket(window: ByteWindow): { serial: number; packet: Buffer } | undefined {
  const head = window.head;
  if (head.length < 28 || head.toString('latin1', 0, 4) !== 'OggS') return undefined;
  const segments = head[26]!;
  const start = 27 + segments;
  let length = 0;
  for (let i = 0; i < segments; i++) length += head[27 + i]!;
  return { serial: head.readUInt32LE(14), packet: head.subarray(start, start + length) };
}

/** Seconds of audio, or null when the stream does not say (no valid final granule position). */
export function oggDuration(window: ByteWindow, codec: 'ogg-vorbis' | 'opus' | 'ogg-flac'): number | null {
  const first = firstPacket(window);
  if (!first) return null;
  const { packet, serial } = first;
  let rate: number;
  let preSkip = 0;
  if (codec === 'opus') {
    if (packet.length < 12) return null;
    rate = 48000;
    preSkip = packet.readUInt16LE(10);
  } else if (codec === 'ogg-flac') {
    // STREAMINFO follows the 13-byte mapping header and its 4-byte block header; the rate is 20 bits at its byte 10.
    if (packet.length < 30) return null;
    rate = (packet[27]! << 12) | (packet[28]! << 4) | (packet[29]! >> 4);
  } else {
    if (packet.length < 16) return null;
    rate = packet.readUInt32LE(12);
  }
  if (rate === 0) return null;
  const seconds = fromTail(window, 0, window.size, (tail) => {
    for (let at = tail.lastIndexOf('OggS'); at >= 0; at = at > 0 ? tail.lastIndexOf('OggS', at - 1) : -1) {
      if (at + 27 > tail.length || tail.readUInt32LE(at + 14) !== serial) continue;
      const granule = tail.readBigInt64LE(at + 6);
      if (granule < 0n) continue; // -1: no packet ends on this page
      return Math.max(0, Number(granule) - preSkip) / rate;
    }
    return undefined;
  });
  return seconds ?? null;
}
