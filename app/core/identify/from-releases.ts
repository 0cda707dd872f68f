// Identification by album: each cluster of files (clusters.ts) is matched against the MusicBrainz releases
// it may be — those its AcoustID recordings appear on and its own tags name, or, when there are none, a
// search by its album and artist tags — and the best match proposes every field of a release track to the
// file assigned to it (Picard's tag names). A match is strong only when it scores high, clearly above the
// runner-up, every file has a track and every track on the files' discs a file, and something beyond
// lengths (recordings or titles) agrees; otherwise it is for review, with the reasons. The user may choose
// another candidate (by cluster key): its match is proposed instead.
import type { Db } from '../db/database.ts';
import { fieldChanges } from '../library/field-diff.ts';
import { tagsFor } from '../library/list.ts';
import type { AcoustIdResult } from './acoustid.ts';
import { type Cluster, clusterFiles } from './clusters.ts';
import { releaseCredits } from './credits.ts';
import { usableResults } from './from-acoustid.ts';
import type { Proposal, Strength } from './from-copies.ts';
import {
  creditText,
  MBID,
  type MbArtistCredit,
  type MbRelease,
  type MusicBrainzClient,
} from './musicbrainz.ts';
import { isVarious, matchRelease, type Pair, type ReleaseMatch } from './release-match.ts';
import { throwIfCancelled } from './web-request.ts';

/** Releases looked up per cluster: the most likely few (each is a request at one a second, once). */
const MAX_CANDIDATES = 3;
/** A release match's score from which it may be strong, and the lead it needs over the runner-up. */
const STRONG_RELEASE_SCORE = 0.85;
const MIN_MARGIN = 0.05;
/** More files than any album has (a flat folder of untagged downloads): not matched as one album. */
const MAX_ALBUM_FILES = 200;
/** A release must take at least this share of a cluster's files for the cluster to be that album (the
 *  rest of a folder of singles from many albums keep their own proposals). */
const MIN_SHARE = 0.5;
/** Tracks a candidate may have beyond four times the cluster's files. */
const MAX_RELEASE_TRACKS = 100;
/** A search hit's score (0–100) below which it is not looked up. */
const MIN_SEARCH_SCORE = 60;

interface ReleaseCandidate {
  readonly id: string;
  readonly title: string;
  readonly artist: string;
  readonly date?: string;
  readonly country?: string;
  readonly format?: string;
  readonly tracks: number;
  readonly score: number;
  readonly evidence: string[];
}

export interface ClusterMatch {
  readonly key: string;
  readonly dir: string;
  readonly album?: string;
  readonly fileIds: number[];
  /** Best first; empty when no release was found. */
  readonly candidates: ReleaseCandidate[];
  /** The release proposed: the best, or the one the user chose. */
  readonly releaseId?: string;
  /** The proposed release's lead over the best other candidate (1 when it has none). */
  readonly margin?: number;
  readonly strength: Strength;
  readonly reasons: string[];
  /** Files no track of the proposed release takes. */
  readonly extra: number[];
  readonly missing: number;
}

export interface ReleaseProposal extends Proposal {
  readonly cluster: string;
  readonly releaseId: string;
  readonly score: number;
}

const names = (credit: MbArtistCredit) => credit.map((c) => c.name);
const sortCredit = (credit: MbArtistCredit) =>
  credit.map((c) => `${c.artist['sort-name'] ?? c.name}${c.joinphrase ?? ''}`).join('');
const one = (v: string | undefined | null): string[] => (v ? [v] : []);
const unique = (vs: readonly (string | undefined | null)[]) => [
  ...new Set(vs.filter((v): v is string => !!v)),
];

/** A release track's fields as Picard writes them, its credits (credits.ts) among them. */
function trackFields(
  release: MbRelease,
  pair: Pair,
  acoustid: string | undefined,
  credits: Readonly<Record<string, string[]>>,
): Record<string, string[]> {
  const { track, disc, discs, mediumTracks, mediumTitle, format } = pair.track;
  const credit = track['artist-credit']?.length ? track['artist-credit'] : release['artist-credit'];
  const group = release['release-group'];
  const original = group?.['first-release-date'];
  return {
    title: [track.title],
    artist: one(creditText(credit)),
    artists: names(credit),
    artistsort: one(sortCredit(credit)),
    musicbrainz_artistid: unique(credit.map((c) => c.artist.id)),
    musicbrainz_recordingid: [track.recording.id],
    musicbrainz_trackid: [track.id],
    album: [release.title],
    albumartist: one(creditText(release['artist-credit'])),
    albumartistsort: one(sortCredit(release['artist-credit'])),
    musicbrainz_albumartistid: unique(release['artist-credit'].map((c) => c.artist.id)),
    musicbrainz_albumid: [release.id],
    musicbrainz_releasegroupid: one(group?.id),
    tracknumber: [String(track.position)],
    totaltracks: [String(mediumTracks)],
    discnumber: [String(disc)],
    totaldiscs: [String(discs)],
    discsubtitle: one(mediumTitle),
    media: one(format),
    date: one(release.date),
    originaldate: one(original),
    originalyear: one(original?.slice(0, 4)),
    releasetype: [...one(group?.['primary-type']), ...(group?.['secondary-types'] ?? [])].map((t) =>
      t.toLowerCase(),
    ),
    releasestatus: one(release.status?.toLowerCase()),
    releasecountry: one(release.country),
    label: unique(release['label-info'].map((l) => l.label?.name)),
    catalognumber: unique(release['label-info'].map((l) => l['catalog-number'])),
    barcode: one(release.barcode),
    compilation: isVarious(release) ? ['1'] : [],
    ...credits,
    acoustid_id: one(acoustid),
  };
}

function candidateOf(m: ReleaseMatch): ReleaseCandidate {
  const r = m.release;
  return {
    id: r.id,
    title: r.title,
    artist: creditText(r['artist-credit']),
    date: r.date,
    country: r.country,
    format: unique(r.media.map((x) => x.format)).join(' + ') || undefined,
    tracks: r.media.reduce((s, x) => s + x['track-count'], 0),
    score: m.score,
    evidence: [...m.evidence],
  };
}

/** The releases AcoustID's results for a file name (those worth a proposal), with their track counts. */
function releasesIn(results: readonly AcoustIdResult[]): Map<string, number | undefined> {
  const out = new Map<string, number | undefined>();
  for (const r of usableResults(results))
    for (const rec of r.recordings ?? [])
      for (const g of rec.releasegroups ?? [])
        for (const rel of g.releases ?? []) out.set(rel.id, rel.track_count);
  return out;
}

/** The releases a cluster may be: voted for by its files' own album ids (twice each) and the releases
 *  AcoustID places their sound on (once), the likeliest first; else those a search by its album tags finds. */
async function candidateIds(
  mb: MusicBrainzClient,
  cluster: Cluster,
  answers: ReadonlyMap<number, AcoustIdResult[]>,
): Promise<string[]> {
  // Votes: each file's own album id counts twice, each release AcoustID places a file's sound on once.
  const votes = new Map<string, { votes: number; tracks?: number }>();
  const vote = (id: string, n: number, tracks?: number) => {
    const v = votes.get(id) ?? { votes: 0, tracks };
    votes.set(id, { votes: v.votes + n, tracks: v.tracks ?? tracks });
  };
  for (const [id, files] of cluster.albumIds) vote(id, 2 * files);
  for (const f of cluster.files)
    for (const [id, tracks] of releasesIn(answers.get(f.id) ?? [])) vote(id, 1, tracks);
  const size = cluster.files.length;
  const ids = [...votes]
    .filter(([id]) => MBID.test(id))
    .sort(
      ([a, x], [b, y]) =>
        y.votes - x.votes ||
        Math.abs((x.tracks ?? size) - size) - Math.abs((y.tracks ?? size) - size) ||
        a.localeCompare(b),
    )
    .slice(0, MAX_CANDIDATES)
    .map(([id]) => id);
  if (ids.length > 0 || !cluster.facts.album) return ids;
  return (await mb.searchReleases(cluster.facts.album, cluster.facts.artist))
    .filter((h) => h.score >= MIN_SEARCH_SCORE)
    .slice(0, MAX_CANDIDATES)
    .map((h) => h.id);
}

/** Each candidate fetched and matched against the cluster's files, the best first, and the release the
 *  user chose as MusicBrainz answers it (a merged-away id becomes its survivor). */
async function releaseMatches(
  mb: MusicBrainzClient,
  cluster: Cluster,
  ids: readonly string[],
  asked: string | undefined,
): Promise<{ matches: ReleaseMatch[]; picked: string | undefined }> {
  // By the id MusicBrainz answers with: a merged-away id and its survivor are one candidate.
  const byId = new Map<string, ReleaseMatch>();
  let picked: string | undefined;
  for (const id of ids) {
    const release = await mb.release(id);
    if (!release) continue;
    if (id === asked) picked = release.id;
    const tracks = release.media.reduce((s, m) => s + m.tracks.length, 0);
    // A box set far larger than the folder is not its album (and would cost files × tracks to score).
    if (id !== asked && tracks > Math.max(MAX_RELEASE_TRACKS, 4 * cluster.files.length)) continue;
    if (!byId.has(release.id)) byId.set(release.id, matchRelease(cluster.files, cluster.facts, release));
  }
  const matches = [...byId.values()].sort(
    (a, b) => b.score - a.score || a.release.id.localeCompare(b.release.id),
  );
  return { matches, picked };
}

/** Why a release match is one to review (none: strong). */
function matchReasons(match: ReleaseMatch, runnerUp: ReleaseMatch | undefined, margin: number): string[] {
  const reasons: string[] = [];
  if (match.score < STRONG_RELEASE_SCORE)
    reasons.push(`the release matches with ${match.score.toFixed(2)} (strong from ${STRONG_RELEASE_SCORE})`);
  if (runnerUp && margin < 0)
    reasons.push(
      `chosen over "${runnerUp.release.title}" (${runnerUp.release.id}), which matches better (${runnerUp.score.toFixed(2)})`,
    );
  else if (runnerUp && margin < MIN_MARGIN)
    reasons.push(
      `another release, "${runnerUp.release.title}" (${runnerUp.release.id}), matches within ${margin.toFixed(2)}`,
    );
  if (match.extra.length > 0) reasons.push(`${match.extra.length} file(s) match no track on the release`);
  if (match.missing > 0) reasons.push(`the release has ${match.missing} track(s) no file matches`);
  if (match.byRecording + match.byTitle === 0) reasons.push('matched by track lengths alone');
  return reasons;
}

/**
 * Each matched file's proposal: its track's fields on the release, with the credits and the AcoustID
 * that matched it; a file that has them all already is confirmed instead.
 */
function trackProposals(
  match: ReleaseMatch,
  cluster: string,
  reasons: readonly string[],
  answers: ReadonlyMap<number, AcoustIdResult[]>,
  tags: ReturnType<typeof tagsFor>,
): { proposals: ReleaseProposal[]; confirmed: number[]; warnings: readonly string[] } {
  const credits = releaseCredits(match.release, new Set(match.pairs.map((p) => p.track.track.id)));
  const proposals: ReleaseProposal[] = [];
  const confirmed: number[] = [];
  for (const pair of match.pairs) {
    const acoustid = (answers.get(pair.fileId) ?? []).find((r) =>
      (r.recordings ?? []).some((x) => x.id === pair.track.track.recording.id),
    )?.id;
    const { changes, replaces } = fieldChanges(
      pair.fileId,
      tags.get(pair.fileId) ?? {},
      trackFields(match.release, pair, acoustid, credits.credits.get(pair.track.track.id) ?? {}),
    );
    if (changes.length === 0) {
      confirmed.push(pair.fileId);
      continue;
    }
    const mine = replaces > 0 ? [`replaces ${replaces} value(s) the file has`] : [];
    proposals.push({
      fileId: pair.fileId,
      cluster,
      releaseId: match.release.id,
      score: match.score,
      strength: reasons.length + mine.length === 0 ? 'strong' : 'review',
      reasons: [...reasons, ...mine],
      changes,
    });
  }
  return { proposals, confirmed, warnings: [...credits.warnings] };
}

/**
 * Album proposals for the files `ids`. `answers`: AcoustID's results by file (empty when it was not asked);
 * `chosen`: a release the user picked, by cluster key (or one for every cluster).
 */
export async function proposalsFromReleases(
  db: Db,
  mb: MusicBrainzClient,
  ids: readonly number[],
  answers: ReadonlyMap<number, AcoustIdResult[]>,
  chosen: ReadonlyMap<string, string> | string = new Map(),
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<{ clusters: ClusterMatch[]; proposals: ReleaseProposal[]; confirmed: number[] }> {
  const recordingsOf = (id: number) =>
    usableResults(answers.get(id) ?? []).flatMap((r) => (r.recordings ?? []).map((x) => x.id));
  const clusters = clusterFiles(db, ids, recordingsOf);
  const tags = tagsFor(
    db,
    clusters.flatMap((c) => c.files.map((f) => f.id)),
  );
  const out: ClusterMatch[] = [];
  const proposals: ReleaseProposal[] = [];
  /** Files already tagged as their track on the proposed release. */
  const confirmed: number[] = [];
  onProgress?.(0, clusters.length);
  for (const [done, cluster] of clusters.entries()) {
    throwIfCancelled(signal);
    const base = {
      key: cluster.key,
      dir: cluster.dir,
      album: cluster.facts.album,
      fileIds: cluster.files.map((f) => f.id),
    };
    const unmatched = (reason: string, candidates: ReleaseCandidate[] = []) => {
      out.push({
        ...base,
        candidates,
        strength: 'review',
        reasons: [reason],
        extra: base.fileIds,
        missing: 0,
      });
      onProgress?.(done + 1, clusters.length);
    };
    if (cluster.files.length > MAX_ALBUM_FILES) {
      unmatched(
        `${cluster.files.length} files in one folder${cluster.facts.album ? '' : ' without album tags'} are more than an album holds: not matched (sort them into a folder per album)`,
      );
      continue;
    }
    const ids = await candidateIds(mb, cluster, answers);
    const asked = typeof chosen === 'string' ? chosen : chosen.get(cluster.key);
    if (asked && !ids.includes(asked)) ids.push(asked);
    const { matches, picked } = await releaseMatches(mb, cluster, ids, asked);
    if (asked && !picked) {
      unmatched(`the chosen release ${asked} is not in MusicBrainz`, matches.map(candidateOf));
      continue;
    }
    const match = matches.find((m) => m.release.id === picked) ?? matches[0];
    const candidates = matches.map(candidateOf);
    if (!match || match.pairs.length === 0) {
      unmatched(
        matches.length ? 'no candidate release has these tracks' : 'no candidate release found',
        candidates,
      );
      continue;
    }
    if (match.release.id !== picked && match.pairs.length < MIN_SHARE * cluster.files.length) {
      unmatched(
        `only ${match.pairs.length} of the ${cluster.files.length} files are tracks on the best release: they are not one album (each keeps its own proposal)`,
        candidates,
      );
      continue;
    }
    onProgress?.(done + 1, clusters.length);
    const runnerUp = matches.find((m) => m !== match);
    const margin = runnerUp ? match.score - runnerUp.score : 1;
    const reasons = matchReasons(match, runnerUp, margin);
    out.push({
      ...base,
      candidates,
      releaseId: match.release.id,
      margin,
      strength: reasons.length === 0 ? 'strong' : 'review',
      reasons,
      extra: [...match.extra],
      missing: match.missing,
    });
    const tracks = trackProposals(match, cluster.key, reasons, answers, tags);
    for (const w of tracks.warnings) mb.warnings.add(w);
    proposals.push(...tracks.proposals);
    confirmed.push(...tracks.confirmed);
  }
  return { clusters: out, proposals, confirmed };
}
