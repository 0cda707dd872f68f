// Worker thread: fingerprints a batch of files. One Chromaprint instance per thread.
import { parentPort } from 'node:worker_threads';
import { DecodeError } from '../audio/pcm.ts';
import { serveTasks } from '../scan/worker-pool.ts';
import { Chromaprint, ChromaprintError } from './chromaprint-wasm.ts';
import { fingerprintAudio } from './fingerprint-audio.ts';
import type { FingerprintOutcome, PendingFile } from './fingerprint-store.ts';

const chromaprint = new Chromaprint();

async function fingerprintBatch(files: PendingFile[]): Promise<FingerprintOutcome[]> {
  const out: FingerprintOutcome[] = [];
  for (const file of files) {
    try {
      const fp = await fingerprintAudio(file, chromaprint);
      out.push({ status: fp.status, compressed: fp.compressed, seconds: fp.seconds });
    } catch (err) {
      const known = err instanceof DecodeError || err instanceof ChromaprintError;
      out.push({ status: 'error', error: known ? err.message : `decoder failed: ${String(err)}` });
    }
  }
  return out;
}

if (parentPort) serveTasks(parentPort, fingerprintBatch);
