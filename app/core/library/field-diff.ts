// A source's fields against a file's tags: the changes a proposal would make (fields the source names and
// the file has otherwise), and how many of them replace values the file has rather than fill empty ones.
import type { PlannedChange } from './edits.ts';
import type { Tags } from './list.ts';

export function fieldChanges(
  fileId: number,
  mine: Tags,
  proposed: Readonly<Record<string, readonly string[]>>,
): { changes: PlannedChange[]; replaces: number } {
  const changes: PlannedChange[] = [];
  let replaces = 0;
  for (const [key, after] of Object.entries(proposed)) {
    const before = mine[key] ?? [];
    if (after.length === 0 || (before.length === after.length && before.every((v, k) => v === after[k])))
      continue;
    if (before.some((v) => v.trim() !== '')) replaces++;
    changes.push({ fileId, key, before, after: [...after] });
  }
  return { changes, replaces };
}
