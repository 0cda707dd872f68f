// A track's loudness from the blocks of a decode as they stream past (memory bounded by the decoder's
// blocks): the scan's analysis hands it every block of the whole file.
import { DecodeError, type PcmBlock } from '../pcm.ts';
import { LoudnessMeter, type TrackLoudness } from './loudness-meter.ts';

/** Measures every block it is given, starting its meter on the first. */
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
