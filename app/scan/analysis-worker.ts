// Worker thread: analyses files, decoding each once for both its fingerprint and its embedding.
// One Chromaprint instance per thread.
import { parentPort } from 'node:worker_threads';
import { DecodeError } from '../audio/pcm.ts';
import { Chromaprint, ChromaprintError } from '../fingerprint/chromaprint-wasm.ts';
import { FingerprintSink, MAX_SECONDS } from '../fingerprint/fingerprint-audio.ts';
import { decodeMono, type MonoSink } from '../fingerprint/mono-decode.ts';
import { embeddingExtractor } from '../similar/current-extractor.ts';
import type { AnalysisOutcome, AnalysisTask } from './analysis.ts';
import { serveTasks } from './worker-pool.ts';

const chromaprint = new Chromaprint();

async function analyze(task: AnalysisTask): Promise<AnalysisOutcome> {
  const fingerprint = task.fingerprint ? new FingerprintSink(chromaprint) : undefined;
  const embedding = task.embed ? embeddingExtractor.start() : undefined;
  const sinks: MonoSink[] = [fingerprint, embedding].filter((s) => s !== undefined);
  try {
    const maxSeconds = Math.max(
      task.fingerprint ? MAX_SECONDS : 0,
      task.embed ? embeddingExtractor.maxSeconds : 0,
    );
    const decode = await decodeMono(task, maxSeconds, sinks);
    const fp = fingerprint?.finish(decode, 0);
    return {
      fingerprint: fp && { status: fp.status, compressed: fp.compressed, seconds: fp.seconds },
      embedding: embedding?.finish(),
    };
  } catch (err) {
    const known = err instanceof DecodeError || err instanceof ChromaprintError;
    return { failed: known ? err.message : `decoder failed: ${String(err)}` };
  } finally {
    fingerprint?.close();
  }
}

async function analyzeBatch(tasks: AnalysisTask[]): Promise<AnalysisOutcome[]> {
  const out: AnalysisOutcome[] = [];
  for (const task of tasks) out.push(await analyze(task));
  return out;
}

if (parentPort) serveTasks(parentPort, analyzeBatch);
