// FLAC through Sleeve's own WebAssembly frame decoder (codecs/flac.c), a frame at a time, so only what
// the sink wants is read; samples reach it as 16-bit views of the decoder's memory: no float round trip,
// no per-frame copies.

import { open } from 'node:fs/promises';
import { AudioStructureError, flacAudioRange } from '../media/audio-range.ts';
import { parseStreamInfo } from '../media/fast-readers.ts';
import { FileWindow } from '../media/file-window.ts';
import { id3v2TagLength } from '../media/id3v2.ts';
import { type CodecExports, CodecInput, decodedBlock, instantiateCodec } from './codec-input.ts';
import type { CodecMessages } from './codec-messages.ts';
import { type AudioSource, DecodeError, type PcmSink } from './pcm.ts';

interface FlacExports extends CodecExports {
  decode_frame(at: number, len: number, streamRate: number, streamBits: number): number;
  find_sync(from: number, len: number): number;
}

/** decode_frame's results other than a frame's end. */
const NEED_MORE = -1;

/** The deepest samples the decoder takes (see flac.c). */
const MAX_BITS = 24;

/** The stream is deeper than the WebAssembly decoder handles; FFmpeg can take it. */
export class UnsupportedFlac extends DecodeError {
  override name = 'UnsupportedFlac';
}

interface StreamInfo {
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  /** File offsets of the first frame and of the end of the audio (before any trailing ID3v1 tag). */
  readonly firstFrame: number;
  readonly end: number;
}

/** Where the frames start and what STREAMINFO says: from the scanner's record when it has one, else
 *  read with the scanner's own parsers. */
function streamInfo(source: AudioSource): StreamInfo {
  const info =
    source.audioStart !== null && source.audioEnd !== null && source.sampleRate && source.bitDepth
      ? {
          sampleRate: source.sampleRate,
          bitsPerSample: source.bitDepth,
          firstFrame: source.audioStart,
          end: source.audioEnd,
        }
      : readStreamInfo(source.path);
  if (info.bitsPerSample > MAX_BITS) throw new UnsupportedFlac(`${info.bitsPerSample}-bit FLAC`);
  return info;
}

function readStreamInfo(path: string | Buffer): StreamInfo {
  const window = FileWindow.open(path);
  try {
    const marker = id3v2TagLength(window.head);
    if (window.read(marker, 4).toString('latin1') !== 'fLaC')
      throw new DecodeError('not a FLAC stream (no "fLaC" marker)');
    const { start, end } = flacAudioRange(window, marker); // STREAMINFO is checked to come first
    const { sampleRate, bitDepth } = parseStreamInfo(window.read(marker + 8, 34));
    return { sampleRate, bitsPerSample: bitDepth, firstFrame: start, end };
  } catch (err) {
    if (err instanceof AudioStructureError) throw new DecodeError(err.message);
    throw err;
  } finally {
    window.close();
  }
}

export async function decodeFlac(
  source: AudioSource,
  sink: PcmSink,
  messages?: CodecMessages,
): Promise<void> {
  const info = streamInfo(source);
  const file = await open(source.path, 'r');
  let frames = 0;
  let skipped = 0;
  try {
    const k = instantiateCodec<FlacExports>('flac');
    const input = new CodecInput(file, k, info.firstFrame, info.end);
    for (;;) {
      const end = k.decode_frame(input.at, input.len, info.sampleRate, info.bitsPerSample);
      if (end > 0) {
        frames++;
        input.at = end;
        if (!sink(decodedBlock(k)!)) return;
      } else if (end === NEED_MORE && (await input.more())) {
        // read on
      } else {
        if (input.at >= input.len) break;
        // Not a frame, one that cannot be decoded, or one that runs past the end of the file or the
        // window: skip to the next sync code, as FFmpeg does. (A frame cut by the end of the file is
        // the read's truncation warning, not damage.)
        if (end !== NEED_MORE || !input.eof) skipped++;
        const next = k.find_sync(input.at + 1, input.len);
        if (next >= 0) input.at = next;
        else {
          input.at = Math.max(input.at, input.len - 1); // the last byte may begin a sync code
          if (!(await input.more())) break;
        }
      }
    }
    if (frames === 0) throw new DecodeError('no decodable FLAC frames');
  } finally {
    if (skipped > 0) messages?.add(`FLAC: ${skipped} damaged ${skipped === 1 ? 'frame' : 'frames'} skipped`);
    await file.close();
  }
}
