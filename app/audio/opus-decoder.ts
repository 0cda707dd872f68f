// FLAC, MPEG audio, Ogg Vorbis and Opus through the WebAssembly decoders from npm. The file is read in
// chunks and decoding stops as soon as the sink has enough, so a 10-minute FLAC costs only what is used.
import { open } from 'node:fs/promises';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { id3v2TagLength } from '../media/id3v2.ts';
import { type AudioSource, DecodeError, floatToS16, intFloatToS16, type PcmSink } from './pcm.ts';

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  bitDepth?: number;
  errors: { message: string }[];
}

interface WasmDecoder {
  ready: Promise<void>;
  decode(data: Uint8Array): Decoded | Promise<Decoded>;
  /** Emits what is still buffered (a FLAC frame ends only where the next begins). */
  flush?(): Promise<Decoded>;
  free(): void;
}

const CHUNK = 256 * 1024;

const FACTORIES: Record<string, () => WasmDecoder> = {
  flac: () => new FLACDecoder(),
  mp3: () => new MPEGDecoder(),
  'ogg-vorbis': () => new OggVorbisDecoder(),
  opus: () => new OggOpusDecoder(),
};

export function hasWasmDecoder(format: string): boolean {
  return format in FACTORIES;
}

export async function decodeWithWasm(source: AudioSource, sink: PcmSink): Promise<void> {
  const decoder = FACTORIES[source.format]!();
  await decoder.ready;
  const file = await open(source.path, 'r');
  try {
    const size = (await file.stat()).size;
    let pos = source.format === 'mp3' ? (source.audioStart ?? 0) : 0;
    const end = source.format === 'mp3' ? (source.audioEnd ?? size) : size;
    const buffer = new Uint8Array(CHUNK);
    let produced = 0;
    let firstError: string | undefined;
    const emit = (out: Decoded): boolean => {
      firstError ??= out.errors[0]?.message;
      if (out.samplesDecoded === 0) return true;
      produced += out.samplesDecoded;
      const n = out.samplesDecoded;
      const planes = out.channelData.map((c) =>
        source.format === 'flac' ? intFloatToS16(c, out.bitDepth ?? 16, n) : floatToS16(c, n),
      );
      return sink({ sampleRate: out.sampleRate, planes });
    };
    for (let first = true; pos < end; first = false) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(CHUNK, end - pos), pos);
      if (bytesRead === 0) break;
      let chunk = buffer.subarray(0, bytesRead);
      // The FLAC decoder wants `fLaC` first, not an ID3v2 tag some taggers put before it.
      if (first && source.format === 'flac')
        chunk = chunk.subarray(Math.min(id3v2TagLength(chunk), chunk.length));
      pos += bytesRead;
      if (!emit(await decoder.decode(chunk))) return;
    }
    if (decoder.flush && !emit(await decoder.flush())) return;
    if (produced === 0)
      throw new DecodeError(`cannot decode the audio${firstError ? `: ${firstError}` : ''}`);
  } finally {
    await file.close();
    decoder.free();
  }
}
