// One decode of a track's start into fpcalc's stream (16-bit mono at 11 025 Hz), handed to any number of
// sinks: the scan feeds Chromaprint and the embedding extractor from the same decode, and, when the
// whole track is wanted too (its loudness), every block of it at its own rate, to the end.
import type { CodecMessages } from '../audio/codec-messages.ts';
import { NativeDecode } from '../audio/native-decoder.ts';
import {
  type AudioSource,
  DecodeError,
  isSystemError,
  NO_AUDIO_SAMPLES,
  type PcmBlock,
} from '../audio/pcm.ts';

/** The rate Chromaprint works at, which fpcalc converts to. */
export const CHROMAPRINT_RATE = 11025;

export interface MonoSink {
  /** A view valid only during the call. */
  push(samples: Int16Array): void;
}

export interface MonoDecode {
  /** Seconds of mono audio delivered. */
  readonly seconds: number;
  /** Decoding and converting, in the native decoder. */
  readonly decodeMs: number;
  /** Time spent inside each sink's push, in the order given. */
  readonly sinkMs: readonly number[];
  /** Why the decode of the whole track stopped early, when it did past what the sinks needed. */
  readonly wholeFailed?: string;
}

export async function decodeMono(
  source: AudioSource,
  maxSeconds: number,
  sinks: readonly MonoSink[],
  /** Where what the decoder says about damaged data goes. */
  messages?: CodecMessages,
  /** Given every block of the whole track: the decode then goes on past `maxSeconds`. */
  whole?: (block: PcmBlock) => void,
): Promise<MonoDecode> {
  const limit = sinks.length > 0 ? Math.round(maxSeconds * CHROMAPRINT_RATE) : 0;
  const sinkMs = sinks.map(() => 0);
  let fed = 0;
  let decodeMs = 0;
  let decoded = false;
  let wholeFailed: string | undefined;
  const deliver = (mono: Int16Array): void => {
    const out = fed + mono.length > limit ? mono.subarray(0, limit - fed) : mono;
    let t = performance.now();
    for (let i = 0; i < sinks.length; i++) {
      sinks[i]!.push(out);
      const now = performance.now();
      sinkMs[i] = sinkMs[i]! + now - t;
      t = now;
    }
    fed += out.length;
  };
  const t0 = performance.now();
  const decode = new NativeDecode(source, CHROMAPRINT_RATE, limit, whole !== undefined);
  decodeMs += performance.now() - t0;
  try {
    for (;;) {
      const t1 = performance.now();
      const block = decode.read();
      decodeMs += performance.now() - t1;
      for (const [i, line] of (block.messages ?? []).entries()) messages?.add(line, block.messageTimes![i]);
      if (block.mono && block.mono.length > 0) {
        decoded = true;
        deliver(block.mono);
      }
      if (whole && block.planes && block.planes[0]!.length > 0) {
        decoded = true;
        whole({ sampleRate: decode.sampleRate, planes: block.planes });
      }
      if (block.error !== undefined) {
        const why = `cannot read the audio: ${block.error}`;
        // Damage past what the sinks took fails only the whole track's part: theirs is complete.
        if (!(whole && fed >= limit)) throw new DecodeError(why, !decoded && !isSystemError(why));
        wholeFailed = why;
      }
      if (block.ended) {
        if (block.dropped > 0)
          messages?.add(`${block.dropped} frames with another sample rate or channel count were skipped`);
        break;
      }
    }
  } finally {
    decode.close();
  }
  if (!decoded) throw new DecodeError(NO_AUDIO_SAMPLES, true);
  return {
    seconds: fed / CHROMAPRINT_RATE,
    decodeMs,
    sinkMs,
    ...(wholeFailed !== undefined ? { wholeFailed } : {}),
  };
}
