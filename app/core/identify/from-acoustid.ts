// Identification by sound, online: each file's stored fingerprint looked up in AcoustID (batched, cached:
// acoustid.ts), and the recording it names proposed — title, artists, their MusicBrainz ids, the recording
// id and the AcoustID. Strong only when the best result scores at least 0.9 and names one recording, no
// other result of 0.9 or more names another, the recording's length is known and agrees with the file's,
// and the proposal only fills empty fields; anything else is left for review with the reason. (The release — album, track numbers, dates — needs MusicBrainz and matching by album: not here.)
import type { Db } from '../db/database.ts';
import { toFingerprintString } from '../fingerprint/fingerprint-codec.ts';
import { storedFingerprints } from '../fingerprint/fingerprint-store.ts';
import type { PlannedChange } from '../library/edits.ts';
import { tagsFor } from '../library/list.ts';
import type { AcoustIdClient, AcoustIdResult } from './acoustid.ts';
import type { Strength } from './from-copies.ts';

/** AcoustID's score from which a match is taken as the recording. */
export const STRONG_SCORE = 0.9;
/** Below this the service's answer is noise: not proposed at all. */
const MIN_SCORE = 0.5;
/** Seconds a recording's length may differ from the file's (AcoustID's own lookups allow 7). */
const LENGTH_SLACK_S = 7;

export interface AcoustIdProposal {
  readonly fileId: number;
  readonly acoustid: string;
  readonly score: number;
  readonly recordingId: string;
  readonly strength: Strength;
  readonly reasons: readonly string[];
  readonly changes: readonly PlannedChange[];
}

export interface AcoustIdOutcome {
  readonly proposals: AcoustIdProposal[];
  /** Files AcoustID does not know (or only below the minimum score). */
  readonly unknown: number[];
  /** Files with no usable fingerprint (not yet fingerprinted, silent, too short, unreadable). */
  readonly unfingerprinted: number[];
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

export async function proposalsFromAcoustId(
  db: Db,
  client: AcoustIdClient,
  ids: readonly number[],
  onProgress?: (done: number, total: number) => void,
): Promise<AcoustIdOutcome> {
  const stored = storedFingerprints(db, ids);
  const usable = stored.filter((f) => f.data !== null && f.status === 'ok' && f.duration !== null);
  const unfingerprinted = stored.filter((f) => !usable.includes(f)).map((f) => f.id);
  const answers = await client.lookup(
    usable.map((f) => ({ fingerprint: toFingerprintString(f.data!), duration: Math.round(f.duration!) })),
    onProgress,
  );
  const tags = tagsFor(
    db,
    usable.map((f) => f.id),
  );
  const proposals: AcoustIdProposal[] = [];
  const unknown: number[] = [];
  usable.forEach((file, i) => {
    const results = (answers[i] ?? []).filter((r) => r.score >= MIN_SCORE && (r.recordings ?? []).length > 0);
    const best = results.sort((a, b) => b.score - a.score)[0];
    if (!best) {
      unknown.push(file.id);
      return;
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
    else if (Math.abs(recording.duration - file.duration!) > LENGTH_SLACK_S)
      reasons.push(
        `the recording is ${Math.round(recording.duration)} s long, the file ${Math.round(file.duration!)} s`,
      );
    const changes: PlannedChange[] = [];
    let replaces = 0;
    for (const [key, after] of Object.entries(recordingFields(recording, best.id))) {
      const before = mine[key] ?? [];
      if (after.length === 0 || (before.length === after.length && before.every((v, k) => v === after[k])))
        continue;
      if (before.some((v) => v.trim() !== '')) replaces++;
      changes.push({ fileId: file.id, key, before, after });
    }
    if (changes.length === 0) return;
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
  });
  return { proposals, unknown, unfingerprinted };
}
