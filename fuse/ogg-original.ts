// What a served Ogg Vorbis/Opus file keeps from its original: the first page (the identification packet)
// as it is and the Vorbis setup packet, checked against what the scan recorded (so the header built
// from them has the size the mount already announced). Synchronous, as flac-original.ts, for the same
// reason: it runs on a file's first open, where the reads are a few page-cache hits.
import { readSync } from 'node:fs';
import { type OggKept, oggHeaderPackets } from '../app/core/media/fast-readers.ts';
import { bufferWindow } from '../app/core/media/file-window.ts';
import type { OggCodec } from '../app/core/served/ogg-header.ts';
import { OriginalChangedError } from './flac-original.ts';

export interface OggOriginal {
  readonly idPage: Buffer;
  /** The Vorbis setup packet (empty for Opus). */
  readonly setup: Buffer;
  /** Audio packets on the last header page (see OggKept.tail). */
  readonly tail: Buffer[];
}

/** Reads the header pages that end at `audioStart`. */
export function readOggOriginal(fd: number, codec: OggCodec, kept: OggKept, audioStart: number): OggOriginal {
  const bytes = Buffer.alloc(audioStart);
  if (readSync(fd, bytes, 0, audioStart, 0) !== audioStart) {
    throw new OriginalChangedError('the Ogg headers end early');
  }
  const pages = oggHeaderPackets(bufferWindow(bytes), codec === 'opus' ? 2 : 3);
  const setup = codec === 'opus' ? Buffer.alloc(0) : pages.packets[2]!;
  if (
    pages.end !== audioStart ||
    pages.firstPageEnd !== kept.idPage ||
    pages.pages - 1 !== kept.pages ||
    setup.length !== kept.setup ||
    pages.tail.map((p) => p.length).join() !== (kept.tail ?? []).join()
  ) {
    throw new OriginalChangedError('the Ogg headers changed on disk since they were scanned; rescan it');
  }
  return { idPage: bytes.subarray(0, kept.idPage), setup, tail: pages.tail };
}
