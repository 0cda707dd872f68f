// A save through the mount merged by field, in the transaction that applies it. The save holds only what
// the tagger changed relative to what it read (app/core/mounted/reader-base.ts) and when it read it. Each such field
// is taken in unless an edit changed it since the tagger read the file (the app, a command, another
// tagger, an undo or a redo): then the library's value stays, and unless the tagger set the same value,
// the conflict is recorded with all three values (save-conflicts.ts). A field the tagger did not change is
// never in the save, so a newer edit of it is never taken back. While a large batch derived, what the
// tagger read of a field it edited is not known (valuesMaybeServedAt), nor when a tagger that ran before
// the mount's restart read the file: a value it may have read is no change of its own, and the library's
// value is what its edits make it.
import type { Db } from '../db/database.ts';
import { ArtStore, type PictureRef, pictureRefs as refs } from './art.ts';
import { underivedAmong } from './derivation.ts';
import { type PlannedArt, type PlannedChange, sameValues } from './edits.ts';
import { fieldsChangedSince, LATEST, PICTURES_KEY, valuesAt, valuesMaybeServedAt } from './fields-since.ts';
import type { AcceptedSave } from './journal-line.ts';
import type { NewConflict } from './save-conflicts.ts';

export interface MergedSave {
  readonly changes: PlannedChange[];
  readonly art: PlannedArt[];
  /** Fields kept as the library has them, the tagger's value recorded. */
  readonly conflicts: NewConflict[];
  /** Fields left alone because the library already has the tagger's value. */
  readonly agreed: number;
}

/** Splits a save into what is taken in and what conflicts; reads only (call in the applying transaction).
 *  A save without `readAt` (journalled by an older Sleeve) counts from when it was accepted. */
export function mergeSave(db: Db, save: AcceptedSave): MergedSave {
  const since = save.readAt ?? save.at;
  const own = save.own ?? [];
  const changed = perFile((fileId) => fieldsChangedSince(db, fileId, since, own, save.readAt !== undefined));
  const effective = db.prepare('SELECT value FROM tags WHERE file_id = ? AND key = ? ORDER BY idx').pluck();
  const maybeServed = (fileId: number, key: string) =>
    save.readAt === undefined ? [] : valuesMaybeServedAt(db, fileId, key, save.readAt, save.readUntil);
  // A file a queued batch has not reached shows what it was: the library's value is the truth then.
  const behind = perFile((fileId) => underivedAmong(db, [fileId]).length > 0);
  const out: MergedSave = { changes: [], art: [], conflicts: [], agreed: 0 };
  let agreed = 0;
  for (const c of save.changes) {
    const key = c.key.toLowerCase();
    if (!changed(c.fileId).has(key)) {
      out.changes.push(c);
      continue;
    }
    const unsure = maybeServed(c.fileId, key) as string[][];
    // While a batch derives, its files not yet reached show the field as it was: the library's is the truth.
    const library =
      unsure.length > 0 || behind(c.fileId)
        ? (valuesAt(db, c.fileId, [key], LATEST).get(key) ?? [])
        : (effective.all(c.fileId, c.key) as string[]);
    // Changed and changed back (an edit undone): the library has what the tagger read, no conflict.
    if (unsure.length === 0 && sameValues(library, c.before)) out.changes.push(c);
    else if (sameValues(library, c.after)) agreed++;
    else if (unsure.some((v) => sameValues(v, c.after)))
      continue; // written back as it may have read it
    else
      out.conflicts.push({
        fileId: c.fileId,
        key: c.key,
        path: save.path,
        library,
        tagger: c.after,
        read: c.before,
      });
  }
  const store = new ArtStore(db);
  for (const a of save.art) {
    if (!changed(a.fileId).has(PICTURES_KEY)) {
      out.art.push(a);
      continue;
    }
    const unsure = (maybeServed(a.fileId, PICTURES_KEY) as PictureRef[][]).map(shown);
    // The pictures the edits give it (ArtStore reads them, not what was derived).
    const library = refs(store.pictures(a.fileId));
    const tagger = shown(a.pictures);
    if (unsure.length === 0 && a.read && shown(library) === shown(a.read)) out.art.push(a);
    else if (shown(library) === tagger) agreed++;
    else if (unsure.includes(tagger))
      continue; // written back as it may have read them
    else
      out.conflicts.push({
        fileId: a.fileId,
        key: PICTURES_KEY,
        path: save.path,
        library,
        tagger: refs(a.pictures),
        read: a.read ?? [],
      });
  }
  return { ...out, agreed };
}

/** `of` asked once a file within one merge (a save may change many fields of one file). */
function perFile<T>(of: (fileId: number) => T): (fileId: number) => T {
  const known = new Map<number, T>();
  return (fileId) => {
    if (!known.has(fileId)) known.set(fileId, of(fileId));
    return known.get(fileId)!;
  };
}

/** Pictures as compared: their references in order. */
const shown = (pictures: readonly PictureRef[]) => JSON.stringify(refs(pictures));
