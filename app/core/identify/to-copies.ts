// What identifying a file gives the other copies of its recording, when asked (`sleeve identify --copies`,
// the app's "Also their other copies"): planned with the proposals and shown with them, so that applying
// writes exactly the files shown. A copy gets only the recording's own fields of the proposal (a copy may
// be on another release: identity-fields.ts), and only:
// - if it is as long as the file (within MAX_DURATION_DIFF, AcoustID's rule for one recording): an
//   extended version, or an excerpt, holding the same audio is, or may be, another recording;
// - in the fields the user did not set in Sleeve on it: an edit is never lost;
// - when it has no proposal of its own (that one is shown and chosen by itself).
// A copy of a recording two proposals name is planned with the first.
import type { Db } from '../db/database.ts';
import { MAX_DURATION_DIFF } from '../fingerprint/recording-match.ts';
import { editedFields, type PlannedChange } from '../library/edits.ts';
import { fieldChanges } from '../library/field-diff.ts';
import { tagsFor } from '../library/list.ts';
import { IDENTITY_FIELDS, isRecordingField } from './identity-fields.ts';

/** One copy's changes, planned from a proposal for another file of its recording. */
export interface CopyChanges {
  readonly fileId: number;
  readonly changes: readonly PlannedChange[];
}

interface Planned {
  readonly fileId: number;
  readonly changes: readonly PlannedChange[];
}

const RECORDING_FIELDS = IDENTITY_FIELDS.filter(isRecordingField);

/** For each of `proposals` (in their order), the copies it would write and what. One query for the copies,
 *  one for their tags, one for their edited fields. */
export function planCopies(db: Db, proposals: readonly Planned[]): CopyChanges[][] {
  if (proposals.length === 0) return [];
  const pairs = db
    .prepare(
      `SELECT j.key AS at, m2.file_id AS copy FROM json_each(?) j
       JOIN recording_members m ON m.file_id = j.value JOIN files f ON f.id = m.file_id
       JOIN recording_members m2 ON m2.group_id = m.group_id AND m2.file_id <> m.file_id
       JOIN files c ON c.id = m2.file_id AND c.status = 'ok'
       WHERE abs(c.duration - f.duration) <= ?
       ORDER BY j.key, m2.file_id`,
    )
    .all(JSON.stringify(proposals.map((p) => p.fileId)), MAX_DURATION_DIFF) as Array<{
    at: number;
    copy: number;
  }>;
  const proposed = new Set(proposals.map((p) => p.fileId));
  const of = new Map<number, number>(); // copy → the proposal (index) it is planned with
  for (const { at, copy } of pairs) if (!proposed.has(copy) && !of.has(copy)) of.set(copy, at);
  const ids = [...of.keys()];
  const tags = tagsFor(db, ids, RECORDING_FIELDS);
  const edited = editedFields(db, ids);
  const plans: CopyChanges[][] = proposals.map(() => []);
  for (const [copy, at] of of) {
    const mine = new Set(edited.get(copy));
    const fields = proposals[at]!.changes.filter((c) => isRecordingField(c.key) && !mine.has(c.key));
    const { changes } = fieldChanges(
      copy,
      tags.get(copy)!,
      Object.fromEntries(fields.map((c) => [c.key, c.after])),
    );
    if (changes.length > 0) plans[at]!.push({ fileId: copy, changes });
  }
  return plans;
}
