// A file whose audio ends as a lossy encoder's does: lossless (or a lossy file of a high bitrate) yet its
// audio's edge clear of the noise floor is below 20.5 kHz, with a cliff there (bandwidth-meter.ts). Encoders low-pass what they keep — LAME
// at 128 kbps near 16.5 kHz, AAC 128 near 17, Vorbis at 112 near 18.5, MP3 at 192 near 19.5, at 320 near
// 20.5 — and decoded, the audio above falls 20–60 dB within half a kHz (Vorbis the least steeply). A real recording reaches 21 kHz and more (its
// converter's own filter sits there), and where its music thins out earlier it slopes by a few dB per
// band. So such a file is, most likely, the decode of a lossy one, even with no lossy copy beside it: what
// people call a fake FLAC.
import type { Db } from '../db/database.ts';

/** Audio stopping at or below this (Hz) may be a lossy encoder's low-pass; above it, a recording's own
 *  converter's filter. */
export const CUT_BELOW_HZ = 20_500;
/** A fall of at least this (dB, between the three bands up to the top and three just past it, about
 *  700 Hz apart): a lossy encoder's falls 22 dB and more; music thinning out, a tape's roll-off, a few. */
export const CLIFF_DB = 18;
/** A lossy file of this bitrate or more (bits/s) whose audio stops at or below CUT_HIGH_RATE_HZ was made
 *  from a lesser encode: its own encoder keeps 20 kHz and more. */
const HIGH_RATE = 256_000;
const CUT_HIGH_RATE_HZ = 19_000;

/** Whether a cut would be said of file `f` (files) at all: lossless, or lossy of a high bitrate. */
export const mayShowCut = (f: string) =>
  `(coalesce(${f}.lossless, 0) = 1 OR coalesce(${f}.bitrate, 0) >= ${HIGH_RATE})`;

/** Where file `f`'s audio stops (Hz), when it stops as a lossy encode's does; else NULL. */
export const lossyCutSql = (f: string) =>
  `(SELECT lc.edge FROM loudness lc WHERE lc.file_id = ${f}.id AND lc.status = 'ok'
     AND lc.cliff >= ${CLIFF_DB} AND lc.edge <= ${CUT_BELOW_HZ}
     AND (coalesce(${f}.lossless, 0) = 1
       OR (coalesce(${f}.bitrate, 0) >= ${HIGH_RATE} AND lc.edge <= ${CUT_HIGH_RATE_HZ})))`;

/** Where file `id`'s audio stops (Hz) when it stops as a lossy encode's does; else null. */
export function lossyCutOf(db: Db, id: number): number | null {
  return (db
    .prepare(`SELECT ${lossyCutSql('f')} FROM files f WHERE f.id = ?`)
    .pluck()
    .get(id) ?? null) as number | null;
}
