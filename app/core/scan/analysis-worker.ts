// Worker process: analyses files, decoding each once for its fingerprint, its embedding and its loudness.
// A process (analysis.ts), not a thread: FFmpeg's decoders run here, and a file that crashed one would
// otherwise take the scan, and the app's backend, with it.
import { serveEachOf, taskPort } from '../../../kit/worker-pool.ts';
import { formatDuration } from '../../shared/fields.ts';
import { CodecMessages } from '../audio/codec-messages.ts';
import { type LoudnessOutcome, loudnessOutcome } from '../audio/loudness/loudness-store.ts';
import { MeterSink } from '../audio/loudness/meter-sink.ts';
import { DecodeError } from '../audio/pcm.ts';
import { ChromaprintError } from '../fingerprint/chromaprint.ts';
import { FingerprintSink, MAX_SECONDS } from '../fingerprint/fingerprint-audio.ts';
import type { FingerprintOutcome } from '../fingerprint/fingerprint-store.ts';
import { CHROMAPRINT_RATE, decodeMono } from '../fingerprint/mono-decode.ts';
import { embeddingExtractor } from '../similar/current-extractor.ts';
import type { EmbeddingRecord } from '../similar/embedding-store.ts';
import type { AnalysisOutcome, AnalysisTask } from './analysis-pool.ts';

// The extractor shares Chromaprint's mono stream; another rate would need its own converter.
if (embeddingExtractor.sampleRate !== CHROMAPRINT_RATE)
  throw new Error(
    `${embeddingExtractor.name} wants ${embeddingExtractor.sampleRate} Hz; the scan decodes to ${CHROMAPRINT_RATE} Hz`,
  );

/** Runs `finish`, turning a failure into this output's error, so one output's failure keeps the other. */
function settle<T>(finish: () => T, failed: (reason: string) => T): T {
  try {
    return finish();
  } catch (err) {
    return failed(err instanceof Error ? err.message : String(err));
  }
}

async function analyze(task: AnalysisTask): Promise<AnalysisOutcome> {
  const started: Array<{ close(): void }> = [];
  const meter = task.loudness ? new MeterSink() : undefined;
  // What the decoder says about this file becomes its warning, never output of the process.
  const messages = new CodecMessages();
  const warning = () => messages.summary();
  try {
    // In here: without the audio addon (not built), starting Chromaprint fails this file, saying why.
    const fingerprint = task.fingerprint ? new FingerprintSink() : undefined;
    const embedding = task.embed ? embeddingExtractor.start() : undefined;
    const sinks = [fingerprint, embedding].filter((s) => s !== undefined);
    started.push(...sinks);
    const maxSeconds = Math.max(
      task.fingerprint ? MAX_SECONDS : 0,
      task.embed ? embeddingExtractor.maxSeconds : 0,
    );
    // A path's bytes arrive from the scan's process as a plain Uint8Array; the addon takes a Buffer.
    const source = typeof task.path === 'string' ? task : { ...task, path: Buffer.from(task.path) };
    const decode = await decodeMono(source, maxSeconds, sinks, messages, meter && ((b) => meter.push(b)));
    return {
      warning: warning(),
      loudness:
        meter &&
        (decode.wholeFailed === undefined
          ? settle((): LoudnessOutcome => loudnessOutcome(meter.finish()), failedLoudness)
          : partialLoudness(meter, decode.wholeFailed)),
      fingerprint:
        fingerprint &&
        settle(
          (): FingerprintOutcome => {
            const fp = fingerprint.finish(decode, 0);
            return { status: fp.status, compressed: fp.compressed, seconds: fp.seconds };
          },
          (error) => ({ status: 'error', error }),
        ),
      embedding:
        embedding &&
        settle(
          (): EmbeddingRecord => embedding.finish(),
          (reason) => ({ status: 'error', reason }),
        ),
    };
  } catch (err) {
    const known = err instanceof DecodeError || err instanceof ChromaprintError;
    const failed = known ? err.message : `decoder failed: ${String(err)}`;
    return {
      failed,
      ...(err instanceof DecodeError && err.nothing ? { undecodable: true as const } : {}),
      warning: warning(),
      loudness: meter && partialLoudness(meter, failed),
    };
  } finally {
    for (const sink of started) sink.close();
  }
}

const failedLoudness = (note: string): LoudnessOutcome => ({ status: 'error', note });

/** A decode that failed part-way: the loudness of what decoded, said to be that, if there is a block. */
function partialLoudness(meter: MeterSink, failed: string): LoudnessOutcome {
  return settle(
    (): LoudnessOutcome => {
      const measured = meter.finish();
      if (measured.integrated === null) return failedLoudness(failed);
      return loudnessOutcome(
        measured,
        `measured from the first ${formatDuration(measured.seconds)}, where decoding stopped: ${failed}`,
      );
    },
    () => failedLoudness(failed),
  );
}

const port = taskPort<AnalysisTask[], AnalysisOutcome[]>();
if (port) serveEachOf(port, analyze);
