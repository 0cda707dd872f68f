// Identification from the library itself, offline: a file whose recording group (its acoustic copies)
// holds a better-tagged copy is proposed that copy's tags — the fields that name a recording on a release,
// as Picard writes them from MusicBrainz. A proposal that only fills empty fields, from the one best
// source, between two full copies, is strong; one that would replace values the file has, or whose group
// holds another well-tagged copy naming a different recording or release, or that involves a partial copy (an excerpt may come from
// another release), is left for review.
import type { Db } from '../db/database.ts';
import type { PlannedChange } from '../library/edits.ts';
import { type Tags, tagsFor } from '../library/list.ts';
import { readyScope } from '../library/recordings-scope.ts';
import { IDENTITY_FIELDS } from './identity-fields.ts';

/** How much a field says about which recording and release a file is (unlisted identity fields: 1). */
const WEIGHT: Partial<Record<string, number>> = {
  musicbrainz_recordingid: 6,
  musicbrainz_albumid: 4,
  acoustid_id: 3,
  title: 3,
  artist: 3,
  album: 2,
  tracknumber: 2,
};

/** Fields whose disagreement means two copies name different recordings or releases. */
const DECISIVE = ['title', 'artist', 'album', 'musicbrainz_recordingid', 'musicbrainz_albumid'] as const;

export type Strength = 'strong' | 'review';

/** What every source of names proposes for one file (its copies, AcoustID, a MusicBrainz release). */
export interface Proposal {
  readonly fileId: number;
  readonly strength: Strength;
  /** Why it is not strong (empty when it is). */
  readonly reasons: readonly string[];
  /** The fields that would change, each with the file's values now and the proposed ones. */
  readonly changes: readonly PlannedChange[];
}

export interface CopyProposal extends Proposal {
  /** The copy whose tags are proposed. */
  readonly sourceId: number;
}

interface Member {
  readonly id: number;
  readonly group: number;
  readonly partial: boolean;
  /** The copy's place in its group's ranking (0: the copy the recording keeps). */
  readonly place: number;
}

const present = (tags: Tags, key: string): string[] => (tags[key] ?? []).filter((v) => v.trim() !== '');

/** How well a copy's tags name its recording: the weighted count of identity fields it has. */
export function tagScore(tags: Tags): number {
  let score = 0;
  for (const key of IDENTITY_FIELDS) if (present(tags, key).length > 0) score += WEIGHT[key] ?? 1;
  return score;
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** Whether two copies' tags name different recordings or releases (a field both have, with other values). */
function disagree(a: Tags, b: Tags): boolean {
  return DECISIVE.some((key) => {
    const x = present(a, key);
    const y = present(b, key);
    return x.length > 0 && y.length > 0 && !same(x, y);
  });
}

/**
 * Proposals for the files `ids` (those in a recording group with a better-tagged copy); files with no such
 * copy get none. One query for the groups, one for the tags of every member involved.
 */
export function proposalsFromCopies(db: Db, ids: readonly number[]): CopyProposal[] {
  if (ids.length === 0) return [];
  readyScope(db, 'recordings'); // temp.copy_place: each copy's place in its group's ranking
  const members = db
    .prepare(
      `SELECT m.file_id AS id, m.group_id AS "group", m.partial_offset IS NOT NULL AS partial, p.place
       FROM recording_members m JOIN temp.copy_place p ON p.id = m.file_id
       WHERE m.group_id IN (SELECT m2.group_id FROM json_each(?) j JOIN recording_members m2 ON m2.file_id = j.value)`,
    )
    .all(JSON.stringify(ids)) as Array<Omit<Member, 'partial'> & { partial: number }>;
  const byGroup = new Map<number, Member[]>();
  const groupOf = new Map<number, Member>();
  for (const m of members) {
    const member = { ...m, partial: m.partial === 1 };
    byGroup.set(m.group, [...(byGroup.get(m.group) ?? []), member]);
    groupOf.set(m.id, member);
  }
  const tags = tagsFor(
    db,
    members.map((m) => m.id),
    IDENTITY_FIELDS,
  );
  const scores = new Map([...tags].map(([id, t]) => [id, tagScore(t)]));
  const proposals: CopyProposal[] = [];
  for (const id of ids) {
    const self = groupOf.get(id);
    if (!self) continue;
    const mine = tags.get(id)!;
    // Better-tagged copies, best first; the kept copy first among equals.
    const better = byGroup
      .get(self.group)!
      .filter((m) => m.id !== id && scores.get(m.id)! > scores.get(id)!)
      .sort((a, b) => scores.get(b.id)! - scores.get(a.id)! || a.place - b.place);
    const source = better[0];
    if (!source) continue;
    const theirs = tags.get(source.id)!;
    const changes: PlannedChange[] = [];
    const reasons: string[] = [];
    let replaces = 0;
    for (const key of IDENTITY_FIELDS) {
      const after = present(theirs, key);
      const before = present(mine, key);
      if (after.length === 0 || same(before, after)) continue;
      if (before.length > 0) replaces++;
      changes.push({ fileId: id, key, before: mine[key] ?? [], after });
    }
    if (changes.length === 0) continue;
    if (replaces > 0) reasons.push(`replaces ${replaces} value(s) the file has`);
    // A rival: another copy tagged at least half as well, naming another recording or release (a copy
    // with only a placeholder title is no rival).
    const rival = better
      .slice(1)
      .find((m) => 2 * scores.get(m.id)! >= scores.get(source.id)! && disagree(theirs, tags.get(m.id)!));
    if (rival)
      reasons.push(`another well-tagged copy (track ${rival.id}) names a different recording or release`);
    if (self.partial || source.partial) reasons.push('a partial copy: it may come from another release');
    proposals.push({
      fileId: id,
      sourceId: source.id,
      strength: reasons.length === 0 ? 'strong' : 'review',
      reasons,
      changes,
    });
  }
  return proposals;
}

/**
 * Of `changes`, those whose file no longer has the values they were proposed against (edited since, by
 * another window or process): such a proposal is not applied. Returns the files concerned.
 */
export function changedSince(db: Db, changes: readonly PlannedChange[]): Set<number> {
  const now = tagsFor(
    db,
    [...new Set(changes.map((c) => c.fileId))],
    [...new Set(changes.map((c) => c.key))],
  );
  const stale = new Set<number>();
  for (const c of changes) if (!same(now.get(c.fileId)?.[c.key] ?? [], c.before)) stale.add(c.fileId);
  return stale;
}
