// Proposals for a set of files from every enabled source, in order — the library's own copies, then
// AcoustID for the files left — as one list the CLI and the app show alike; and applying the chosen ones
// as one edit batch, skipping any file whose tags moved since its proposal was made.
import { validateFieldValue } from '../../shared/fields.ts';
import type { Db } from '../db/database.ts';
import { applyEdit, type PlannedChange } from '../library/edits.ts';
import { tagsFor } from '../library/list.ts';
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

/**
 * The same fields for every other present copy of each proposal's recording (a copy with a proposal of its
 * own keeps it), so the copies of a recording agree: read now, inside the apply's transaction.
 */
function toCopies(db: Db, proposals: readonly Pick<Proposal, 'fileId' | 'changes'>[]): PlannedChange[] {
  const proposed = new Set(proposals.map((p) => p.fileId));
  const pairs = db
    .prepare(
      `SELECT m.file_id AS of, m2.file_id AS copy FROM json_each(?) j
       JOIN recording_members m ON m.file_id = j.value
       JOIN recording_members m2 ON m2.group_id = m.group_id AND m2.file_id <> m.file_id
       JOIN files f ON f.id = m2.file_id AND f.status = 'ok'
       ORDER BY j.key, m2.file_id`,
    )
    .all(JSON.stringify(proposals.map((p) => p.fileId))) as Array<{ of: number; copy: number }>;
  const source = new Map<number, number>();
  for (const { of, copy } of pairs) if (!proposed.has(copy) && !source.has(copy)) source.set(copy, of);
  const byFile = new Map(proposals.map((p) => [p.fileId, p.changes]));
  const tags = tagsFor(db, [...source.keys()]);
  const out: PlannedChange[] = [];
  for (const [copy, of] of source) {
    const mine = tags.get(copy) ?? {};
    for (const c of byFile.get(of)!) {
      const before = mine[c.key] ?? [];
      if (before.length !== c.after.length || before.some((v, i) => v !== c.after[i]))
        out.push({ fileId: copy, key: c.key, before, after: c.after });
    }
  }
  return out;
}

/** Applies the proposals as one batch in one transaction; files edited since their proposal are left out.
 *  `copies`: the same fields reach every other copy of each recording too. */
export function applyProposals(
  db: Db,
  proposals: readonly Pick<Proposal, 'fileId' | 'changes'>[],
  description: string,
  copies = false,
): { batch: number | undefined; applied: number; stale: number[] } {
  return db.transaction(() => {
    const changes = proposals.flatMap((p) => p.changes);
    const stale = changedSince(db, changes);
    const fresh = proposals.filter((p) => !stale.has(p.fileId));
    const kept = [...fresh.flatMap((p) => p.changes), ...(copies ? toCopies(db, fresh) : [])];
    const applied = new Set(kept.map((c) => c.fileId)).size;
    return { batch: applyEdit(db, kept, description), applied, stale: [...stale] };
  })();
}
