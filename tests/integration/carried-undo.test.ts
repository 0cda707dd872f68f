// An edit carried to another copy of its recording (the user kept the other copy, a scan moved the kept
// copy) goes wherever the edit goes: undoing the edit takes it back from the copy it was carried to,
// redoing it brings it back, an undo of the carry alone takes back only the carry, and a newer edit of the
// copy stands through all of it. In-process over a synthetic library with grouped copies (files 1 and 11
// are one recording, as are 2 and 12, …).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { duplicateGroupOf, keptCopy } from '../../app/core/fingerprint/duplicates.ts';
import { Derivation, underivedAmong } from '../../app/core/library/derivation.ts';
import { editedSince } from '../../app/core/library/edited-since.ts';
import { editedFields, fieldDetails, history, redoBatch, undoBatch } from '../../app/core/library/edits.ts';
import { fieldsChangedSince, valuesAt } from '../../app/core/library/fields-since.ts';
import { pruneHistory } from '../../app/core/library/history-prune.ts';
import { tagsFor } from '../../app/core/library/list.ts';
import { carryFromMoved, preferCarrying } from '../../app/core/library/prefer-copy.ts';
import { LibraryView } from '../../app/core/mounted/library-view.ts';
import { PathTemplate } from '../../app/core/served/path-template.ts';
import { groupCopies, setField, syntheticHome } from '../fixtures/synthetic-library.ts';

const album = (db: Db, id: number) => tagsFor(db, [id]).get(id)!.album;
const edited = (db: Db, file: number) =>
  db.prepare('SELECT count(*) FROM edits WHERE file_id = ?').pluck().get(file) as number;

describe('an edit carried to another copy', () => {
  let db: Db;
  let kept: number;
  let other: number;
  let original: string[] | undefined;
  let originalKept: string[] | undefined;

  beforeEach(async () => {
    const home = await syntheticHome(2000);
    groupCopies(home);
    db = openDatabase(join(home, 'library.db'));
    kept = keptCopy(db, duplicateGroupOf(db, 1))!;
    other = kept === 1 ? 11 : 1;
    original = album(db, other);
    originalKept = album(db, kept);
  });
  afterEach(() => {
    vi.useRealTimers();
    db.close();
  });

  /** The album renamed on the kept copy, then the other copy kept: the name carried to it. */
  const renameAndPreferOther = () => {
    const edit = setField(db, [kept], 'album', ['Renamed'])!;
    const { carried, batch } = preferCarrying(db, other, 'cli');
    expect(carried!.fields).toEqual(['album']);
    expect(album(db, other)).toEqual(['Renamed']);
    return { edit, carry: batch! };
  };

  it('is taken back from the copy by an undo of the edit, and brought back by its redo', () => {
    const { edit } = renameAndPreferOther();
    // The carry counts from its millisecond: the undo comes once the clock has moved on, so that a read
    // in the undo's millisecond came after the carry.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 1000);
    // The history says where the edit went: an undo takes it back there too.
    expect(undoBatch(db, edit)).toMatchObject({ files: 1, carriedTo: 1 });
    expect(album(db, kept)).toEqual(originalKept);
    expect(album(db, other)).toEqual(original);
    expect(editedFields(db, [other]).get(other)).toBeUndefined();
    // A tagger that read the copy in the undo's millisecond may have read it before the undo: it merges
    // against the renamed album, and sees the field changed (so the name it writes back is no change of
    // its own, and does not bring the edit back).
    const undoneAt = db
      .prepare('SELECT undone_at FROM edit_batches WHERE id = ?')
      .pluck()
      .get(edit) as number;
    expect(valuesAt(db, other, ['album'], undoneAt).get('album')).toEqual(['Renamed']);
    expect(fieldsChangedSince(db, other, undoneAt, [])).toEqual(new Set(['album']));
    expect(valuesAt(db, other, ['album'], undoneAt + 1).get('album')).toEqual(original);
    expect(fieldsChangedSince(db, other, undoneAt + 1, [])).toEqual(new Set());
    redoBatch(db, edit);
    expect(album(db, other)).toEqual(['Renamed']);
  });

  it('an undo of the carry alone takes back only the carry', () => {
    const { carry } = renameAndPreferOther();
    undoBatch(db, carry);
    expect(album(db, other)).toEqual(original);
    expect(album(db, kept)).toEqual(['Renamed']);
  });

  it('a newer edit of the copy stands when the older, carried one is undone', () => {
    const { edit } = renameAndPreferOther();
    const newer = setField(db, [other], 'album', ['Newer'])!;
    undoBatch(db, edit);
    expect(album(db, other)).toEqual(['Newer']);
    // What the undo says stays: the newer edit, on the copy the field was carried to.
    expect(editedSince(db, edit)).toEqual([{ key: 'album', files: 1, newest: newer }]);
  });

  it('a carry back names the first edit: undoing it takes the field back from both copies', () => {
    const { edit } = renameAndPreferOther();
    // Another field edited on the kept copy now, then the suggestion kept again: only it goes back.
    setField(db, [other], 'genre', ['Carried Back']);
    const back = preferCarrying(db, other, 'cli', false).carried!;
    expect(back.fields).toEqual(['genre']);
    undoBatch(db, edit);
    expect(album(db, other)).toEqual(original);
    expect(tagsFor(db, [kept]).get(kept)!.genre).toEqual(['Carried Back']);
  });

  it("a large edit's undo is derived on the copies it was carried to as well", () => {
    // 150 files renamed (more than a batch refreshes at once; not 11–20), then a scan carries the album
    // from ten of them to their other copies.
    const renamed = Array.from({ length: 150 }, (_, i) => (i < 10 ? i + 1 : i + 11));
    const edit = setField(db, renamed, 'album', ['Renamed'])!;
    new Derivation(db).all();
    const pairs = Array.from({ length: 10 }, (_, i) => ({ from: i + 1, to: i + 11 }));
    const own = pairs.map((p) => album(db, p.to));
    const carried = carryFromMoved(
      db,
      pairs.map((p) => ({ ...p, why: 'missing' as const })),
      'cli',
    )!;
    expect(carried.recordings).toHaveLength(10);
    const target = pairs.map((p) => p.to);
    expect(target.map((id) => album(db, id))).toEqual(target.map(() => ['Renamed']));
    undoBatch(db, edit);
    expect(underivedAmong(db, target)).toEqual(target);
    new Derivation(db).all();
    expect(underivedAmong(db, target)).toEqual([]);
    expect(target.map((id) => album(db, id))).toEqual(own);
  });

  it('once the undone edit is past the history, what was carried from it is deleted', async () => {
    const { edit, carry } = renameAndPreferOther();
    undoBatch(db, edit);
    const carriedRows = () =>
      db.prepare('SELECT count(*) FROM edits WHERE carried_from = ?').pluck().get(edit) as number;
    expect(carriedRows()).toBe(1);
    // Keep the newest batch only: the edit (and the carry) are pruned.
    await pruneHistory(db, { batches: 1, days: 365 });
    expect(carriedRows()).toBe(0);
    expect(album(db, other)).toEqual(original);
    expect(db.prepare('SELECT count(*) FROM edits WHERE batch_id = ?').pluck().get(carry)).toBe(0);
  });

  it('a newer edit of the copy, undone when the older one was carried and redone since, stands', () => {
    setField(db, [kept], 'album', ['Older On The Kept Copy']);
    const newer = setField(db, [other], 'album', ['Newer On The Other'])!;
    undoBatch(db, newer);
    preferCarrying(db, other, 'cli');
    expect(album(db, other)).toEqual(['Older On The Kept Copy']);
    redoBatch(db, newer);
    expect(album(db, other)).toEqual(['Newer On The Other']);
    // Pruned past all three (a batch of another file kept), the copy shows the same, with one edit of it.
    setField(db, [500], 'genre', ['Kept In The History']);
    return pruneHistory(db, { batches: 1, days: 365 }).then(() => {
      // Read from the edits themselves (pruning changes nothing derived).
      expect(fieldDetails(db, other).find((d) => d.key === 'album')?.edited).toEqual(['Newer On The Other']);
      expect(edited(db, other)).toBe(1);
    });
  });

  it("carries the edit's value while its files still wait to be derived", () => {
    const renamed = Array.from({ length: 150 }, (_, i) => (i < 10 ? i + 1 : i + 11));
    const edit = setField(db, renamed, 'album', ['Renamed'])!;
    expect(underivedAmong(db, [kept])).toEqual([kept]);
    expect(preferCarrying(db, other, 'cli').carried?.fields).toEqual(['album']);
    new Derivation(db).all();
    expect(album(db, other)).toEqual(['Renamed']);
    undoBatch(db, edit);
    new Derivation(db).all();
    expect(album(db, other)).toEqual(original);
  });

  it('counts the copies it was carried to by carries not undone', () => {
    const { edit, carry } = renameAndPreferOther();
    expect(history(db, 1, edit)[0]!.carriedTo).toBe(1);
    undoBatch(db, carry);
    expect(undoBatch(db, edit).carriedTo).toBe(0);
  });

  it("moves the mount's time of the copy it was carried to when it is undone", () => {
    const { edit, carry } = renameAndPreferOther();
    // The carry made a while ago: the undo's time is later than anything else of the copy's.
    db.prepare('UPDATE edit_batches SET created_at = created_at - 60000 WHERE id IN (?, ?)').run(edit, carry);
    undoBatch(db, edit);
    const undoneAt = db
      .prepare('SELECT undone_at FROM edit_batches WHERE id = ?')
      .pluck()
      .get(edit) as number;
    // As a mount daemon starting now loads it.
    const view = new LibraryView(db, new PathTemplate(), { allCopies: true });
    expect(view.record(other)!.shownMtimeMs).toBeGreaterThanOrEqual(undoneAt);
  });

  it('leaves no empty carry in the history once the edit it carried is pruned', async () => {
    const edit = setField(db, [kept], 'album', ['Renamed'])!;
    const carry = carryFromMoved(db, [{ from: kept, to: other, why: 'missing' }], 'cli')!.batch;
    setField(db, [kept], 'genre', ['Newest']); // a batch the history keeps, past the carry
    undoBatch(db, edit);
    await pruneHistory(db, { batches: 2, days: 365 }); // the edit pruned, the carry and the genre kept
    expect(history(db, 10).map((b) => b.id)).not.toContain(carry);
  });

  it("keeps a Keep in the history once the edit it carried is pruned: it is the user's word", async () => {
    const keep = renameAndPreferOther();
    setField(db, [kept], 'genre', ['Newer still']);
    undoBatch(db, keep.edit);
    await pruneHistory(db, { batches: 2, days: 365 });
    expect(history(db, 10).find((b) => b.id === keep.carry)?.fields).toEqual(['(kept copy)']);
  });

  it('says which edit stands, by when the user made it, and not a carry of the same edit again', () => {
    const first = setField(db, [other], 'title', ['X'])!;
    setField(db, [kept], 'title', ['Y']);
    const later = setField(db, [other], 'title', ['Z'])!;
    undoBatch(db, later);
    const moved = [{ from: kept, to: other, why: 'missing' as const }];
    carryFromMoved(db, moved, 'cli'); // Y, as old as its edit
    redoBatch(db, later);
    expect(tagsFor(db, [other]).get(other)!.title).toEqual(['Z']);
    expect(editedSince(db, first)).toEqual([{ key: 'title', files: 1, newest: later }]);
    // The album carried, that carry undone, carried again: nothing newer stands over the edit.
    const edit = setField(db, [kept], 'album', ['Renamed'])!;
    undoBatch(db, carryFromMoved(db, moved, 'cli')!.batch);
    carryFromMoved(db, moved, 'cli');
    expect(editedSince(db, edit)).toEqual([]);
  });

  it("compares with the copy's own values, not what waits to be derived", () => {
    // The other copy renamed in a large batch not derived yet; then the kept copy given, later, the
    // name the other copy showed before: it differs from what the other copy holds now, and is carried.
    const renamed = Array.from({ length: 150 }, (_, i) => (i < 10 ? i + 11 : i + 21));
    expect(renamed).toContain(other);
    setField(db, renamed, 'album', ['Other']);
    setField(db, [kept], 'album', original ?? []);
    const moved = carryFromMoved(db, [{ from: kept, to: other, why: 'missing' }], 'cli');
    expect(moved?.recordings).toEqual([{ from: kept, to: other, fields: ['album'] }]);
    new Derivation(db).all();
    expect(album(db, other)).toEqual(original);
  });

  it('keeps an empty carry that is the newest batch: its id is not given to the next', async () => {
    const { edit, carry } = renameAndPreferOther();
    undoBatch(db, edit);
    await pruneHistory(db, { batches: 1, days: 365 });
    expect(setField(db, [500], 'genre', ['Next'])).toBeGreaterThan(carry);
  });
});
