// What a served Ogg Vorbis/Opus/FLAC file keeps from its original: the first page (the identification or
// mapping packet), the Vorbis setup packet or FLAC's kept metadata blocks, checked against what the scan recorded (so the header built
// from them has the size the mount already announced). Synchronous, over a window on the original, as
// flac-original.ts.
import {
  type OggKept,
  oggFlacHeaderCount,
  oggFlacKeptBlocks,
  oggHeaderPackets,
} from '../media/fast-readers.ts';
import { type ByteWindow, bufferWindow } from '../media/file-window.ts';
import { OriginalChangedError } from './flac-original.ts';
import type { OggCodec } from './ogg-header.ts';

export interface OggOriginal {
  readonly idPage: Buffer;
  /** The Vorbis setup packet (empty for Opus). */
  readonly setup: Buffer;
  /** Audio packets on the last header page (see OggKept.tail). */
  readonly tail: Buffer[];
  /** Ogg FLAC's kept metadata blocks. */
  readonly blocks: Buffer[];
}

/** Reads the header pages that end at `audioStart`. */
export function readOggOriginal(
  original: ByteWindow,
  codec: OggCodec,
  kept: OggKept,
  audioStart: number,
): OggOriginal {
  const bytes = Buffer.alloc(audioStart);
  if (original.readInto(bytes, 0, audioStart, 0) !== audioStart) {
    throw new OriginalChangedError('the Ogg headers end early');
  }
  const window = bufferWindow(bytes);
  const count = codec === 'flac' ? 1 + oggFlacHeaderCount(window) : codec === 'opus' ? 2 : 3;
  const pages = oggHeaderPackets(window, count);
  const setup = codec === 'vorbis' ? pages.packets[2]! : Buffer.alloc(0);
  const blocks = codec === 'flac' ? oggFlacKeptBlocks(pages.packets.slice(1)) : [];
  if (
    pages.end !== audioStart ||
    pages.firstPageEnd !== kept.idPage ||
    pages.pages - 1 !== kept.pages ||
    setup.length !== kept.setup ||
    pages.tail.map((p) => p.length).join() !== (kept.tail ?? []).join() ||
    blocks.map((b) => b.length).join() !== (kept.blocks ?? []).join()
  ) {
    throw new OriginalChangedError('the Ogg headers changed on disk since they were scanned; rescan it');
  }
  return { idPage: bytes.subarray(0, kept.idPage), setup, tail: pages.tail, blocks };
}
