// The fields that name which recording, and on which release, a file is — what identification proposes, as
// Picard writes them from MusicBrainz (not per-file facts such as ReplayGain, the encoder, a comment or a
// fingerprint) — each with what it belongs to. The recording's own fields are the same on every copy of it,
// whatever release it is on; the rest name a release (its album, numbers, dates, label, ids) or may come
// from one (Picard takes credits such as producer or performer from the release's relationships too), so
// a copy on a compilation or another edition has its own.

import { FIELD_TABLE } from '../../shared/field-table.ts';

/** Every field a proposal may carry (the field table's rows with an `identity`), in the table's order,
 *  which diffs show them in. */
export const IDENTITY_FIELDS: readonly string[] = Object.keys(FIELD_TABLE).filter(
  (key) => FIELD_TABLE[key]!.identity,
);

/** Whether `key` is one of the recording's own fields: what identifying a file may give its other copies. */
export const isRecordingField = (key: string): boolean =>
  Object.hasOwn(FIELD_TABLE, key) && FIELD_TABLE[key]!.identity === 'recording';
