// Worker thread: reads a batch of files (format, properties, tags, art, audio range).
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../../kit/worker-pool.ts';
import type { ReadOutcome } from '../library/ingest.ts';
import { readTrack, UnreadableTrackError } from '../media/read-track.ts';

const seenArt = new Set<string>();

async function readBatch(paths: string[]): Promise<ReadOutcome[]> {
  const out: ReadOutcome[] = [];
  for (const path of paths) {
    try {
      out.push({ track: await readTrack(path, seenArt) });
    } catch (err) {
      if (err instanceof UnreadableTrackError) out.push({ error: err.message, notAudio: err.notAudio });
      else out.push({ error: `reader failed: ${String(err)}` });
    }
  }
  return out;
}

if (parentPort) serveTasks(parentPort, readBatch);
