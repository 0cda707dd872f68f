// "Not the same recording" and "the same recording": `sleeve dup --split/--join` and the Duplicates view's
// actions. The user's word is written as copy_decisions in an edit batch (so it is in the history and
// undone or redone like an edit) and the groups follow at once (recording_members' triggers move
// copies_state, so lists and live mounts follow too).

import { basename } from 'node:path';
import { UserError } from '../../../kit/user-error.ts';
import { NEW_BATCH_ID } from '../db/batch-ids.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';

import { CopyDecisions } from './copy-decisions.ts';
import { regroupFiles } from './recording-groups.ts';

export class CopyDecisionError extends UserError {
  override name = 'CopyDecisionError';
}

interface Pair {
  readonly a: number;
  readonly b: number;
  readonly together: boolean;
}

const pair = (x: number, y: number, together: boolean): Pair =>
  x < y ? { a: x, b: y, together } : { a: y, b: x, together };

/** A file's name and its group's members (itself included); refuses an unknown id. */
function fileAndCopies(db: Db, id: number): { name: string; members: number[] } {
  const path = db.prepare(`SELECT path FROM files WHERE id = ? AND status <> 'removed'`).pluck().get(id) as
    | string
    | undefined;
  if (path === undefined) throw new CopyDecisionError('not_found', `there is no track ${id}`);
  const members = db
    .prepare(
      `SELECT file_id FROM recording_members
       WHERE group_id = (SELECT group_id FROM recording_members WHERE file_id = ?) ORDER BY file_id`,
    )
    .pluck()
    .all(id) as number[];
  return { name: basename(path), members };
}

const NOT_GROUPED = (id: number) =>
  `track ${id} has no fingerprint to group it by yet (sleeve scan fingerprints files; one silent or too uniform has none)`;

/** Takes a copy out of its recording: split from every other member, for good (until undone). Returns the batch. */
export function splitCopy(db: Db, id: number): number {
  const { name, members } = fileAndCopies(db, id);
  if (members.length === 0) throw new CopyDecisionError('conflict', NOT_GROUPED(id));
  const others = members.filter((m) => m !== id);
  if (others.length === 0)
    throw new CopyDecisionError('conflict', `track ${id} has no copies to split it from`);
  return decide(
    db,
    `Split ${name} from its ${others.length === 1 ? 'copy' : `${others.length} copies`}: not the same recording`,
    others.map((o) => pair(id, o, false)),
  );
}

/** Makes two files' groups one recording, kept together whatever the index says. Returns the batch. */
export function joinCopies(db: Db, first: number, second: number): number {
  if (first === second) throw new CopyDecisionError('bad_request', `cannot join track ${first} with itself`);
  const one = fileAndCopies(db, first);
  const two = fileAndCopies(db, second);
  for (const [id, f] of [
    [first, one],
    [second, two],
  ] as const)
    if (f.members.length === 0) throw new CopyDecisionError('conflict', NOT_GROUPED(id));
  if (one.members.includes(second))
    throw new CopyDecisionError('conflict', `tracks ${first} and ${second} are already one recording`);
  // Pairs of the two groups the user split before are joined now: the newer word counts.
  const decisions = new CopyDecisions(db);
  const theirs = new Set(two.members);
  const overruled = one.members.flatMap((x) =>
    [...decisions.apartFrom(x)].filter((y) => theirs.has(y)).map((y) => pair(x, y, true)),
  );
  return decide(db, `Joined ${one.name} and ${two.name} as one recording`, [
    pair(first, second, true),
    ...overruled.filter((p) => p.a !== Math.min(first, second) || p.b !== Math.max(first, second)),
  ]);
}

/** Writes the decisions as one edit batch and regroups their files, in one transaction. */
function decide(db: Db, description: string, pairs: readonly Pair[]): number {
  return writeTransaction(db, () => {
    const batch = Number(
      db
        .prepare(`INSERT INTO edit_batches (id, created_at, description) VALUES (${NEW_BATCH_ID}, ?, ?)`)
        .run(Date.now(), description).lastInsertRowid,
    );
    const insert = db.prepare('INSERT INTO copy_decisions (batch_id, a, b, together) VALUES (?, ?, ?, ?)');
    for (const p of pairs) insert.run(batch, p.a, p.b, p.together ? 1 : 0);
    regroupFiles(db, [...new Set(pairs.flatMap((p) => [p.a, p.b]))]);
    return batch;
  });
}

/** After a batch is undone or redone: the groups of the files it decided on, as the decisions now say. */
export function regroupDecided(db: Db, batchId: number): void {
  const files = db
    .prepare(
      'SELECT a FROM copy_decisions WHERE batch_id = ? UNION SELECT b FROM copy_decisions WHERE batch_id = ?',
    )
    .pluck()
    .all(batchId, batchId) as number[];
  if (files.length > 0) regroupFiles(db, files);
}
