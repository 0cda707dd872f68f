// The user prefers another copy of a recording: the edits the copy kept until then carries go with the
// choice, as one undoable batch on the newly kept copy (a recording keeps what the user gave it, whichever
// of its files is shown), and the caller says which fields were carried.
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { clearPreference, duplicateGroupOf, keptCopy, preferCopy } from '../fingerprint/duplicates.ts';
import { ArtStore, pictureRefs } from './art.ts';
import {
  applyEdit,
  type EditOrigin,
  editedFields,
  type PlannedArt,
  type PlannedChange,
  sameValues,
} from './edits.ts';
import { tagsFor } from './list.ts';

export interface Preferred {
  readonly group: number;
  /** The copy the recording keeps now. */
  readonly kept?: number;
  /** The copy kept before, its edited fields carried over (empty: none differed), and their batch. */
  readonly carried?: { readonly from: number; readonly fields: string[]; readonly batch: number };
}

/** Keeps `fileId` in its recording (`prefer`), or the suggested copy again, carrying the edits of the
 *  copy kept before to the one kept now: either way the recording stays as the user edited it. */
export function preferCarrying(db: Db, fileId: number, origin: EditOrigin, prefer = true): Preferred {
  return writeTransaction(db, () => {
    const group = duplicateGroupOf(db, fileId);
    const previous = keptCopy(db, group);
    if (prefer) preferCopy(db, fileId);
    else clearPreference(db, fileId);
    const kept = keptCopy(db, group);
    if (previous === undefined || kept === undefined || previous === kept) return { group, kept };
    const { plan, art, fields } = carriedEdits(db, previous, kept);
    if (plan.length === 0 && art.length === 0) return { group, kept };
    const description = `Carried your edits (${fields.join(', ')}) from track ${previous} to track ${kept}, now its recording's kept copy`;
    const batch = applyEdit(db, plan, { description, origin }, art)!;
    return { group, kept, carried: { from: previous, fields, batch } };
  });
}

/** Edits carried from copies gone missing on disk to the copies their recordings keep now. */
export interface CarriedFromMissing {
  readonly batch: number;
  /** In words, as the history says it. */
  readonly description: string;
  /** Recordings whose edits were carried, each its fields. */
  readonly recordings: ReadonlyArray<{
    readonly from: number;
    readonly to: number;
    readonly fields: string[];
  }>;
}

/**
 * Carries the edits of copies gone missing (the grouping's orphanedEdits) to the copies their recordings
 * keep now, as one undoable batch: the recording the user edited is shown with their edits, whichever of
 * its files is there. A pair whose kept copy has the same values already carries nothing (a disk away
 * again and again makes no new batch). Undefined when nothing was carried.
 */
export function carryFromMissing(
  db: Db,
  pairs: ReadonlyArray<{ readonly from: number; readonly to: number }>,
  origin: EditOrigin,
): CarriedFromMissing | undefined {
  if (pairs.length === 0) return undefined;
  return writeTransaction(db, () => {
    const plan: PlannedChange[] = [];
    const art: PlannedArt[] = [];
    const recordings: Array<{ from: number; to: number; fields: string[] }> = [];
    for (const { from, to } of pairs) {
      const carried = carriedEdits(db, from, to);
      if (carried.fields.length === 0) continue;
      plan.push(...carried.plan);
      art.push(...carried.art);
      recordings.push({ from, to, fields: carried.fields });
    }
    if (recordings.length === 0) return undefined;
    const description =
      recordings.length === 1
        ? `Carried your edits (${recordings[0]!.fields.join(', ')}) from track ${recordings[0]!.from}, missing on disk, to track ${recordings[0]!.to}, its recording's kept copy now`
        : `Carried your edits of ${recordings.length} recordings from copies missing on disk to the copies they keep now`;
    const batch = applyEdit(db, plan, { description, origin }, art);
    return batch === undefined ? undefined : { batch, description, recordings };
  });
}

/** The fields `from` has edited whose values `to` lacks, as changes to `to`; its pictures likewise. */
export function carriedEdits(db: Db, from: number, to: number) {
  const keys = editedFields(db, [from]).get(from) ?? [];
  const tags = tagsFor(db, [from, to]);
  const entryOf = (id: number, key: string) =>
    Object.entries(tags.get(id) ?? {}).find(([k]) => k.toLowerCase() === key);
  const plan: PlannedChange[] = [];
  for (const lower of keys) {
    const theirs = entryOf(from, lower);
    const mine = entryOf(to, lower)?.[1] ?? [];
    // Under the key as the edited copy has it ("My Custom" stays so); a cleared field has none: lower.
    const key = theirs?.[0] ?? lower;
    if (!sameValues(theirs?.[1] ?? [], mine))
      plan.push({ fileId: to, key, before: mine, after: theirs?.[1] ?? [] });
  }
  const fields = plan.map((c) => c.key);
  const art: PlannedArt[] = [];
  const artEdited = db
    .prepare(
      `SELECT 1 FROM art_edits a JOIN edit_batches b ON b.id = a.batch_id AND b.undone_at IS NULL
       WHERE a.file_id = ? LIMIT 1`,
    )
    .get(from);
  if (artEdited) {
    const store = new ArtStore(db);
    const refs = (id: number) => pictureRefs(store.pictures(id));
    const [theirs, mine] = [refs(from), refs(to)];
    if (JSON.stringify(theirs) !== JSON.stringify(mine)) {
      art.push({ fileId: to, pictures: theirs });
      fields.push('pictures');
    }
  }
  return { plan, art, fields };
}
