// Proposals for a set of files from every enabled source, in order — the library's own copies, then
// AcoustID for the files left — as one list the CLI and the app show alike; and applying the chosen ones
// as one edit batch, skipping any file whose tags moved since its proposal was made.
import { validateFieldValue } from '../../shared/fields.ts';
import type { Db } from '../db/database.ts';
import { applyEdit, type PlannedChange } from '../library/edits.ts';
import { AcoustIdClient, type AcoustIdOptions } from './acoustid.ts';
import { proposalsFromAcoustId } from './from-acoustid.ts';
import { changedSince, proposalsFromCopies, type Strength } from './from-copies.ts';

export interface Proposal {
  readonly fileId: number;
  readonly source: 'copy' | 'acoustid';
  readonly strength: Strength;
  readonly reasons: readonly string[];
  readonly changes: readonly PlannedChange[];
  /** The copy proposed from (source 'copy'). */
  readonly sourceId?: number;
  /** AcoustID's track, its score and the recording (source 'acoustid'). */
  readonly acoustid?: string;
  readonly score?: number;
  readonly recordingId?: string;
}

export interface OnlineStats {
  readonly requests: number;
  readonly cached: number;
  /** Files AcoustID does not know. */
  readonly unknown: number;
  /** Files with no usable fingerprint. */
  readonly unfingerprinted: number;
  /** Files asked about. */
  readonly asked: number;
}

export interface Proposals {
  readonly proposals: Proposal[];
  /** Present when AcoustID was asked. */
  readonly online?: OnlineStats;
}

/** Longer than any real tag value: what a source says past it is not proposed. */
const MAX_VALUE_CHARS = 4096;

const valueProblem = (key: string, v: string) =>
  v.length > MAX_VALUE_CHARS ? `${key}: a value of ${v.length} characters` : validateFieldValue(key, v);

/** A proposal without the values an edit would refuse (a date in another form, a NUL, a huge value): those
 *  fields are left out, and the proposal is for review, saying which. */
function checked(p: Proposal): Proposal {
  const problems: string[] = [];
  const changes = p.changes.filter((c) => {
    const problem = c.after.map((v) => valueProblem(c.key, v)).find((x) => x !== undefined);
    if (problem) problems.push(`left out ${problem}`);
    return !problem;
  });
  if (problems.length === 0) return p;
  return { ...p, changes, strength: 'review', reasons: [...p.reasons, ...problems] };
}

/** `acoustid`: the service's options when it is enabled (null: offline). */
export async function propose(
  db: Db,
  ids: readonly number[],
  acoustid: AcoustIdOptions | null,
  onProgress?: (done: number, total: number) => void,
): Promise<Proposals> {
  const copies: Proposal[] = proposalsFromCopies(db, ids)
    .map((p) => checked({ ...p, source: 'copy' }))
    .filter((p) => p.changes.length > 0);
  const left = new Set(ids);
  for (const p of copies) left.delete(p.fileId);
  if (!acoustid || left.size === 0) return { proposals: copies };
  const client = new AcoustIdClient(db, acoustid);
  const found = await proposalsFromAcoustId(db, client, [...left], onProgress);
  return {
    proposals: [
      ...copies,
      ...found.proposals
        .map((p) => checked({ ...p, source: 'acoustid' }))
        .filter((p) => p.changes.length > 0),
    ],
    online: {
      ...client.stats,
      unknown: found.unknown.length,
      unfingerprinted: found.unfingerprinted.length,
      asked: left.size - found.unfingerprinted.length,
    },
  };
}

/** Applies the proposals as one batch in one transaction; files edited since their proposal are left out. */
export function applyProposals(
  db: Db,
  proposals: readonly Pick<Proposal, 'fileId' | 'changes'>[],
  description: string,
): { batch: number | undefined; applied: number; stale: number[] } {
  const changes = proposals.flatMap((p) => p.changes);
  return db.transaction(() => {
    const stale = changedSince(db, changes);
    const kept = changes.filter((c) => !stale.has(c.fileId));
    const applied = new Set(kept.map((c) => c.fileId)).size;
    return { batch: applyEdit(db, kept, description), applied, stale: [...stale] };
  })();
}
