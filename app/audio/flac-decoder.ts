// FLAC through Sleeve's own WebAssembly frame decoder (codecs/flac.c), a frame at a time, so only what
// the sink wants is read; samples reach it as 16-bit views of the decoder's memory: no float round trip,
// no per-frame copies.

import { type FileHandle, open } from 'node:fs/promises';
import { id3v2TagLength } from '../media/id3v2.ts';
import { type CodecExports, CodecInput, decodedBlock, instantiateCodec } from './codec-input.ts';
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
  /** File offset of the first frame. */
  readonly firstFrame: number;
}

/** Reads exactly `n` bytes at `at`, or fails naming what was being read. */
async function readAt(file: FileHandle, at: number, n: number, what: string): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  const { bytesRead } = await file.read(buf, 0, n, at);
  if (bytesRead < n) throw new DecodeError(`the FLAC ${what} is truncated`);
  return buf;
}

/** STREAMINFO and where the frames start, skipping a leading ID3v2 tag and every other metadata block
 *  (pictures can be megabytes) without reading them. */
async function readStreamInfo(file: FileHandle): Promise<StreamInfo> {
  let at = id3v2TagLength(await readAt(file, 0, 10, 'header'));
  const marker = await readAt(file, at, 4, 'header');
  if (String.fromCharCode(...marker) !== 'fLaC')
    throw new DecodeError('not a FLAC stream (no "fLaC" marker)');
  at += 4;
  let info: Omit<StreamInfo, 'firstFrame'> | undefined;
  for (let last = false; !last; ) {
    const h = await readAt(file, at, 4, 'metadata');
    last = (h[0]! & 0x80) !== 0;
    const length = (h[1]! << 16) | (h[2]! << 8) | h[3]!;
    if ((h[0]! & 0x7f) === 0) {
      const s = await readAt(file, at + 4, 18, 'STREAMINFO');
      info = {
        sampleRate: (s[10]! << 12) | (s[11]! << 4) | (s[12]! >>> 4),
        bitsPerSample: (((s[12]! & 1) << 4) | (s[13]! >>> 4)) + 1,
      };
    }
    at += 4 + length;
  }
  if (!info) throw new DecodeError('the FLAC stream has no STREAMINFO');
  if (info.bitsPerSample > MAX_BITS) throw new UnsupportedFlac(`${info.bitsPerSample}-bit FLAC`);
  return { ...info, firstFrame: at };
}

export async function decodeFlac(source: AudioSource, sink: PcmSink): Promise<void> {
  const file = await open(source.path, 'r');
  try {
    const info = await readStreamInfo(file);
    const k = instantiateCodec<FlacExports>('flac');
    const input = new CodecInput(file, k, info.firstFrame, Number.POSITIVE_INFINITY);
    let frames = 0;
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
        // window: skip to the next sync code, as FFmpeg does.
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
    await file.close();
  }
}
