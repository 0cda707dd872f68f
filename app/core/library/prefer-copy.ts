// The user keeps a copy of a recording (or goes back to the suggested one): one edit batch in the history,
// undone and redone as an edit is (copy-keeps.ts), holding the edits the copy kept until then carries,
// carried to the one kept now (a recording keeps what the user gave it, whichever of its files is shown).
// A field the newly kept copy was edited in since the other copy was is not carried: its newer value
// stays, and the caller says so.
import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { formatName } from '../../shared/format-names.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { chosenCopy, recordKeep } from '../fingerprint/copy-keeps.ts';
import { clearPreference, duplicateGroupOf, keptCopy, preferCopy } from '../fingerprint/duplicates.ts';
import { ArtStore, type PictureRef, pictureRefs } from './art.ts';
import { editAge, editCounts, originOf } from './edit-counts.ts';
import {
  applyEdit,
  type EditOrigin,
  openBatch,
  type PlannedArt,
  type PlannedChange,
  sameValues,
} from './edits.ts';

export interface Preferred {
  readonly group: number;
  /** The copy the recording keeps now. */
  readonly kept?: number;
  /** The batch in the history saying so; none when the user's choice was already this. */
  readonly batch?: number;
  /** The copy kept before, its edited fields carried over (empty: none differed). */
  readonly carried?: { readonly from: number; readonly fields: string[] };
  /** The fields not carried from the copy kept before: the copy kept now was edited in them since. */
  readonly keptNewer?: { readonly from: number; readonly fields: string[] };
}

/** "the FLAC copy of “Lattice” (lattice.flac)": which copy, in the words the Duplicates view uses; the
 *  title its own, else another copy's (an untagged copy is the same recording). */
function copyWords(db: Db, id: number): string {
  const row = db
    .prepare(
      `SELECT f.path, f.format, f.codec,
         (SELECT t.value FROM recording_members m JOIN recording_members o ON o.group_id = m.group_id
            JOIN tags t ON t.file_id = o.file_id AND t.key = 'title'
          WHERE m.file_id = f.id ORDER BY o.file_id <> f.id, t.idx LIMIT 1) AS title
       FROM files f WHERE f.id = ?`,
    )
    .get(id) as { path: string; format: string | null; codec: string | null; title: string | null };
  const name = basename(row.path);
  const format = formatName(row.format, row.codec);
  return `the ${format ? `${format} ` : ''}copy of “${row.title ?? name}”${row.title === null ? '' : ` (${name})`}`;
}

/** Keeps `fileId` in its recording (`prefer`), or the suggested copy again, carrying the edits of the
 *  copy kept before to the one kept now: either way the recording stays as the user edited it. */
export function preferCarrying(db: Db, fileId: number, origin: EditOrigin, prefer = true): Preferred {
  return writeTransaction(db, () => {
    const group = duplicateGroupOf(db, fileId);
    const previous = keptCopy(db, group);
    const was = chosenCopy(db, group);
    if (prefer) preferCopy(db, fileId);
    else clearPreference(db, fileId);
    const chosen = prefer ? fileId : null;
    const kept = keptCopy(db, group);
    if (was === chosen) return { group, kept };
    const moved = previous !== undefined && kept !== undefined && previous !== kept;
    const { plan, art, fields, newer } = moved
      ? new EditCarrier(db).between(previous, kept)
      : { plan: [], art: [], fields: [], newer: [] };
    const keptNewer = newer.length > 0 ? { from: previous!, fields: newer } : undefined;
    const what = prefer
      ? `Kept ${copyWords(db, fileId)}`
      : `Back to the suggested copy, ${copyWords(db, kept!)}`;
    const carriedWords =
      fields.length > 0 ? `; carried your edits (${fields.join(', ')}) from track ${previous}` : '';
    const own = keptNewer ? `; its own newer ${newer.join(', ')} kept` : '';
    const label = { description: `${what}${carriedWords}${own}`, origin };
    const record = (batch: number) => recordKeep(db, batch, fileId, chosen, was);
    const batch =
      plan.length > 0 || art.length > 0
        ? applyEdit(db, plan, label, art, Date.now(), record)!
        : openBatch(db, label, record);
    return {
      group,
      kept,
      batch,
      ...(fields.length > 0 && { carried: { from: previous!, fields } }),
      ...(keptNewer && { keptNewer }),
    };
  });
}

/** Edits carried by a scan to the copies recordings keep now. */
export interface CarriedByScan {
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

/** A recording's kept copy moved by a scan: from a copy gone missing on disk (the grouping's
 *  orphanedEdits), or from a copy found to hold nothing more than a lossy copy (transcode-residuals.ts). */
export interface KeptMove {
  readonly from: number;
  readonly to: number;
  readonly why: 'missing' | 'transcode';
}

/** Where the edits went from, in words: for one recording, and for several. */
const MOVED: Record<KeptMove['why'], { one: (from: number, to: number) => string; many: string }> = {
  missing: {
    one: (from, to) => `from track ${from}, missing on disk, to track ${to}, its recording's kept copy now`,
    many: 'copies missing on disk',
  },
  transcode: {
    one: (from, to) =>
      `from track ${from}, found to hold nothing more than a lossy copy of it, to track ${to}, its recording's kept copy now`,
    many: 'copies found to hold nothing more than lossy ones',
  },
};

/**
 * Carries the edits of the copies a scan moved recordings away from to the copies they keep now, as one
 * undoable batch: the recording the user edited is shown with their edits, whichever of its files is
 * there. A pair whose kept copy has the same values already carries nothing (a disk away again and again
 * makes no new batch). Undefined when nothing was carried.
 */
export function carryFromMoved(
  db: Db,
  moves: readonly KeptMove[],
  origin: EditOrigin,
): CarriedByScan | undefined {
  if (moves.length === 0) return undefined;
  return writeTransaction(db, () => {
    const plan: PlannedChange[] = [];
    const art: PlannedArt[] = [];
    const recordings: Array<{ from: number; to: number; fields: string[]; why: KeptMove['why'] }> = [];
    const carrier = new EditCarrier(db);
    for (const { from, to, why } of moves) {
      const carried = carrier.between(from, to);
      if (carried.fields.length === 0) continue;
      plan.push(...carried.plan);
      art.push(...carried.art);
      recordings.push({ from, to, fields: carried.fields, why });
    }
    if (recordings.length === 0) return undefined;
    const [first] = recordings;
    const whys = [...new Set(recordings.map((r) => MOVED[r.why].many))];
    const description =
      recordings.length === 1
        ? `Carried your edits (${first!.fields.join(', ')}) ${MOVED[first!.why].one(first!.from, first!.to)}`
        : `Carried your edits of ${recordings.length} recordings from ${whys.join(' and ')} to the copies they keep now`;
    const batch = applyEdit(db, plan, { description, origin }, art);
    return batch === undefined
      ? undefined
      : { batch, description, recordings: recordings.map(({ why: _, ...r }) => r) };
  });
}

/** An edit's values (tags: a JSON list; pictures: a JSON list of PictureRefs) and when the user made it. */
interface NewestEdit {
  readonly key: string;
  readonly vals: string;
  readonly batchId: number;
  readonly carriedFrom: number | null;
}

/**
 * The fields one copy has edited whose values another lacks, as changes to the other; its pictures
 * likewise. A field the other was edited in after (`newer`) is not carried: the newer edit stands. Its
 * statements are prepared once, for every pair of a scan's moves or a rule's changes.
 */
export class EditCarrier {
  readonly #newest: Database.Statement;
  /** What a file shows of a field from the truth: its own values. */
  readonly #own: Database.Statement;
  readonly #art: ArtStore;

  constructor(db: Db) {
    // Of one file, each field's newest edit that counts (by lower-case key; "" for its pictures), read
    // from the edits themselves: a large batch's files may not be derived yet.
    this.#newest = db.prepare(
      `SELECT lower(e.key) AS lower, e.key, e.vals, e.batch_id AS batchId, e.carried_from AS carriedFrom,
         max(${editAge('e')}) FROM edits e JOIN edit_batches b ON b.id = e.batch_id
       WHERE e.file_id = @id AND ${editCounts('e', 'b')} GROUP BY lower(e.key)
       UNION ALL
       SELECT '', '', a.pictures, a.batch_id, a.carried_from, max(${editAge('a')})
       FROM art_edits a JOIN edit_batches b ON b.id = a.batch_id
       WHERE a.file_id = @id AND ${editCounts('a', 'b')} HAVING count(*) > 0`,
    );
    this.#own = db.prepare('SELECT value FROM file_tags WHERE file_id = ? AND key = ? ORDER BY idx').pluck();
    this.#art = new ArtStore(db);
  }

  #newestEdits(fileId: number): Map<string, NewestEdit> {
    const rows = this.#newest.all({ id: fileId }) as Array<NewestEdit & { lower: string }>;
    return new Map(rows.map(({ lower, ...edit }) => [lower, edit]));
  }

  /** What `from` carries to `to`. */
  between(from: number, to: number) {
    const [theirEdits, myEdits] = [this.#newestEdits(from), this.#newestEdits(to)];
    return carryPlan(to, theirEdits, myEdits, {
      values: (lower) => this.#own.all(to, lower) as string[],
      pictures: () => this.#art.pictures(to),
    });
  }
}

/** What `to` shows from the truth where it has no edit. */
interface Truth {
  values(lower: string): string[];
  pictures(): PictureRef[];
}

/** The changes to `to` that carry the edits of another copy (`theirEdits`), as EditCarrier says. */
function carryPlan(
  to: number,
  theirEdits: ReadonlyMap<string, NewestEdit>,
  myEdits: ReadonlyMap<string, NewestEdit>,
  truth: Truth,
) {
  // What `to` shows of a field, from the truth too: its newest edit's values, else the file's own.
  const mineNow = (lower: string): string[] => {
    const edit = myEdits.get(lower);
    return edit ? (JSON.parse(edit.vals) as string[]) : truth.values(lower);
  };
  // Which the user made later: a carried edit is as old as the edit it was carried from.
  const made = (edits: ReadonlyMap<string, NewestEdit>, key: string) => {
    const edit = edits.get(key);
    return edit ? originOf(edit) : 0;
  };
  const isNewer = (key: string) => made(myEdits, key) > made(theirEdits, key);
  const plan: PlannedChange[] = [];
  const newer: string[] = [];
  for (const [lower, edit] of theirEdits) {
    if (lower === '') continue;
    const theirs = JSON.parse(edit.vals) as string[];
    const mine = mineNow(lower);
    // Under the key as the edit names it ("My Custom" stays so).
    if (sameValues(theirs, mine)) continue;
    if (isNewer(lower)) newer.push(edit.key);
    else plan.push({ fileId: to, key: edit.key, before: mine, after: theirs, carriedFrom: originOf(edit) });
  }
  const fields = plan.map((c) => c.key);
  const art: PlannedArt[] = [];
  const theirArt = theirEdits.get('');
  if (theirArt) {
    const theirs = pictureRefs(JSON.parse(theirArt.vals) as PictureRef[]);
    const mine = pictureRefs(truth.pictures());
    const differ = JSON.stringify(theirs) !== JSON.stringify(mine);
    if (differ && isNewer('')) newer.push('pictures');
    else if (differ) {
      art.push({ fileId: to, pictures: theirs, carriedFrom: originOf(theirArt) });
      fields.push('pictures');
    }
  }
  return { plan, art, fields, newer };
}
