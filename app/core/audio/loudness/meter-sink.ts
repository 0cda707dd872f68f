// A track's loudness and bandwidth from the blocks of a decode as they stream past (memory bounded by the
// decoder's blocks): the scan's analysis hands it every block of the whole file.
import { BandwidthMeter } from '../bandwidth-meter.ts';
import { DecodeError, NO_AUDIO_SAMPLES, type PcmBlock } from '../pcm.ts';
import { LoudnessMeter, type TrackLoudness } from './loudness-meter.ts';

/** What is measured of a whole track: its loudness, the highest frequency its audio reaches (Hz), and its
 *  edge clear of the noise floor (Hz) with how far it falls there (dB: bandwidth-meter.ts). */
export type TrackMeasures = TrackLoudness & {
  readonly bandwidth: number | null;
  readonly edge: number | null;
  readonly cliff: number | null;
};

/** Measures every block it is given, starting its meters on the first. */
export class MeterSink {
  #meters: { loudness: LoudnessMeter; bandwidth: BandwidthMeter } | undefined;

  push(block: PcmBlock): void {
    this.#meters ??= {
      loudness: new LoudnessMeter(block.sampleRate, block.planes.length),
      bandwidth: new BandwidthMeter(block.sampleRate),
    };
    this.#meters.loudness.push(block);
    this.#meters.bandwidth.push(block);
  }

  finish(): TrackMeasures {
    if (!this.#meters) throw new DecodeError(NO_AUDIO_SAMPLES);
    const band = this.#meters.bandwidth.finish();
    return {
      ...this.#meters.loudness.finish(),
      bandwidth: band?.top ?? null,
      edge: band?.edge ?? null,
      cliff: band?.cliff ?? null,
    };
  }
}
