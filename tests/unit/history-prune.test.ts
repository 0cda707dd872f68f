// The edit history bounded by the user's rule (history-prune.ts), on real library databases: covers saved
// and replaced over and over leave only those the kept history and the library still name once the scan's
// upkeep has pruned and collected (issue 66: 40 saves of distinct covers grew the library for ever); a
// batch past the rule, by count or by age, is no longer listed, undone or redone, and says why; what the
// library shows is the same before and after pruning, and undoing every kept batch falls back to what the
// pruned ones left in force.
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { ArtStore } from '../../app/core/library/art.ts';
import { ART_GRACE_MS } from '../../app/core/library/art-collect.ts';
import { batchChanges } from '../../app/core/library/batch-changes.ts';
import { applyEdit, history, planEdit, redoBatch, undoBatch } from '../../app/core/library/edits.ts';
import { type HistoryRetention, pruneHistory } from '../../app/core/library/history-prune.ts';
import { tagsFor } from '../../app/core/library/list.ts';
import { offLimits } from '../../app/core/scan/off-limits.ts';
import { scan } from '../../app/core/scan/scanner.ts';
import { removeCovers, saveCover } from '../fixtures/cover-saves.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';
import { tempDir } from '../helpers.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** A library of `n` tracks titled "t1"…, and their ids. */
function library(n: number): { db: Db; ids: number[] } {
  const made = taggedLibrary(
    Array.from({ length: n }, (_, i) => ({ path: `/music/${i + 1}.flac`, tags: { title: [`t${i + 1}`] } })),
  );
  open.push(made.db);
  return made;
}

const count = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;
const title = (db: Db, id: number) => tagsFor(db, [id]).get(id)!.title;
const retitle = (db: Db, id: number, value: string) =>
  applyEdit(db, planEdit(db, [id], [{ key: 'title', values: [value] }]), {
    description: `title ${value}`,
    origin: 'cli',
  })!;

describe('covers saved over and over', () => {
  it('keep only the pictures the kept history names once a scan has pruned it and a day has passed', async () => {
    const { db, ids } = library(1);
    const [id] = ids as [number];
    const retention: HistoryRetention = { batches: 5, days: 90 };
    const rescan = async () =>
      scan(
        db,
        { folders: [tempDir()], workers: 1, includeHidden: false, ignore: [], history: retention },
        await offLimits(db),
      );
    const SIZE = 256 * 1024;
    for (let i = 0; i < 40; i++) saveCover(db, id, SIZE);
    const removed = removeCovers(db, id);
    expect(count(db, 'SELECT count(*) FROM art')).toBe(40);
    await rescan(); // prunes: the pictures only pruned batches named are let go now
    db.prepare('UPDATE art_released SET at = at - ?').run(ART_GRACE_MS + 1000); // a day passes
    await rescan();
    // Batches 37–40 name their covers and 41 removes it; undoing all five shows batch 36's, which stays.
    expect(count(db, 'SELECT count(*) FROM art')).toBe(retention.batches);
    expect(count(db, 'SELECT sum(bytes) FROM art')).toBe(retention.batches * SIZE);
    const used = count(
      db,
      'SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size',
    );
    expect(used).toBeLessThan((retention.batches + 2) * SIZE);
    expect(new ArtStore(db).pictures(id)).toEqual([]);
    for (let b = removed; b > removed - retention.batches; b--) undoBatch(db, b);
    expect(new ArtStore(db).pictures(id)).toHaveLength(1);
    expect(() => undoBatch(db)).toThrow(/nothing to undo.*pruned up to edit batch 36/);
  });
});

describe('the history kept', () => {
  it('prunes batches past the count, deleting the undone ones, and what shows stays', async () => {
    const { db, ids } = library(2);
    const [a, b] = ids as [number, number];
    for (let i = 1; i <= 10; i++) retitle(db, a, `a${i}`);
    undoBatch(db, 9); // a9 undone: a10 still shows
    retitle(db, b, 'b1'); // batch 11
    const shown = tagsFor(db, ids);
    const retention = { batches: 4, days: 90 };
    expect(await pruneHistory(db, retention)).toBe(7);
    expect(tagsFor(db, ids)).toEqual(shown);
    expect(history(db).map((h) => h.id)).toEqual([11, 10, 9, 8]);
    // Past the history, only the newest pruned batch's edit of a's title is still in force.
    expect(db.prepare('SELECT id FROM edit_batches WHERE id <= 7').pluck().all()).toEqual([7]);
    expect(() => undoBatch(db, 5)).toThrow(
      'edit batch 5 can no longer be undone: the history was pruned up to edit batch 7: it keeps the newest ' +
        '4 batches from the last 90 days (history.batches and history.days in config.json)',
    );
    expect(() => redoBatch(db, 3)).toThrow(/edit batch 3 can no longer be redone: the history was pruned/);
    expect(() => batchChanges(db, 7, 0, 10)).toThrow(/edit batch 7 is no longer in the history/);
    // Undoing what the history holds falls back to what the pruned batches left in force.
    undoBatch(db, 10);
    undoBatch(db, 8);
    expect(title(db, a)).toEqual(['a7']);
    redoBatch(db, 9);
    expect(title(db, a)).toEqual(['a9']);
    // Pruning again finds nothing to do.
    expect(await pruneHistory(db, retention)).toBe(0);
  });

  it('prunes batches older than the days kept, however few', async () => {
    const { db, ids } = library(1);
    const [a] = ids as [number];
    for (let i = 1; i <= 5; i++) retitle(db, a, `a${i}`);
    const now = Date.now();
    db.prepare('UPDATE edit_batches SET created_at = ? WHERE id <= 3').run(now - 91 * DAY_MS);
    expect(await pruneHistory(db, { batches: 1000, days: 90 }, now)).toBe(3);
    expect(history(db).map((h) => h.id)).toEqual([5, 4]);
    expect(await pruneHistory(db, { batches: 1000, days: 1 }, now + 2 * DAY_MS)).toBe(2);
    expect(history(db)).toEqual([]);
    expect(title(db, a)).toEqual(['a5']);
    expect(() => undoBatch(db)).toThrow(
      /^nothing to undo: no edit is saved \(the history was pruned up to edit batch 5/,
    );
  });

  it('gives the next batch a new id when it deleted the newest, undone, with the rest', async () => {
    const { db, ids } = library(1);
    const [a] = ids as [number];
    for (let i = 1; i <= 3; i++) retitle(db, a, `a${i}`);
    undoBatch(db, 3);
    const now = Date.now();
    db.prepare('UPDATE edit_batches SET created_at = ?').run(now - 91 * DAY_MS);
    expect(await pruneHistory(db, { batches: 1000, days: 90 }, now)).toBe(3);
    expect(count(db, 'SELECT count(*) FROM edit_batches WHERE id = 3')).toBe(0); // undone: deleted
    // Batch 3's id again would put the new edit past the history: never listed, undone or redone.
    const next = retitle(db, a, 'a4');
    expect(next).toBe(4);
    expect(history(db).map((h) => h.id)).toEqual([4]);
    undoBatch(db, next);
    expect(title(db, a)).toEqual(['a2']);
  });

  it('never prunes a batch still to be derived, nor any after it', async () => {
    const { db, ids } = library(101);
    retitle(db, ids[0]!, 'x'); // 1
    // More files than are refreshed at once: queued for derivation, and left queued here.
    applyEdit(db, planEdit(db, ids, [{ key: 'genre', values: ['Drone'] }]), {
      description: 'genre',
      origin: 'cli',
    }); // 2
    retitle(db, ids[0]!, 'y'); // 3
    retitle(db, ids[0]!, 'z'); // 4
    expect(count(db, 'SELECT count(*) FROM derive_batches')).toBe(1);
    await pruneHistory(db, { batches: 1, days: 90 });
    expect(history(db).map((h) => h.id)).toEqual([4, 3, 2]);
  });
});
