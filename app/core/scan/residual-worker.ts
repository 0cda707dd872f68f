// Worker process: decodes the start of two copies of a recording into the fingerprint stream and says how
// far under the music their difference lies (residual.ts). A process, as the analysis's are: a decoder that
// crashes on a file takes only this pair with it.
import { serveEachOf, taskPort } from '../../../kit/worker-pool.ts';
import { type AudioSource, DecodeError, isSystemError } from '../audio/pcm.ts';
import { residualDb } from '../audio/residual.ts';
import { CHROMAPRINT_RATE, decodeMono } from '../fingerprint/mono-decode.ts';
import type { ResidualOutcome, ResidualTask } from './transcode-residuals.ts';

/** Seconds of each copy compared: enough music past an intro, a few megabytes of samples. */
const RESIDUAL_SECONDS = 60;

async function decodeStart(file: AudioSource): Promise<Int16Array> {
  const out = new Int16Array(RESIDUAL_SECONDS * CHROMAPRINT_RATE);
  let filled = 0;
  // A path's bytes arrive as a plain Uint8Array; the addon takes a Buffer.
  const source = typeof file.path === 'string' ? file : { ...file, path: Buffer.from(file.path) };
  await decodeMono(source, RESIDUAL_SECONDS, [
    {
      push(samples) {
        out.set(samples, filled);
        filled += samples.length;
      },
    },
  ]);
  return out.subarray(0, filled);
}

async function compare(task: ResidualTask): Promise<ResidualOutcome> {
  try {
    const [source, copy] = [await decodeStart(task.source), await decodeStart(task.copy)];
    return { db: residualDb(source, copy) };
  } catch (err) {
    const failed = err instanceof DecodeError ? err.message : `decoder failed: ${String(err)}`;
    return isSystemError(failed) ? { failed, again: true } : { failed };
  }
}

const port = taskPort<ResidualTask[], ResidualOutcome[]>();
if (port) serveEachOf(port, compare);
