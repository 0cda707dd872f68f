// A change that may move a recording's kept copy: copies_state.seq rises, and each recording it touched
// is logged at the new seq in copies_touched (one row a recording, its newest seq; recording 0: every
// recording, as a change of the user's copy rules). A connection holding the places of every copy at an
// older seq ranks again only the recordings logged since (app/core/library/copy-places.ts): ranking all
// of them took 1.3 s at 100,000 grouped copies, for a change that moved one. The log is as long as the
// recordings are many (their ids are reused: max + 1), so it needs no pruning.

/** The two statements that note a change of the copies of the recordings `groups` (a SELECT of
 *  `group_id`) selects, when it selects any: in a trigger's body, or run one after the other in one
 *  transaction. */
export function copiesTouchedSql(groups: string): readonly [rise: string, log: string] {
  return [
    `UPDATE copies_state SET seq = seq + 1 WHERE EXISTS (${groups})`,
    `INSERT INTO copies_touched (group_id, seq) SELECT t.group_id, s.seq FROM (${groups}) t, copies_state s WHERE true
      ON CONFLICT (group_id) DO UPDATE SET seq = excluded.seq`,
  ];
}

/** The recording that stands for every recording in copies_touched. */
export const EVERY_RECORDING = 0;
