// A whole track's loudness from one streamed decode (memory bounded by the decoder's blocks).
import type { CodecMessages } from '../codec-messages.ts';
import { decodeAudio } from '../decode.ts';
import { type AudioSource, DecodeError, type PcmBlock } from '../pcm.ts';
import { LoudnessMeter, type TrackLoudness } from './loudness-meter.ts';

/** A PcmSink's shape that measures every block it is given, starting its meter on the first. */
export class MeterSink {
  #meter: LoudnessMeter | undefined;

  push(block: PcmBlock): void {
    this.#meter ??= new LoudnessMeter(block.sampleRate, block.planes.length);
    this.#meter.push(block);
  }

  finish(): TrackLoudness {
    if (!this.#meter) throw new DecodeError('no audio samples');
    return this.#meter.finish();
  }
}

export async function measureLoudness(source: AudioSource, messages?: CodecMessages): Promise<TrackLoudness> {
  const sink = new MeterSink();
  await decodeAudio(
    source,
    Number.POSITIVE_INFINITY,
    (block) => {
      sink.push(block);
      return true;
    },
    messages,
  );
  return sink.finish();
}
