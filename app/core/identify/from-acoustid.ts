// Identification by sound, online: each file's stored fingerprint looked up in AcoustID (batched, cached:
// acoustid.ts), and the recording it names proposed — title, artists, their MusicBrainz ids, the recording
// id and the AcoustID. Strong only when the best result scores at least 0.9 and names one recording, no
// other result of 0.9 or more names another, the recording's length is known and agrees with the file's,
// and the proposal only fills empty fields; anything else is left for review with the reason. The release
// (album, track numbers, dates) is matched by album from the same answers: from-releases.ts.
import type { Db } from '../db/database.ts';
import { toFingerprintString } from '../fingerprint/fingerprint-codec.ts';
import { storedFingerprints } from '../fingerprint/fingerprint-store.ts';
import { fieldChanges } from '../library/field-diff.ts';
import { tagsFor } from '../library/list.ts';
import type { AcoustIdClient, AcoustIdResult } from './acoustid.ts';
import type { Proposal } from './from-copies.ts';

/** AcoustID's score from which a match is taken as the recording. */
export const STRONG_SCORE = 0.9;
/** Below this the service's answer is noise: not proposed at all. */
const MIN_SCORE = 0.5;
/** Seconds a recording's length may differ from the file's (AcoustID's own lookups allow 7). */
const LENGTH_SLACK_S = 7;

export interface AcoustIdProposal extends Proposal {
  readonly acoustid: string;
  readonly score: number;
  readonly recordingId: string;
}

type Recording = NonNullable<AcoustIdResult['recordings']>[number];

/** The recording's fields as Picard names them. */
function recordingFields(r: Recording, acoustid: string): Record<string, string[]> {
  const artists = r.artists ?? [];
  const credit = artists
    .map((a, i) => `${a.name}${i < artists.length - 1 ? (a.joinphrase ?? ' & ') : ''}`)
    .join('');
  const fields: Record<string, string[]> = {
    title: r.title ? [r.title] : [],
    artist: credit ? [credit] : [],
    artists: artists.map((a) => a.name),
    musicbrainz_artistid: artists.map((a) => a.id),
    musicbrainz_recordingid: [r.id],
    acoustid_id: [acoustid],
  };
  return fields;
}

/** AcoustID's answers for files, by file id. */
export interface FileAnswers {
  readonly answers: ReadonlyMap<number, AcoustIdResult[]>;
  /** Each asked file's length in seconds. */
  readonly durations: ReadonlyMap<number, number>;
  /** Files with no usable fingerprint (not yet fingerprinted, silent, too short, unreadable). */
  readonly unfingerprinted: number[];
}

/** Asks AcoustID about the files' stored fingerprints (batched and cached by the client). */
export async function lookupFiles(
  db: Db,
  client: AcoustIdClient,
  ids: readonly number[],
  onProgress?: (done: number, total: number) => void,
): Promise<FileAnswers> {
  const stored = storedFingerprints(db, ids);
  const usable = stored.filter((f) => f.data !== null && f.status === 'ok' && f.duration !== null);
  const answers = await client.lookup(
    usable.map((f) => ({ fingerprint: toFingerprintString(f.data!), duration: Math.round(f.duration!) })),
    onProgress,
  );
  const answered = new Set(usable.map((f) => f.id));
  return {
    answers: new Map(usable.map((f, i) => [f.id, answers[i] ?? []])),
    durations: new Map(usable.map((f) => [f.id, f.duration!])),
    unfingerprinted: stored.filter((f) => !answered.has(f.id)).map((f) => f.id),
  };
}

/** The results worth a proposal (above the minimum score, naming a recording), best first. */
export const usableResults = (results: readonly AcoustIdResult[]) =>
  results
    .filter((r) => r.score >= MIN_SCORE && (r.recordings ?? []).length > 0)
    .sort((a, b) => b.score - a.score);

/** A recording proposal for each file AcoustID knows, of `ids`. */
export function proposalsFromAcoustId(
  db: Db,
  found: FileAnswers,
  ids: readonly number[],
): { proposals: AcoustIdProposal[]; unknown: number[] } {
  const asked = ids.filter((id) => found.answers.has(id));
  const tags = tagsFor(db, asked);
  const proposals: AcoustIdProposal[] = [];
  const unknown: number[] = [];
  for (const id of asked) {
    const file = { id, duration: found.durations.get(id)! };
    const results = usableResults(found.answers.get(id)!);
    const best = results[0];
    if (!best) {
      unknown.push(file.id);
      continue;
    }
    // Recordings named by the best result, and by any other result scoring 0.9 or more: more than one is
    // a choice the user makes.
    const recordings = [
      ...new Map(
        results
          .filter((r) => r === best || r.score >= STRONG_SCORE)
          .flatMap((r) => r.recordings ?? [])
          .map((r) => [r.id, r]),
      ).values(),
    ];
    const recording = (best.recordings ?? [])[0]!;
    const mine = tags.get(file.id) ?? {};
    const reasons: string[] = [];
    if (best.score < STRONG_SCORE)
      reasons.push(`AcoustID's score is ${best.score.toFixed(2)} (strong from ${STRONG_SCORE})`);
    if (recordings.length > 1) reasons.push(`AcoustID names ${recordings.length} recordings for this sound`);
    if (recording.duration === undefined) reasons.push("the recording's length is unknown");
    else if (Math.abs(recording.duration - file.duration) > LENGTH_SLACK_S)
      reasons.push(
        `the recording is ${Math.round(recording.duration)} s long, the file ${Math.round(file.duration)} s`,
      );
    const { changes, replaces } = fieldChanges(file.id, mine, recordingFields(recording, best.id));
    if (changes.length === 0) continue;
    if (replaces > 0) reasons.push(`replaces ${replaces} value(s) the file has`);
    proposals.push({
      fileId: file.id,
      acoustid: best.id,
      score: best.score,
      recordingId: recording.id,
      strength: reasons.length === 0 ? 'strong' : 'review',
      reasons,
      changes,
    });
  }
  return { proposals, unknown };
}
