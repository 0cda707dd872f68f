// Decodes the start of a track to 16-bit PCM: WebAssembly decoders for FLAC, MP3, Ogg Vorbis and Opus,
// a built-in reader for WAV and AIFF, and `ffmpeg` for everything else.
import { decodeWithFfmpeg } from './ffmpeg-decoder.ts';
import type { AudioSource, PcmSink } from './pcm.ts';
import { decodePcmFile } from './pcm-file.ts';
import { decodeWithWasm, hasWasmDecoder } from './wasm-decoders.ts';

/** Streams decoded blocks to `sink` until it declines more or `maxSeconds` of audio have been offered. */
export async function decodeAudio(source: AudioSource, maxSeconds: number, sink: PcmSink): Promise<void> {
  if (hasWasmDecoder(source.format)) return decodeWithWasm(source, sink);
  if (source.format === 'wav' || source.format === 'aiff') return decodePcmFile(source, sink);
  return decodeWithFfmpeg(source, maxSeconds, sink);
}
