// How well a cluster of files (an album's folder) is one MusicBrainz release: each file's distance to each
// of the release's tracks (its AcoustID recordings, length, title, position, artist: what is known of it),
// files assigned to tracks by an optimal assignment (Munkres), and the release's distance from the pairs,
// the files no track takes, the tracks no file takes, and the album's title, artist and year. A score of 1
// is a perfect match; the evidence says in words what decided it.
import { distance as editDistance } from 'fastest-levenshtein';
import { munkres } from 'munkres';
import { creditText, type MbRelease } from './musicbrainz.ts';

/** What a file says about which track it is (any part may be unknown). */
export interface ClusterFile {
  readonly id: number;
  /** Seconds. */
  readonly duration: number | null;
  readonly title?: string;
  readonly artist?: string;
  readonly disc?: number;
  readonly track?: number;
  /** MusicBrainz recordings AcoustID (or the file's own tags) says this sound is. */
  readonly recordings: ReadonlySet<string>;
}

/** What the cluster's tags say about its album, where they agree. */
export interface ClusterFacts {
  readonly album?: string;
  readonly artist?: string;
  readonly year?: number;
  /** The files name several artists and no album artist: a compilation. */
  readonly various: boolean;
}

type MbTrack = MbRelease['media'][number]['tracks'][number];

export interface ReleaseTrack {
  readonly disc: number;
  readonly discs: number;
  readonly mediumTracks: number;
  readonly mediumTitle?: string;
  readonly format?: string;
  readonly track: MbTrack;
}

export interface Pair {
  readonly fileId: number;
  readonly track: ReleaseTrack;
  readonly cost: number;
}

export interface ReleaseMatch {
  readonly release: MbRelease;
  /** 1 − the release's distance: 1 is a perfect match. */
  readonly score: number;
  readonly pairs: readonly Pair[];
  /** Files no track takes. */
  readonly extra: readonly number[];
  /** Tracks on the media the files are from that no file takes. */
  readonly missing: number;
  /** Pairs whose file's AcoustID recordings include the track's. */
  readonly byRecording: number;
  /** Pairs whose titles agree. */
  readonly byTitle: number;
  readonly evidence: readonly string[];
}

/** MusicBrainz's "Various Artists". */
const VARIOUS_ARTISTS = '89ad4ac3-39f7-470e-963a-56509c546377';
/** A pair costlier than this is no pair: the file is extra and the track missing. */
const MAX_PAIR_COST = 0.5;
/** Seconds of length difference that cost nothing (encoders' padding, a fade), and the span over which
 *  the cost then grows to its full weight. */
const LENGTH_GRACE_S = 2;
const LENGTH_SPAN_S = 18;

/** Lower case, without accents, punctuation, a leading article or a disc mark, spaces collapsed. */
export function normalizeName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[([]\s*(?:cd|dis[ck])\s*\d+\s*[)\]]/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '');
}

type Normalize = (s: string) => string;

/** normalizeName, each name worked out once (a match compares every file with every track). */
function memoized(): Normalize {
  const known = new Map<string, string>();
  return (s) => {
    let n = known.get(s);
    if (n === undefined) {
      n = normalizeName(s);
      known.set(s, n);
    }
    return n;
  };
}

/** 0 for the same name, 1 for nothing in common. */
export function nameDistance(a: string, b: string, normalize: Normalize = normalizeName): number {
  const x = normalize(a);
  const y = normalize(b);
  if (x === y) return 0;
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 1 : editDistance(x, y) / longest;
}

/** A sum of weighted distances over what is known, divided by the weights: 0 (same) to 1. */
function weighted(parts: ReadonlyArray<readonly [weight: number, distance: number]>): number {
  const weight = parts.reduce((s, [w]) => s + w, 0);
  return weight === 0 ? 1 : parts.reduce((s, [w, d]) => s + w * d, 0) / weight;
}

const lengthDistance = (seconds: number, ms: number) =>
  Math.min(1, Math.max(0, Math.abs(seconds - ms / 1000) - LENGTH_GRACE_S) / LENGTH_SPAN_S);

/** How far a file is from being a track: 0 to 1. */
function trackCost(file: ClusterFile, t: ReleaseTrack, normalize: Normalize = normalizeName): number {
  const parts: Array<[number, number]> = [];
  if (file.recordings.size > 0) parts.push([4, file.recordings.has(t.track.recording.id) ? 0 : 1]);
  const length = t.track.length ?? t.track.recording.length;
  if (file.duration !== null && length != null) parts.push([2, lengthDistance(file.duration, length)]);
  if (file.title) parts.push([3, nameDistance(file.title, t.track.title, normalize)]);
  if (file.track !== undefined)
    parts.push([
      1,
      file.track === t.track.position && (file.disc === undefined || file.disc === t.disc) ? 0 : 1,
    ]);
  const credit = t.track['artist-credit'];
  if (file.artist && credit?.length)
    parts.push([1, nameDistance(file.artist, creditText(credit), normalize)]);
  return weighted(parts);
}

function releaseTracks(release: MbRelease): ReleaseTrack[] {
  return release.media.flatMap((m) =>
    m.tracks.map((track) => ({
      disc: m.position,
      discs: release.media.length,
      mediumTracks: m['track-count'],
      mediumTitle: m.title || undefined,
      format: m.format,
      track,
    })),
  );
}

export const isVarious = (release: MbRelease) =>
  release['artist-credit'].some((c) => c.artist.id === VARIOUS_ARTISTS);

/** How well `files` (with the cluster's `facts`) are `release`. */
export function matchRelease(
  files: readonly ClusterFile[],
  facts: ClusterFacts,
  release: MbRelease,
): ReleaseMatch {
  const tracks = releaseTracks(release);
  const normalize = memoized();
  const costs = files.map((f) => tracks.map((t) => trackCost(f, t, normalize)));
  const assigned = files.length > 0 && tracks.length > 0 ? munkres(costs) : [];
  const pairs: Pair[] = [];
  for (const [row, col] of assigned) {
    const cost = costs[row]![col]!;
    if (cost <= MAX_PAIR_COST) pairs.push({ fileId: files[row]!.id, track: tracks[col]!, cost });
  }
  const paired = new Set(pairs.map((p) => p.fileId));
  const extra = files.filter((f) => !paired.has(f.id)).map((f) => f.id);
  // A folder holding one disc of a set is not missing the other discs: count only the media it touches.
  const discs = new Set(pairs.map((p) => p.track.disc));
  const onTheseDiscs = tracks.filter((t) => discs.has(t.disc)).length;
  const missing = onTheseDiscs - pairs.length;
  const byId = new Map(files.map((f) => [f.id, f]));
  const byRecording = pairs.filter((p) =>
    byId.get(p.fileId)!.recordings.has(p.track.track.recording.id),
  ).length;
  const byTitle = pairs.filter((p) => {
    const title = byId.get(p.fileId)!.title;
    return title !== undefined && nameDistance(title, p.track.track.title, normalize) < 0.2;
  }).length;

  const parts: Array<[number, number]> = [
    [4, pairs.length > 0 ? pairs.reduce((s, p) => s + p.cost, 0) / pairs.length : 1],
    [2, files.length > 0 ? extra.length / files.length : 1],
    [2, onTheseDiscs > 0 ? missing / onTheseDiscs : 1],
    [0.3, release.media.length > 0 ? (release.media.length - discs.size) / release.media.length : 0],
  ];
  if (facts.album) parts.push([2, nameDistance(facts.album, release.title)]);
  const various = isVarious(release);
  if (facts.artist) parts.push([2, nameDistance(facts.artist, creditText(release['artist-credit']))]);
  else if (facts.various) parts.push([2, various ? 0 : 0.5]);
  const year = Number(release.date?.slice(0, 4));
  if (facts.year !== undefined && year > 0) parts.push([0.5, Math.min(1, Math.abs(facts.year - year) / 5)]);
  const score = 1 - weighted(parts);

  const evidence = [`${pairs.length} of ${files.length} file(s) are tracks on it`];
  if (byRecording > 0) evidence.push(`${byRecording} by their AcoustID recording`);
  if (byTitle > 0) evidence.push(`${byTitle} by title`);
  const lengths = pairs.flatMap((p) => {
    const length = p.track.track.length ?? p.track.track.recording.length;
    const d = byId.get(p.fileId)!.duration;
    return length != null && d !== null ? [Math.abs(d - length / 1000)] : [];
  });
  if (lengths.length > 0)
    evidence.push(
      `lengths within ${Math.max(...lengths).toFixed(1)} s (mean ${(lengths.reduce((s, x) => s + x, 0) / lengths.length).toFixed(1)} s)`,
    );
  if (missing > 0) evidence.push(`${missing} track(s) on the release without a file`);
  if (extra.length > 0) evidence.push(`${extra.length} file(s) match no track`);
  if (discs.size < release.media.length)
    evidence.push(`disc ${[...discs].sort().join(', ')} of ${release.media.length}`);
  return { release, score, pairs, extra, missing, byRecording, byTitle, evidence };
}
