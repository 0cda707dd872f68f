// The pluggable embedding extractor: anything that turns the first minutes of a track (mono, at its own
// fixed rate) into a fixed-size unit vector. The signal descriptor is the first; a learned model (ONNX)
// would be another, with its own name — stored vectors remember which extractor and version made them,
// and a scan recomputes those made by any other.

export type EmbeddingOutcome =
  | { readonly status: 'ok'; readonly vector: Float32Array; readonly seconds: number }
  | { readonly status: 'too_short' | 'silent'; readonly reason: string; readonly seconds: number };

export interface ExtractorSession {
  /** Mono 16-bit samples at the extractor's rate, in order. */
  push(samples: Int16Array): void;
  finish(): EmbeddingOutcome;
  /** Frees what the session holds for the next one; call it once done, finished or not. */
  close(): void;
}

export interface EmbeddingExtractor {
  readonly name: string;
  readonly version: number;
  readonly dimension: number;
  /** The mono sample rate it consumes. The scan shares Chromaprint's 11 025 Hz stream with it. */
  readonly sampleRate: number;
  /** Seconds from the start of the track it wants at most. */
  readonly maxSeconds: number;
  start(): ExtractorSession;
}
