// The art table bounded: a picture no file holds (file_art), no edit batch names (art_edit_refs: any
// batch, an undone one too, since it can be redone) and no open conflict offers (save-conflicts.ts) is deleted. Candidates come from art_released,
// which triggers fill whenever a picture is stored or a file or an edit lets one go (migration 25), so a
// collection looks only at what changed, never at the whole table.
//
// Not at once, but a grace period after the picture was last stored or let go: a picture may still be read
// by its hash after the transaction that let it go. A mount daemon serves the version of a file it last saw
// until it notices change_seq move (10 ms after inotify tells it of a commit, a second at most, then a
// rebuild of its tree), an open handle keeps the layout it opened with, holes named by hash that
// fuse/native/art.c reads from this table when a reader reaches them, and the app's views hold /art/:hash
// addresses. Deleting such a picture at once would fail those reads with EIO or 404. Most would fail
// anyway (a file let its picture go because it was re-read after its original changed on disk, and every
// read of its older version fails the binding's check of the original), but not all: a file read again
// by newer readers, unchanged, may come out with other pictures.
// A day outlasts a daemon's lag and a player holding a track open, paused overnight included; beyond the
// pictures still named, the table holds only those let go within a day of its last collection. The same
// grace covers a writer that stores a picture in one transaction and names it in a later one: the store
// (even one ignored because the picture was there) starts the day again.
//
// Each deletion checks, in its own write transaction, that nothing names the picture: a writer that stores
// and names a picture in one transaction (every writer today) is never raced, whatever the grace.
import type { Db } from '../db/database.ts';
import { giveWayAsync, HOLD_MS, writeTransaction } from '../db/write-lock.ts';
import { PICTURES_KEY } from './fields-since.ts';

/** How long a picture nothing names is kept after it was last stored or let go. */
export const ART_GRACE_MS = 24 * 60 * 60 * 1000;

/** Whether a picture is due to be looked at: one index lookup. */
export function artDue(db: Db, now = Date.now()): boolean {
  return db.prepare('SELECT 1 FROM art_released WHERE at <= ? LIMIT 1').get(now - ART_GRACE_MS) !== undefined;
}

/**
 * Deletes the pictures nothing has named for ART_GRACE_MS before `now`, in write transactions of about
 * HOLD_MS (at least one picture each), giving way to other writers between them; the pictures deleted.
 * When none is due (the usual case) it reads one index entry and writes nothing. `waitMs`: how long each
 * transaction waits for the write lock (writeTransaction's).
 */
export async function collectArt(db: Db, now = Date.now(), waitMs?: number): Promise<number> {
  if (!artDue(db, now)) return 0;
  const cutoff = now - ART_GRACE_MS;
  const due = db.prepare('SELECT hash FROM art_released WHERE at <= ? ORDER BY at LIMIT 64').pluck();
  const drop = db.prepare(
    `DELETE FROM art WHERE hash = :hash AND NOT EXISTS (SELECT 1 FROM file_art WHERE hash = :hash)
       AND NOT EXISTS (SELECT 1 FROM art_edit_refs WHERE hash = :hash)
       AND NOT EXISTS (SELECT 1 FROM save_conflicts c, json_each(c.tagger) j
         WHERE c.key = '${PICTURES_KEY}' AND c.resolved IS NULL AND json_extract(j.value, '$.hash') = :hash)`,
  );
  const forget = db.prepare('DELETE FROM art_released WHERE hash = ?');
  // The pictures deleted, and whether the budget ran out before the candidates did.
  const chunk = (): [number, boolean] => {
    const start = performance.now();
    let deleted = 0;
    for (let hashes = due.all(cutoff) as string[]; hashes.length > 0; hashes = due.all(cutoff) as string[]) {
      for (const hash of hashes) {
        deleted += drop.run({ hash }).changes;
        forget.run(hash);
        if (performance.now() - start >= HOLD_MS) return [deleted, true];
      }
    }
    return [deleted, false];
  };
  let total = 0;
  for (;;) {
    const [deleted, more] = writeTransaction(db, chunk, waitMs);
    total += deleted;
    if (!more) return total;
    await giveWayAsync();
  }
}
