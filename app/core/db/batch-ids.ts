// The id a new edit batch takes. Pruning the history (app/core/library/history-prune.ts) deletes old
// batches, the newest too when every batch is older than the rule's days; SQLite would give its id to the
// next batch, which would then be past the history (never listed, undone or redone). So a new batch is
// numbered past every batch there is and every one pruned.

/** The new batch's id, in SQL (history_pruned: the newest batch past the history). */
export const NEW_BATCH_ID = `(SELECT max(coalesce((SELECT max(id) FROM edit_batches), 0), through) + 1
  FROM history_pruned)`;
