// Worker thread: reads a batch of files (format, properties, tags, art, audio range).
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../../../kit/worker-pool.ts';
import type { ReadOutcome } from '../library/ingest.ts';
import { servedOfRead } from '../library/served-facts.ts';
import { readTrack, UnreadableTrackError } from '../media/read-track.ts';

/** The pictures this thread has sent whole in the scan under way, by hash: the scan's writer stores each
 *  once, and later files name it. A thread kept for another scan (of another library, or after pictures
 *  were collected) sends them again. */
let seenArt = new Set<string>();
let seenIn: number | undefined;

/** A file to read: its library path, its size as walked, and its bytes on disk when they are not valid
 *  UTF-8; `maxArtBytes`: the scan's cap on a picture (ReadOptions); `isNew`: the library has no row for
 *  it, so its served facts are worked out here (a file read again may have edits: the writer's). */
export interface ReadTask {
  readonly path: string;
  readonly size: number;
  /** The scan it is read for (ScanRun's id). */
  readonly scan: number;
  readonly disk?: Uint8Array;
  readonly maxArtBytes?: number;
  readonly isNew?: boolean;
}

async function readBatch(tasks: ReadTask[]): Promise<ReadOutcome[]> {
  const out: ReadOutcome[] = [];
  for (const { path, size, scan, disk, maxArtBytes, isNew } of tasks) {
    if (scan !== seenIn) {
      seenArt = new Set();
      seenIn = scan;
    }
    const tally = { bytes: 0 };
    try {
      // Bytes arrive from the other thread as a plain Uint8Array; fs wants a Buffer.
      const track = await readTrack(path, seenArt, disk ? Buffer.from(disk) : path, { maxArtBytes }, tally);
      const served = isNew ? servedOfRead(path, size, track) : undefined;
      out.push({ track, ...(served && { served }), bytesRead: tally.bytes });
    } catch (err) {
      if (err instanceof UnreadableTrackError)
        out.push({ error: err.message, notAudio: err.notAudio, bytesRead: tally.bytes });
      else out.push({ error: `reader failed: ${String(err)}`, bytesRead: tally.bytes });
    }
  }
  return out;
}

if (parentPort) serveTasks(parentPort, readBatch);
