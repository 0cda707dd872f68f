// The signal descriptor as an embedding extractor ("sleeve-dsp"): buffers the mono stream it is fed (at
// most maxSeconds of it), then describes, standardizes and normalizes it.
import { DESCRIPTOR_SCALES } from './descriptor-scales.ts';
import { perFeatureWeights, toEmbedding } from './embedding-space.ts';
import type { EmbeddingExtractor, EmbeddingOutcome, ExtractorSession } from './extractor.ts';
import { MonoBuffer } from './mono-buffer.ts';
import { DESCRIPTOR_RATE, DESCRIPTOR_SIZE, describeSignal, SilentAudio } from './signal-descriptor.ts';

/** Below this, tempo and dynamics statistics mean little. */
const MIN_SECONDS = 8;
export const MAX_SECONDS = 120;

const weights = perFeatureWeights();

class DescriptorSession extends MonoBuffer implements ExtractorSession {
  constructor() {
    super(MAX_SECONDS * DESCRIPTOR_RATE);
  }

  finish(): EmbeddingOutcome {
    const seconds = this.length / DESCRIPTOR_RATE;
    if (seconds < MIN_SECONDS)
      return {
        status: 'too_short',
        reason: `${seconds.toFixed(1)} s of audio; at least ${MIN_SECONDS} s needed`,
        seconds,
      };
    try {
      const raw = describeSignal(this.samples());
      return { status: 'ok', vector: toEmbedding(raw, DESCRIPTOR_SCALES, weights), seconds };
    } catch (err) {
      if (err instanceof SilentAudio) return { status: 'silent', reason: err.message, seconds };
      throw err;
    }
  }
}

export const signalDescriptor: EmbeddingExtractor = {
  name: 'sleeve-dsp',
  version: 1,
  dimension: DESCRIPTOR_SIZE,
  sampleRate: DESCRIPTOR_RATE,
  maxSeconds: MAX_SECONDS,
  start: () => new DescriptorSession(),
};
