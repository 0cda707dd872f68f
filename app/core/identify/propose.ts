// Proposals for a set of files from every enabled source — the library's own copies (offline), AcoustID
// (each file's recording by sound), MusicBrainz (the album each folder is, matched as a whole, which takes
// precedence for the files it places on a release) — as one list the CLI and the app show alike, with what
// each would give the other copies of its recording when asked; and applying the chosen ones, and exactly
// the copies shown with them, as one edit batch, with the releases' front covers when asked, skipping any
// file whose tags moved since its proposal was made.
import { TAG_FIELDS, validateFieldValue } from '../../shared/fields.ts';
import { isNumberField, storedNumbers } from '../../shared/track-numbers.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { ArtStore, PICTURE_TYPES } from '../library/art.ts';
import { type CoverImage, planCover, storeCover } from '../library/cover-edit.ts';
import {
  addArtToBatch,
  applyEdit,
  type BatchLabel,
  EditError,
  editedFields,
  type PlannedArt,
  type PlannedChange,
} from '../library/edits.ts';
import { AcoustIdClient, type AcoustIdOptions } from './acoustid.ts';
import { type CoverArtOptions, frontCovers } from './cover-art-archive.ts';
import { type FileAnswers, lookupFiles, proposalsFromAcoustId, usableResults } from './from-acoustid.ts';
import { changedSince, proposalsFromCopies, type Strength } from './from-copies.ts';
import { type ClusterMatch, proposalsFromReleases } from './from-releases.ts';
import { isRecordingField } from './identity-fields.ts';
import { MusicBrainzClient, type MusicBrainzOptions } from './musicbrainz.ts';
import { type CopyChanges, planCopies } from './to-copies.ts';

export interface Proposal {
  readonly fileId: number;
  readonly source: 'copy' | 'acoustid' | 'release';
  readonly strength: Strength;
  readonly reasons: readonly string[];
  readonly changes: readonly PlannedChange[];
  /** The copy proposed from (source 'copy'). */
  readonly sourceId?: number;
  /** AcoustID's track, its score and the recording (source 'acoustid'). */
  readonly acoustid?: string;
  readonly score?: number;
  readonly recordingId?: string;
  /** The cluster (album) and the release proposed (source 'release'). */
  readonly cluster?: string;
  readonly releaseId?: string;
  /** When copies were asked for: the other copies of its recording it would write, and what (to-copies). */
  readonly copies?: readonly CopyChanges[];
  /** The credits the user entered in Sleeve its changes keep beside the source's, by field
   *  (app/shared/kept-credits.ts). */
  readonly kept?: Record<string, string[]>;
}

/** Every file the proposals name: each proposal's own, the copy it was proposed from and the copies it
 *  would write too. */
export function filesNamed(proposals: readonly Proposal[]): Set<number> {
  return new Set([
    ...proposals.map((p) => p.fileId),
    ...proposals.flatMap((p) => p.sourceId ?? []),
    ...proposals.flatMap((p) => (p.copies ?? []).map((c) => c.fileId)),
  ]);
}

/** The online sources enabled, with their options. */
export interface OnlineSources {
  readonly acoustid?: AcoustIdOptions;
  readonly musicbrainz?: MusicBrainzOptions;
}

export interface ProposeOptions {
  /** A release the user chose, by cluster key, or one for every cluster. */
  readonly chosen?: ReadonlyMap<string, string> | string;
  /** Cancels the run: it fails, nothing is proposed, what was received stays cached. */
  readonly signal?: AbortSignal;
  /** Requests answered (AcoustID) and albums matched (MusicBrainz) as they go. */
  readonly onProgress?: (service: 'AcoustID' | 'MusicBrainz', done: number, total: number) => void;
  /** Plan what each proposal gives the other copies of its recording too (to-copies). */
  readonly copies?: boolean;
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
  /** Present when MusicBrainz was asked: each cluster's candidates and the one proposed. */
  readonly albums?: { readonly clusters: ClusterMatch[]; readonly requests: number; readonly cached: number };
  /** Answers the services gave that were left out, and why (an id that is not one). */
  readonly warnings: string[];
}

/** Longer than any real tag value: what a source says past it is not proposed. */
const MAX_VALUE_CHARS = 4096;
/** Values left out a proposal names; the rest are counted. */
const MAX_PROBLEMS_SAID = 5;

const valueProblem = (key: string, v: string) =>
  v.length > MAX_VALUE_CHARS ? `${key}: a value of ${v.length} characters` : validateFieldValue(key, v);

/** A change with its track or disc numbers as the library stores them ("05" → "5", as a scan reads a file
 *  now; app/shared/track-numbers.ts); one whose values carry a total is left as it is. */
function asStored(c: PlannedChange): PlannedChange {
  if (!isNumberField(c.key)) return c;
  const [field, ...more] = storedNumbers([{ key: c.key, values: c.after }]).fields;
  return field && more.length === 0 && field.key === c.key ? { ...c, after: field.values } : c;
}

const sameValues = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** A proposal with numbers as stored (a change that then changes nothing dropped), and without the values an
 *  edit would refuse (a date in another form, a NUL, a huge value): those values are left out — a field's
 *  others kept (one credit of 10 KB among a recording's performers) — and the proposal is for review,
 *  saying which. */
function checked(p: Proposal): Proposal {
  const problems: string[] = [];
  const changes = p.changes.map(asStored).flatMap((c) => {
    const after = c.after.filter((v) => {
      const problem = valueProblem(c.key, v);
      if (problem) problems.push(`left out ${problem}`);
      return problem === undefined;
    });
    return after.length === 0 || sameValues(c.before, after) ? [] : [{ ...c, after }];
  });
  if (problems.length === 0) return { ...p, changes };
  const said = problems.slice(0, MAX_PROBLEMS_SAID);
  if (problems.length > said.length) said.push(`and ${problems.length - said.length} more value(s) left out`);
  return { ...p, changes, strength: 'review', reasons: [...p.reasons, ...said] };
}

/** The list fields (the credits, the works): what a user may have added a value to by hand. */
const LIST_FIELDS = new Set(TAG_FIELDS.filter((f) => f.list).map((f) => f.name));

/**
 * Proposals that remove no credit the user entered: a list field set by an edit in Sleeve keeps, after the
 * source's values, those the source lacks (`kept`), said in the reasons; the user may replace them too
 * (kept-credits.ts). A change that then changes nothing is dropped.
 */
function keepingEntered(db: Db, proposals: readonly Proposal[]): Proposal[] {
  const edited = editedFields(
    db,
    proposals.filter((p) => p.changes.some((c) => LIST_FIELDS.has(c.key))).map((p) => p.fileId),
  );
  return proposals.map((p) => {
    const mine = new Set(edited.get(p.fileId));
    const kept: Record<string, string[]> = {};
    const changes = p.changes.flatMap((c) => {
      if (!LIST_FIELDS.has(c.key) || !mine.has(c.key)) return [c];
      const keep = c.before.filter((v) => !c.after.includes(v));
      if (keep.length === 0) return [c];
      kept[c.key] = keep;
      // The source names only values the field holds: the field stays as it is unless the user replaces
      // the kept ones (a change that changes nothing, which applying skips).
      const same = c.after.length + keep.length === c.before.length;
      return [{ ...c, after: same ? c.before : [...c.after, ...keep] }];
    });
    const fields = Object.keys(kept);
    if (fields.length === 0) return p;
    const n = fields.reduce((sum, k) => sum + kept[k]!.length, 0);
    return {
      ...p,
      changes,
      kept,
      reasons: [
        ...p.reasons,
        `keeps ${n} value(s) entered in Sleeve that the source lacks (${fields.join(', ')})`,
      ],
    };
  });
}

/** The online sources config.json enables (none when `offline`). */
export function onlineSources(config: Config['identify'], offline = false): OnlineSources {
  if (offline) return {};
  return {
    ...(config.acoustid.enabled ? { acoustid: config.acoustid } : {}),
    ...(config.musicbrainz.enabled ? { musicbrainz: config.musicbrainz } : {}),
  };
}

/** Proposals for the files `ids` from the offline source and the enabled online ones. */
export async function propose(
  db: Db,
  ids: readonly number[],
  online: OnlineSources,
  options: ProposeOptions = {},
): Promise<Proposals> {
  const byFile = new Map<number, Proposal>();
  const add = (ps: readonly Proposal[]) => {
    for (const p of ps.map(checked)) if (p.changes.length > 0) byFile.set(p.fileId, p);
  };
  add(proposalsFromCopies(db, ids).map((p) => ({ ...p, source: 'copy' })));
  let found: FileAnswers | undefined;
  let stats: OnlineStats | undefined;
  const warnings = new Set<string>();
  if (online.acoustid) {
    const client = new AcoustIdClient(db, online.acoustid, options.signal);
    found = await lookupFiles(db, client, ids, (done, total) =>
      options.onProgress?.('AcoustID', done, total),
    );
    // A recording by sound for the files their copies did not name.
    const acoustid = proposalsFromAcoustId(
      db,
      found,
      ids.filter((id) => !byFile.has(id)),
    );
    add(acoustid.proposals.map((p) => ({ ...p, source: 'acoustid' })));
    for (const w of client.warnings) warnings.add(w);
    stats = {
      ...client.stats,
      unknown: [...found.answers.values()].filter((r) => usableResults(r).length === 0).length,
      unfingerprinted: found.unfingerprinted.length,
      asked: found.answers.size,
    };
  }
  let albums: Proposals['albums'];
  if (online.musicbrainz) {
    const mb = new MusicBrainzClient(db, online.musicbrainz, options.signal);
    const releases = await proposalsFromReleases(
      db,
      mb,
      ids,
      found?.answers ?? new Map(),
      options.chosen,
      (done, total) => options.onProgress?.('MusicBrainz', done, total),
      options.signal,
    );
    add(releases.proposals.map((p) => ({ ...p, source: 'release' })));
    // A file its album already names as tagged keeps its tags: no other source's proposal for it.
    for (const id of releases.confirmed) byFile.delete(id);
    albums = { clusters: releases.clusters, ...mb.stats };
    for (const w of mb.warnings) warnings.add(w);
  }
  const proposals = ids.flatMap((id) => byFile.get(id) ?? []);
  // The copies get the source's values; each file keeps its own user's credits.
  const copies = options.copies ? planCopies(db, proposals) : undefined;
  const keeping = keepingEntered(db, proposals).map((p, i) => (copies ? { ...p, copies: copies[i]! } : p));
  return {
    // A proposal left with no change (the source names only what the user's credits hold) is none.
    proposals: keeping.filter((p) => p.changes.length > 0),
    ...(stats ? { online: stats } : {}),
    ...(albums ? { albums } : {}),
    warnings: [...warnings],
  };
}

type Chosen = Pick<Proposal, 'fileId' | 'changes' | 'releaseId' | 'copies'>;

/** Of `ids`, the files without a front cover. */
function withoutFront(db: Db, ids: readonly number[]): Set<number> {
  const pictures = new ArtStore(db).picturesOf(ids);
  return new Set(ids.filter((id) => !(pictures.get(id) ?? []).some((p) => p.type === PICTURE_TYPES.front)));
}

/** The releases whose front cover some of `proposals`' files lack: the covers worth fetching. */
function coversWanted(db: Db, proposals: readonly Chosen[]): string[] {
  const lacking = withoutFront(
    db,
    proposals.filter((p) => p.releaseId).map((p) => p.fileId),
  );
  return [...new Set(proposals.filter((p) => lacking.has(p.fileId)).map((p) => p.releaseId!))];
}

/** The front cover of each proposal's release for its files without one, the images stored. */
function coverPlan(
  db: Db,
  proposals: readonly Chosen[],
  covers: ReadonlyMap<string, CoverImage>,
): PlannedArt[] {
  const lacking = withoutFront(
    db,
    proposals.map((p) => p.fileId),
  );
  return [...covers].flatMap(([releaseId, image]) => {
    const ids = proposals
      .filter((p) => p.releaseId === releaseId && lacking.has(p.fileId))
      .map((p) => p.fileId);
    if (ids.length === 0) return [];
    storeCover(db, image);
    return planCover(db, ids, { kind: 'set', hash: image.hash, type: PICTURE_TYPES.front });
  });
}

/** A copy whose plan no longer holds: its values moved since, or the user edited a field it would set. */
function staleCopies(db: Db, copies: readonly CopyChanges[]): Set<number> {
  const edited = editedFields(
    db,
    copies.map((c) => c.fileId),
  );
  const stale = changedSince(
    db,
    copies.flatMap((c) => c.changes),
  );
  for (const c of copies) {
    const mine = new Set(edited.get(c.fileId));
    if (c.changes.some((x) => mine.has(x.key.toLowerCase()))) stale.add(c.fileId);
  }
  return stale;
}

/**
 * Applies the proposals, and the copies planned with them, as one batch in one transaction: exactly the
 * files given, none looked up again. A file whose tags changed since its proposal is left out with its
 * copies; a copy whose plan no longer holds is left out alone. Returns the batch, how many files it
 * wrote, and those left out. Covers are a later step (addReleaseCovers), so no image server holds the
 * tags back.
 */
export function applyProposals(
  db: Db,
  proposals: readonly Chosen[],
  label: BatchLabel,
): { batch: number | undefined; applied: number; stale: number[] } {
  const copies = proposals.flatMap((p) => p.copies ?? []);
  const wrong = copies.flatMap((c) => c.changes).find((c) => !isRecordingField(c.key));
  if (wrong)
    throw new EditError(
      `track ${wrong.fileId} is planned as a copy with ${wrong.key}, which is not the recording's own field: a copy gets only those`,
    );
  return writeTransaction(db, () => {
    const stale = changedSince(
      db,
      proposals.flatMap((p) => p.changes),
    );
    const fresh = proposals.filter((p) => !stale.has(p.fileId));
    const freshCopies = fresh.flatMap((p) => p.copies ?? []);
    for (const id of staleCopies(db, freshCopies)) stale.add(id);
    const kept = [
      ...fresh.flatMap((p) => p.changes),
      ...freshCopies.filter((c) => !stale.has(c.fileId)).flatMap((c) => c.changes),
    ].filter((c) => !sameValues(c.before, c.after)); // the user's credits kept as they are
    const applied = new Set(kept.map((c) => c.fileId)).size;
    return { batch: applyEdit(db, kept, label), applied, stale: [...stale] };
  });
}

export interface CoverStep {
  readonly coverart: CoverArtOptions;
  /** The identification's signal: a cancel stops the covers still being fetched. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * The front covers of the applied proposals' releases (`applied`: what applyProposals returned), fetched
 * several at once, set on their files that still have no front cover and added to the identification's
 * own batch. `problems` names the releases whose cover could not be had, a cancel, and a batch undone
 * meanwhile (nothing added then).
 */
export async function addReleaseCovers(
  db: Db,
  proposals: readonly Chosen[],
  applied: { readonly batch: number | undefined; readonly stale: readonly number[] },
  step: CoverStep,
): Promise<{ files: number; problems: string[] }> {
  const { batch } = applied;
  if (batch === undefined) return { files: 0, problems: [] }; // nothing applied, nothing to cover
  const stale = new Set(applied.stale);
  const fresh = proposals.filter((p) => !stale.has(p.fileId));
  const { covers, problems } = await frontCovers(
    step.coverart,
    coversWanted(db, fresh),
    step.signal,
    step.onProgress,
  );
  if (covers.size === 0) return { files: 0, problems };
  const files = addArtToBatch(db, batch, () => coverPlan(db, fresh, covers));
  if (files === undefined)
    problems.push(`the covers were not added: edit batch ${batch} was undone meanwhile`);
  return { files: files ?? 0, problems };
}
