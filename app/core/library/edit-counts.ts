// Which edit rows count, said once for every query that reads them. An edit counts while its batch is
// active. An edit carried to another copy of its recording (prefer-copy.ts: the user kept another copy,
// a rule or a scan moved the kept copy) names the batch the user made it in (carried_from, however many
// carries away) and counts only while that batch is active too: undoing the edit takes it back from every
// copy it was carried to, and redoing it brings it back there, each row still under its carry's batch (an
// undo of the carry takes back only the carry). A source batch past the history (pruned: never undone
// again) counts as active; history-prune.ts deletes the rows carried from an undone batch it deletes.

/** SQL: whether the source batch of edit row `row` (edits or art_edits) counts by `active` (a condition
 *  over an edit_batches alias, true or false, never null); true for a row the user made itself. */
export const sourceCounts = (row: string, active: (batch: string) => string): string =>
  `(${row}.carried_from IS NULL OR NOT EXISTS (SELECT 1 FROM edit_batches carried_source
     WHERE carried_source.id = ${row}.carried_from AND NOT (${active('carried_source')})))`;

/** SQL: whether edit row `row` (edits or art_edits), joined to its batch `batch`, counts now. */
export const editCounts = (row: string, batch: string): string =>
  `${batch}.undone_at IS NULL AND ${sourceCounts(row, (b) => `${b}.undone_at IS NULL`)}`;

/** SQL: edit row `row`'s age among the edits of its field, newer greater: when the user made it — a carried
 *  row is as old as the edit it carries — then its batch, as one number (batch ids stay far below 2^31).
 *  So an edit the user made after the one carried stands over the carry, even one undone at the time of
 *  the carry and redone since. */
export const editAge = (row: string): string =>
  `(coalesce(${row}.carried_from, ${row}.batch_id) * ${AGE_BATCH} + ${row}.batch_id)`;

/** How editAge holds the row's own batch: an age modulo this is the batch id. */
export const AGE_BATCH = 4294967296;

/** Of an edit row being carried, the batch its carry names: the one it was carried from, else its own. */
export const originOf = (row: { readonly batchId: number; readonly carriedFrom: number | null }): number =>
  row.carriedFrom ?? row.batchId;
