// Counting the live documents across tables (liveAcross) without merging them: the same count as the
// merged table's, over tables that overlap, rewrite and delete one another's ids.
import { expect, it } from 'vitest';
import { type DocTable, liveAcross, mergeDocTables } from '../../../index-engine/doc-table.ts';
import { lcg } from '../../helpers.ts';

function table(rand: () => number, ids: number): DocTable {
  const sorted = [...new Set(Array.from({ length: ids }, () => 1 + (rand() % 500)))].sort((a, b) => a - b);
  return {
    ids: Uint32Array.from(sorted),
    versions: Float64Array.from(sorted, () => 1),
    deleted: Uint8Array.from(sorted, () => (rand() % 4 === 0 ? 1 : 0)),
  };
}

it('counts each id by its newest entry, as the merged table does', () => {
  const rand = lcg(3);
  for (let round = 0; round < 200; round++) {
    const tables = Array.from({ length: round % 12 }, () => table(rand, rand() % 120));
    expect(liveAcross(tables), `round ${round}`).toBe(mergeDocTables(tables, true).ids.length);
  }
  const one = table(rand, 50);
  const deleteAll: DocTable = { ...one, deleted: one.deleted.map(() => 1) };
  expect(liveAcross([one, deleteAll])).toBe(0);
  expect(liveAcross([deleteAll, one])).toBe(one.deleted.filter((d) => d === 0).length);
});
