// The LanceDB table on its own, with synthetic vectors: exact scans below the threshold, an IVF index
// built past it, retrained as the table grows, dropped when it shrinks; a table of another dimension is
// replaced, not misread.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  ANN_MIN_ROWS,
  type SimilarityRow,
  SimilarityTable,
} from '../../app/core/similar/similarity-table.ts';
import { lcg, tempDir } from '../helpers.ts';

const DIM = 16;

function rows(from: number, count: number, seed: number): SimilarityRow[] {
  const next = lcg(seed);
  const centres = Array.from({ length: 40 }, () =>
    Float32Array.from({ length: DIM }, () => next() / 2 ** 32 - 0.5),
  );
  return Array.from({ length: count }, (_, i) => {
    const c = centres[next() % centres.length]!;
    const v = c.map((x) => x + (next() / 2 ** 32 - 0.5) * 0.1);
    const norm = Math.hypot(...v);
    return {
      file_id: from + i,
      vector: v.map((x) => x / norm),
      duration: 100,
      group_id: null,
      year: (from + i) % 500 === 0 ? 2001 : 2000,
      title: '',
      artist: '',
      albumartist: '',
      album: '',
      genre: i % 2 ? 'odd' : 'even',
      format: 'flac',
    };
  });
}

describe('SimilarityTable', () => {
  test('exact below the threshold, an index past it, retrained on growth, dropped on shrinking', async () => {
    const dir = join(tempDir(), 'similarity');
    const { table, problem } = await SimilarityTable.open(dir, DIM);
    expect(problem).toBeUndefined();
    const first = rows(1, ANN_MIN_ROWS - 1, 1);
    await table.upsert(first);
    expect(await table.maintain()).toBe('none');
    await table.upsert(rows(ANN_MIN_ROWS, 1, 2));
    expect(await table.maintain()).toBe('built');
    expect(await table.maintain()).toBe('none');

    // The index answers like the exact scan (recall@10 over 50 queries), filters included.
    let hits = 0;
    for (let q = 0; q < 50; q++) {
      const v = first[q * 97]!.vector;
      const filter = "genre = 'odd'";
      const exact = await table.search(v, { limit: 10, filter, exact: true });
      const ann = await table.search(v, { limit: 10, filter });
      expect(ann.every((n) => n.fileId % 2 === 0)).toBe(true); // ids from 1: odd i ⇔ even id
      hits += ann.filter((n) => exact.some((e) => e.fileId === n.fileId)).length;
    }
    expect(hits / 500).toBeGreaterThanOrEqual(0.9);

    /** A user's filter (`selective`) on 20 queries: each page full and of matching rows; the share of
     *  the exact scan's rows it found. */
    const selectiveRecall = async (filter: string, matches: (fileId: number) => boolean) => {
      let found = 0;
      for (let q = 0; q < 20; q++) {
        const v = first[q * 211]!.vector;
        const exact = await table.search(v, { limit: 10, filter, exact: true });
        const ann = await table.search(v, { limit: 10, filter, selective: true });
        expect(ann).toHaveLength(10);
        expect(ann.every((n) => matches(n.fileId))).toBe(true);
        found += ann.filter((n) => exact.some((e) => e.fileId === n.fileId)).length;
      }
      return found / 200;
    };
    // A filter keeping a fair share of the rows (half): found among the nearest rows, as the exact scan
    // finds it.
    expect(await selectiveRecall("genre = 'odd'", (id) => id % 2 === 0)).toBeGreaterThanOrEqual(0.9);
    // A narrow filter (0.2 % of rows: fewer than 10 in the partitions probed first) still fills the page with the
    // nearest matching rows: LanceDB probes further partitions when the first ones hold too few.
    expect(await selectiveRecall('year = 2001', (id) => id % 500 === 0)).toBeGreaterThanOrEqual(0.9);

    // Upserting rows already there replaces them: no duplicates.
    await table.upsert(first.slice(0, 100));
    expect(await table.count()).toBe(ANN_MIN_ROWS);

    await table.upsert(rows(ANN_MIN_ROWS + 1, ANN_MIN_ROWS / 2, 3));
    expect(await table.maintain()).toBe('retrained');
    await table.remove(Array.from({ length: ANN_MIN_ROWS }, (_, i) => i + 1));
    expect(await table.maintain()).toBe('dropped');

    // Reopened, it is the same table.
    const again = await SimilarityTable.open(dir, DIM);
    expect(again.problem).toBeUndefined();
    expect(await again.table.count()).toBe(ANN_MIN_ROWS / 2);
  }, 120_000);

  test('a table of another dimension is replaced, with the reason', async () => {
    const dir = join(tempDir(), 'similarity');
    const { table } = await SimilarityTable.open(dir, DIM);
    await table.upsert(rows(1, 10, 4));
    const wider = await SimilarityTable.open(dir, DIM * 2);
    expect(wider.problem).toBe(`it holds ${DIM}-dimensional vectors, the extractor makes ${DIM * 2}`);
    expect(await wider.table.count()).toBe(0);
  });
});
