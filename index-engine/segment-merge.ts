// Merges adjacent file segments into one: a k-way merge of their sorted postings that drops the postings of
// documents a newer input rewrote or deleted. Runs in the merge worker, streaming from and to disk.
import { mergeDocTables, staleIds } from './doc-table.ts';
import { SegmentCursor } from './segment-cursor.ts';
import { type SegmentSummary, SegmentWriter } from './segment-writer.ts';

export interface MergeTask {
  /** Input segment files, oldest → newest, adjacent in the index. */
  readonly inputs: readonly string[];
  readonly output: string;
  readonly blockSize: number;
  /** True when the inputs include the oldest segment: tombstones have nothing left to hide. */
  readonly dropTombstones: boolean;
}

export function mergeSegments(task: MergeTask): SegmentSummary {
  const cursors = task.inputs.map((path) => new SegmentCursor(path));
  const writer = new SegmentWriter(task.output, task.blockSize);
  try {
    const tables = cursors.map((c) => c.docs);
    const stale = staleIds(tables);
    for (;;) {
      // Pick the smallest head; ties on (term, id) cannot occur across inputs once stale postings are gone.
      let best = -1;
      for (let k = 0; k < cursors.length; k++) {
        const c = cursors[k]!;
        if (c.done) continue;
        if (best < 0) best = k;
        else {
          const b = cursors[best]!;
          if (c.term < b.term || (c.term === b.term && c.id < b.id)) best = k;
        }
      }
      if (best < 0) break;
      const c = cursors[best]!;
      const drop = stale[best];
      if (!drop?.has(c.id)) writer.add(c.term, c.id);
      c.next();
    }
    const metadata = new Map<string, string>();
    for (const c of cursors) for (const [k, v] of c.metadata) metadata.set(k, v);
    return writer.finish({
      docs: mergeDocTables(tables, task.dropTombstones),
      metadata,
      minVersion: cursors[0]!.header.minVersion,
      maxVersion: cursors[cursors.length - 1]!.header.maxVersion,
      merges: Math.max(...cursors.map((c) => c.header.merges)) + 1,
    });
  } catch (err) {
    writer.abort();
    throw err;
  } finally {
    for (const c of cursors) c.close();
  }
}
