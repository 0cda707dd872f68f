// How the copies of one recording rank, best first: declared once here, as SQL over recording_members m
// and files f. The ORDER BY that picks each recording's kept copy (duplicates.ts) is generated from TIERS,
// and the words saying why a copy is kept name the first tier that tells two copies apart, so the order
// and its explanation cannot drift apart. What a listener hears and reads comes before what the file
// says of itself: a copy measurably quieter than another of the same audio (a re-encode turned down) or
// whose audio stops well below another's (a 128 kbps transcode, a resample) never wins, whatever its
// bitrate, and neither does a copy transcoded from a lossy one present (a FLAC made from a Vorbis file);
// a copy the user edited is kept over those that arrive later (edits made with both present: tags decide,
// after the sound); the user's own rules (a folder's copies first, a format's, the copy the library had
// first: copy-rules.ts) come next, before anything Sleeve measures; a copy without tags never wins over a
// tagged one (the mount would name it "Unknown Artist");
// then lossless over lossy, rate and bitrate, and of copies alike there the one whose audio reaches
// higher (a copy made from another reaches no higher); among copies that sound alike the better-tagged one
// is kept, so an album copied in with track numbers is not hidden behind byte-identical twins tagged track 0.

import { copyRuleWords } from '../../shared/copy-rule-words.ts';
import { formatList } from '../../shared/count-words.ts';
import { formatKHz } from '../../shared/fields.ts';
import { formatName } from '../../shared/format-names.ts';

/** Lossy copies at or above these bitrates (bits/s) count as transparent; Opus/Vorbis/Musepack reach it
 *  sooner than MP3/AAC. SOUND allows 2 % under them: a 256 kbps VBR file measures a little less. */
const transparentBps = (f: string) =>
  `CASE WHEN ${f}.format IN ('opus', 'ogg-vorbis', 'musepack') THEN 160000 ELSE 256000 END`;
/** Sample rates from here on hold all an ear hears; an unknown rate is not held against a copy. */
const FULL_RATE = 44100;

/** Sound classes of file alias `f`: 3 lossless at a full rate, 2 transparent lossy at a full rate, 1
 *  lossless below it; the rest below 1, by bitrate (below transparency more bits sound better). */
const soundOf = (f: string) => {
  const rate = `coalesce(${f}.sample_rate, ${FULL_RATE})`;
  return `CASE
  WHEN coalesce(${f}.lossless, 0) = 1 AND ${rate} >= ${FULL_RATE} THEN 3
  WHEN coalesce(${f}.lossless, 0) = 0 AND ${rate} >= ${FULL_RATE} AND coalesce(${f}.bitrate, 0) * 1.02 >= ${transparentBps(f)} THEN 2
  WHEN coalesce(${f}.lossless, 0) = 1 THEN 1 ELSE min(coalesce(${f}.bitrate, 0), 9999999) / 10000000.0 END`;
};
const SOUND = soundOf('f');

/** What makes tags good; a copy's tag rank is how many of these hold. A placeholder ("non",
 *  "Unknown Artist", "Track 01") is no value. */
const PLACEHOLDER = `(t.fold IN ('', 'non', 'none', 'unknown', 'unknown artist', 'unknown album', 'untitled', '[unknown]')
  OR t.fold GLOB 'track [0-9]*' OR t.fold GLOB 'track[0-9]*' OR t.fold GLOB 'audiotrack [0-9]*')`;
const fact = (words: string, keys: string[], holds: string) => ({
  words,
  keys,
  when: `t.key IN (${keys.map((k) => `'${k}'`).join(', ')}) AND ${holds}`,
});
const TAG_FACTS: ReadonlyArray<{ words: string; keys: string[]; when: string }> = [
  fact('title', ['title'], `NOT ${PLACEHOLDER}`),
  fact('artist', ['artist'], `NOT ${PLACEHOLDER}`),
  fact('album', ['album'], `NOT ${PLACEHOLDER}`),
  fact('track numbers', ['tracknumber'], 'CAST(t.value AS INTEGER) > 0'),
  fact(
    'MusicBrainz ids',
    ['musicbrainz_recordingid', 'musicbrainz_trackid', 'musicbrainz_albumid'],
    "trim(t.value) <> ''",
  ),
];
const factOf = `CASE ${TAG_FACTS.map((fact, i) => `WHEN ${fact.when} THEN ${i}`).join(' ')} END`;
// Only the keys the facts name are looked at: index seeks on tags' (file_id, key), not every tag.
const FACT_TAGS = `FROM tags t WHERE t.file_id = f.id AND t.key IN (${[...new Set(TAG_FACTS.flatMap((f) => f.keys))].map((k) => `'${k}'`).join(', ')})`;
/** The tags' rank: how many facts hold among the effective tags (so the user's edits count). */
export const TAG_RANK = `(SELECT count(DISTINCT ${factOf}) ${FACT_TAGS})`;
/** Whether any fact holds (TAG_RANK > 0), found at the first tag that makes one: counting them all for it
 *  was a third of ranking 300,000 copies at a million tracks (3.3 → 2.4 s). */
const TAGGED = `EXISTS (SELECT 1 ${FACT_TAGS} AND (${factOf}) IS NOT NULL)`;
/** Which facts hold, as a mask (bit i: TAG_FACTS[i]), for the words. */
export const TAG_MASK = `coalesce((SELECT sum(DISTINCT 1 << ${factOf}) ${FACT_TAGS}), 0)`;

/** The other present full copies f2 of copy f's recording (m), each measured with its loudness (l2), as
 *  f is (l1): the copies a measured copy is compared with. An unmeasured copy is compared with none. */
const OTHER_MEASURED_COPIES = `FROM loudness l1, recording_members m2
    JOIN files f2 ON f2.id = m2.file_id AND f2.status = 'ok'
    JOIN loudness l2 ON l2.file_id = m2.file_id AND l2.status = 'ok'
    WHERE l1.file_id = f.id AND l1.status = 'ok' AND m2.group_id = m.group_id AND m2.file_id <> f.id
      AND m2.partial_offset IS NULL`;
/** A tier's value: 0 when some other measured copy (OTHER_MEASURED_COPIES) meets `condition`, else 1. */
const heldBackBy = (condition: string) =>
  `CASE WHEN EXISTS (SELECT 1 ${OTHER_MEASURED_COPIES} AND (${condition})) THEN 0 ELSE 1 END`;

/** Whether copy f2 reaching higher than f may be its encoder's doing: an Opus encoder fills the bands
 *  above its source's top (an Opus made from a Vorbis file stopping at 18.78 kHz measures 20.06 kHz; from
 *  one at 16.71 kHz, 20.06 kHz too), so an Opus copy that measures as the same audio (its loudness within
 *  0.01 LU: a re-encode of it) reaches no higher for it. An Opus original whose copy was low-passed by its
 *  own encoder (LAME at 128 kbps) measures further apart. */
const OPUS_FILLED = `(f2.format = 'opus' AND abs(l1.integrated - l2.integrated) <= 0.01)`;

/** Louder by more than this (dB, integrated loudness) on the same audio: the quieter copy was turned
 *  down. Encoders change loudness by a few hundredths of a dB. */
const QUIETER_DB = 1;
/** Audio reaching higher by more than this (Hz): the other copy was low-passed or resampled. Copies of
 *  one encode measure within a band of each other (bandwidth-meter.ts: 170 Hz bands). */
const NARROWER_HZ = 1000;
/** 1 unless another present full copy of the recording is louder, or reaches higher without being turned
 *  down itself, by those margins (as measured with its loudness; an unmeasured copy is not held back). A
 *  copy turned down was made from another: what it seems to reach above it is its own encoder's noise. */
const WHOLE_SOUND = heldBackBy(`l2.integrated - l1.integrated > ${QUIETER_DB}
  OR (l2.bandwidth - l1.bandwidth > ${NARROWER_HZ} AND l1.integrated - l2.integrated <= ${QUIETER_DB}
    AND NOT ${OPUS_FILLED})`);
/** Reaching no higher than this (Hz) above another copy: made from it. Two decodes of one lossy stream
 *  measure within a band (170 Hz) of each other; an encode from the lossless master reaches its own
 *  encoder's low-pass, kHz away. */
const SAME_TOP_HZ = 350;
/** 1 unless another present full copy of the same sound class (SOUND) reaches higher by more than the
 *  measurement's spread (SAME_TOP_HZ). A copy made from another reaches no higher than its source, so
 *  among copies that sound alike the wider one is the source or a sibling of it, never its transcode: a
 *  320 kbps MP3 low-passed 0.5 kHz under the 160 kbps Vorbis it came from does not win on bitrate. */
const WIDEST_OF_ITS_SOUND = heldBackBy(
  `l2.bandwidth - l1.bandwidth > ${SAME_TOP_HZ} AND ${soundOf('f2')} = ${SOUND} AND NOT ${OPUS_FILLED}`,
);
/** 1 unless, of lossy copies below transparency (SOUND under 1), another reaches higher by more than the
 *  measurement's spread (SAME_TOP_HZ): this one may be made from it, and it cannot be made from this one
 *  (a copy reaches no higher than its source). Its bits then tell nothing: a 128 kbps MP3 made from a
 *  112 kbps Vorbis stops 0.5–0.7 kHz under it (its encoder's low-pass, or the source's top) and measures
 *  24–26 dB under it, as close as encodes of one master beside a 128 kbps source (TRANSCODE_RESIDUAL_DB);
 *  an encode of the master at such rates, if that is what it is, is worth no more than the wider copy.
 *  A copy the user edited before this rule came (migration 77) is not held back by it: kept then for its
 *  bits, it shows their edits, which would not follow it to the wider copy. */
const WIDEST_BELOW_TRANSPARENT = `CASE WHEN EXISTS (SELECT 1 FROM edited_files ef JOIN rank_rules_since r
    ON r.rule = 'widest_below_transparent' WHERE ef.file_id = f.id AND ef.since <= r.edits_through) THEN 1
  ELSE ${heldBackBy(`${SOUND} < 1 AND ${soundOf('f2')} < 1 AND l2.bandwidth - l1.bandwidth > ${SAME_TOP_HZ} AND NOT ${OPUS_FILLED}`)} END`;
/** How far under the music (dB), at least, a lossy copy's decode differs from a lossy copy's of a lower
 *  bitrate for it to be taken as made from it (copy_residuals, residual.ts). On 30 s excerpts of nine Wesnoth
 *  pieces: transcodes by LAME at 320 kbps 38–58 dB, by ffmpeg's AAC at 192–320 kbps 22–50, Vorbis at q7
 *  23–32; encodes of the master beside a 96 kbps Vorbis 13–20, beside 128 kbps sources up to 29, beside
 *  a 192 kbps MP3 up to 37. A copy this close to its source holds nothing more than it, made from it or
 *  not; the words say so (transcodeWhy). */
export const TRANSCODE_RESIDUAL_DB = 27;
/** Whether copy_residuals row r is the pair (f, f2) measured as their loudness (l1, l2) is now. */
const CURRENT_RESIDUAL = `r.copy_id = f.id AND r.source_id = f2.id
  AND r.copy_lufs = l1.integrated AND r.source_lufs = l2.integrated`;
/** Whether copy f measures as the decode of lossy copy f2 (loudness l1, l2). A lossless file of a lossy
 *  one's decode holds the same samples: its integrated loudness the same to a millionth of a LU, its true
 *  peak to a hundred-thousandth; a lossy re-encode of the decode comes within a few thousandths of a LU.
 *  An encode of a lossless master, 128 kbps, is 0.08–0.44 LU off it, and a 320 kbps one a few
 *  hundred-thousandths, but with its peaks a thousandth or more apart (Debian's wesnoth music). */
const SAME_AUDIO = `CASE WHEN coalesce(f.lossless, 0) = 1
    THEN abs(l1.integrated - l2.integrated) <= 0.00001
      AND abs(coalesce(l1.true_peak, 0) - coalesce(l2.true_peak, 0)) <= 0.0001 * max(coalesce(l2.true_peak, 0), 0.001)
    ELSE abs(l1.integrated - l2.integrated) <= 0.01 OR EXISTS (SELECT 1 FROM copy_residuals r
      WHERE ${CURRENT_RESIDUAL} AND r.db >= ${TRANSCODE_RESIDUAL_DB}) END`;
/** Whether copy f's audio stops where lossy copy f2's does, as a copy made from f2 does (it holds nothing
 *  f2 did not). Beside Opus, whose reach may be its encoder's (OPUS_FILLED), the rate tells instead: Opus
 *  holds audio at 48 kHz only, so a decode of it is at 48 kHz unless resampled, and an Opus copy beside
 *  a copy of the same audio at another rate was made from that one (its encoder resampled it). */
const STOPS_WITH = `CASE WHEN f2.format = 'opus' THEN coalesce(f.sample_rate, 0) = 48000
    WHEN f.format = 'opus' THEN coalesce(f2.sample_rate, 48000) <> 48000
    ELSE l1.bandwidth <= l2.bandwidth + ${SAME_TOP_HZ} END`;
/** A lossy copy present in the recording that this one was made from: a lossless copy, or a lossy one of
 *  a higher bitrate, whose audio stops where the lossy one's does (STOPS_WITH) and measures as its decode
 *  does (a FLAC or a 320 kbps MP3 made from a 112 kbps Vorbis holds nothing the Vorbis did not). As
 *  measured with their loudness. An encode of a lossless master that reaches as high (its music stops
 *  below the encoder's low-pass) differs in loudness, so the master is not taken for its transcode. */
const MAY_BE_MADE_FROM = `coalesce(f2.lossless, 0) = 0
      AND (coalesce(f.lossless, 0) = 1 OR coalesce(f.bitrate, 0) > coalesce(f2.bitrate, 0) * 1.05)
      AND ${STOPS_WITH}`;
export const LOSSY_SOURCE = `(SELECT m2.file_id ${OTHER_MEASURED_COPIES}
      AND ${MAY_BE_MADE_FROM}
      AND ${SAME_AUDIO}
    ORDER BY f2.bitrate, m2.file_id LIMIT 1)`;
/** Pairs (copyId, sourceId, their groupId) of present full lossy copies of a recording in temp.residual_groups whose
 *  difference is to be measured (transcode-residuals.ts): the copy may be made from the source by all but
 *  its loudness, not within SAME_AUDIO's 0.01 LU of the source's (a LAME transcode stays within 0.001;
 *  ffmpeg's AAC moved Wesnoth's music 0.004–0.105 LU) nor turned down (QUIETER_DB), and their difference
 *  was not measured for these measures of their loudness. CROSS JOIN: from the recordings due, each
 *  member then looked up; SQLite had walked every present file through the status index instead. */
export const RESIDUAL_PAIRS = `SELECT f.id AS copyId, f2.id AS sourceId, m.group_id AS groupId,
    l1.integrated AS copyLufs, l2.integrated AS sourceLufs
  FROM temp.residual_groups g CROSS JOIN recording_members m ON m.group_id = g.group_id
  CROSS JOIN files f ON f.id = m.file_id AND f.status = 'ok',
  ${OTHER_MEASURED_COPIES.replace(/^FROM /, '')}
    AND m.partial_offset IS NULL AND coalesce(f.lossless, 0) = 0
    AND ${MAY_BE_MADE_FROM}
    AND abs(l1.integrated - l2.integrated) > 0.01 AND abs(l1.integrated - l2.integrated) <= ${QUIETER_DB}
    AND NOT EXISTS (SELECT 1 FROM copy_residuals r WHERE ${CURRENT_RESIDUAL})`;
/** 0 when the copy arrived after another present full copy of its recording was edited (edited_files,
 *  which EffectiveTags keeps: since its oldest batch not undone): the recording keeps the copy the user
 *  edited, whatever arrives later. Edits made with both present decide nothing here. */
const ARRIVED_AFTER_EDITS = `CASE WHEN EXISTS (SELECT 1 FROM recording_members o
    JOIN edited_files ef ON ef.file_id = o.file_id
    JOIN files fo ON fo.id = o.file_id AND fo.status = 'ok'
    WHERE o.group_id = m.group_id AND o.file_id <> f.id AND o.partial_offset IS NULL AND ef.since < f.added_at)
  THEN 0 ELSE 1 END`;

/** Whether copy rule r (copy_rules) names file f: a folder holding it, or its format. */
const RULE_NAMES = `((r.kind = 'folder' AND substr(f.path, 1, length(r.value) + 1) = r.value || '/')
  OR (r.kind = 'format' AND f.format = r.value))`;
/** The user's rules (copy-rules.ts): the first rule naming a copy puts it before the copies later rules
 *  or none name. */
const RULED = `coalesce((SELECT -min(r.place) FROM copy_rules r WHERE ${RULE_NAMES}), -2147483647)`;
/** The "first" rule: among copies the other rules leave tied, the one the library had first. */
const RULED_FIRST = `CASE WHEN EXISTS (SELECT 1 FROM copy_rules WHERE kind = 'first') THEN -f.added_at ELSE 0 END`;

/** How far under the music (dB) copy `copy`'s decode differs from lossy copy `source`'s, as measured
 *  beside their loudness now (SQL over two file ids); null when not so measured. */
export const sourceResidual = (copy: string, source: string) =>
  `(SELECT r.db FROM copy_residuals r WHERE r.copy_id = ${copy} AND r.source_id = ${source}
    AND r.copy_lufs = (SELECT l.integrated FROM loudness l WHERE l.file_id = r.copy_id)
    AND r.source_lufs = (SELECT l.integrated FROM loudness l WHERE l.file_id = r.source_id))`;

/** The measures the words name. */
export const MEASURE_COLUMNS = `(SELECT l.integrated FROM loudness l WHERE l.file_id = f.id AND l.status = 'ok') AS integrated,
  (SELECT l.bandwidth FROM loudness l WHERE l.file_id = f.id AND l.status = 'ok') AS bandwidth,
  ${LOSSY_SOURCE} AS madeFrom,
  ${sourceResidual('f.id', LOSSY_SOURCE)} AS residual,
  (SELECT r.kind || ':' || r.value FROM copy_rules r WHERE ${RULE_NAMES} ORDER BY r.place LIMIT 1) AS rule`;

/** Problems found reading a file (its "; "-joined warning). */
const PROBLEMS = `CASE WHEN f.warning IS NULL THEN 0
  ELSE (length(f.warning) - length(replace(f.warning, '; ', ''))) / 2 + 1 END`;

/** What the words need of a copy (duplicates.ts selects it beside the tiers' values). */
export interface RankedCopy {
  readonly id: number;
  readonly format: string | null;
  readonly lossless: number | null;
  readonly bitrate: number | null;
  readonly sampleRate: number | null;
  readonly bitDepth: number | null;
  readonly duration: number | null;
  readonly partialOffset: number | null;
  readonly tagMask: number;
  /** Measured loudness (LUFS) and the highest frequency the audio reaches (Hz); null until measured. */
  readonly integrated: number | null;
  readonly bandwidth: number | null;
  /** The lossy copy of the recording this one was transcoded from (LOSSY_SOURCE), if any. */
  readonly madeFrom: number | null;
  /** How far under the music (dB) its decode's difference from madeFrom's lies, when that told it was
   *  made from it (null: its loudness told, or it was made from none). */
  readonly residual: number | null;
  /** The first of the user's copy rules naming it, as "folder:/music/lossless", "format:flac". */
  readonly rule: string | null;
  /** Each tier's value, in TIERS' order (higher is better). */
  readonly ranks: readonly number[];
}

const kHz = (hz: number | null) => (hz ? formatKHz(hz) : '? kHz');
const kbps = (bps: number | null) => (bps ? `${Math.round(bps / 1000)} kbps` : '? kbps');
const nameOf = (c: RankedCopy) => (c.format === null ? 'file' : formatName(c.format));

/** How a copy sounds, in words: "lossless 44.1 kHz", "320 kbps MP3 at 44.1 kHz". */
function sound(c: RankedCopy): string {
  return c.lossless
    ? `lossless ${kHz(c.sampleRate)}`
    : `${kbps(c.bitrate)} ${nameOf(c)} at ${kHz(c.sampleRate)}`;
}

function soundWhy(kept: RankedCopy, other: RankedCopy): string {
  if (kept.lossless && other.lossless && (other.sampleRate ?? FULL_RATE) < FULL_RATE)
    return `${sound(kept)}; the ${kHz(other.sampleRate)} ${nameOf(other)} was resampled (nothing above ${kHz((other.sampleRate ?? 0) / 2)})`;
  return `${sound(kept)} over ${other.lossless ? `lossless at ${kHz(other.sampleRate)}` : sound(other)}`;
}

function wholeWhy(kept: RankedCopy, other: RankedCopy): string {
  const quieter =
    kept.integrated !== null && other.integrated !== null ? kept.integrated - other.integrated : 0;
  if (quieter > QUIETER_DB)
    return `the ${nameOf(other)} copy is ${quieter.toFixed(1)} dB quieter (the same audio turned down)`;
  if (kept.bandwidth !== null && other.bandwidth !== null && kept.bandwidth - other.bandwidth > NARROWER_HZ)
    return `the ${nameOf(other)} copy stops at ${kHz(other.bandwidth)}, the kept copy reaches ${kHz(kept.bandwidth)} (band-limited)`;
  return `the ${nameOf(other)} copy is quieter or band-limited beside another copy`;
}

function widerWhy(kept: RankedCopy, other: RankedCopy): string {
  // The tier holds a copy back for any copy alike reaching higher, not only for this one.
  if (kept.bandwidth === null || other.bandwidth === null || kept.bandwidth - other.bandwidth <= SAME_TOP_HZ)
    return `the ${nameOf(other)} copy stops more than ${SAME_TOP_HZ} Hz below another copy that sounds alike (a copy made from another reaches no higher)`;
  return `the ${nameOf(other)} copy stops at ${kHz(other.bandwidth)}, the kept copy reaches ${kHz(kept.bandwidth)} (a copy made from another reaches no higher)`;
}

/** How the words begin where a copy is kept for the edits it carries (sleeve dup says it once). */
export const KEPT_FOR_EDITS = 'it carries your edits';

function editedWhy(_kept: RankedCopy, other: RankedCopy): string {
  return `${KEPT_FOR_EDITS}, made before the ${nameOf(other)} copy arrived; prefer that copy to carry them over`;
}

function ruleWhy(kept: RankedCopy): string {
  return `your rule: ${copyRuleWords(kept.rule ?? '')}`;
}

function transcodeWhy(kept: RankedCopy, other: RankedCopy): string {
  // Told by the difference of the decodes: an encode of the same master can come as close to a source
  // as good as it, and then holds nothing more either. Beside Opus the rate told, not where the audio
  // stops (STOPS_WITH).
  const top =
    other.residual !== null && other.residual >= TRANSCODE_RESIDUAL_DB
      ? `, or holds nothing more: their decodes differ by an encoder's noise, ${other.residual.toFixed(1)} dB under the music`
      : other.bandwidth === null || kept.format === 'opus' || other.format === 'opus'
        ? ''
        : ` (its audio stops at ${kHz(other.bandwidth)}, as the kept copy's does)`;
  const from = other.madeFrom === kept.id ? 'the kept copy' : 'lossy audio';
  return `the ${other.lossless ? 'lossless' : kbps(other.bitrate)} ${nameOf(other)} copy is transcoded from ${from}${top}`;
}

function tagsWhy(kept: RankedCopy, other: RankedCopy): string {
  const better = TAG_FACTS.map((f) => f.words).filter(
    (_, i) => (kept.tagMask >> i) & 1 && !((other.tagMask >> i) & 1),
  );
  return `better tags: ${better.length > 0 ? formatList(better) : 'more of them filled'}`;
}

interface Tier {
  /** SQL: higher is better. */
  readonly sql: string;
  /** Why `kept` ranks before `other` when this tier tells them apart. */
  readonly why: (kept: RankedCopy, other: RankedCopy) => string;
}

/** The ranking, best first: the whole copy, the copy the user edited over those that arrived after (a
 *  recording keeps what the user gave it), the user's copy rules, the whole sound, the source over a transcode of it, tags at
 *  all, of lossy copies below transparency the one reaching higher, then the sound (of copies that sound
 *  alike, the one reaching higher), then the tags, then the rest as tie-breaks. */
const TIERS: readonly Tier[] = [
  { sql: 'm.partial_offset IS NULL', why: () => 'the full recording over a partial copy' },
  { sql: ARRIVED_AFTER_EDITS, why: editedWhy },
  { sql: RULED, why: ruleWhy },
  { sql: RULED_FIRST, why: () => `your rule: ${copyRuleWords('first')}` },
  { sql: WHOLE_SOUND, why: wholeWhy },
  { sql: `${LOSSY_SOURCE} IS NULL`, why: transcodeWhy },
  { sql: TAGGED, why: () => 'tagged, over a copy without tags' },
  { sql: WIDEST_BELOW_TRANSPARENT, why: widerWhy },
  { sql: SOUND, why: soundWhy },
  { sql: WIDEST_OF_ITS_SOUND, why: widerWhy },
  { sql: TAG_RANK, why: tagsWhy },
  { sql: `-${PROBLEMS}`, why: () => 'fewer problems found reading it' },
  { sql: 'coalesce(f.duration, 0)', why: () => 'longer' },
  { sql: 'coalesce(f.bit_depth, 0)', why: (k, o) => `${k.bitDepth}-bit over ${o.bitDepth ?? '?'}-bit` },
  { sql: 'coalesce(f.sample_rate, 0)', why: (k, o) => `${kHz(k.sampleRate)} over ${kHz(o.sampleRate)}` },
  { sql: 'coalesce(f.bitrate, 0)', why: (k, o) => `${kbps(k.bitrate)} over ${kbps(o.bitrate)}` },
  { sql: '-f.id', why: () => 'the same in every way that counts, and in the library first' },
];

/** ORDER BY terms ranking copies, best first. */
export const COPY_ORDER = TIERS.map((t) => `${t.sql} DESC`).join(',\n  ');

/** Select-list terms giving each tier's value, as rank0, rank1… (read them with ranksOf). */
export const COPY_RANK_COLUMNS = TIERS.map((t, i) => `${t.sql} AS rank${i}`).join(',\n  ');

/** COPY_ORDER over the columns COPY_RANK_COLUMNS selected (rank0 DESC, rank1 DESC, …). */
export const COPY_RANK_ORDER = TIERS.map((_, i) => `rank${i} DESC`).join(', ');

/** The tier values a row selected with COPY_RANK_COLUMNS holds. */
export function ranksOf(row: Record<string, unknown>): number[] {
  return TIERS.map((_, i) => Number(row[`rank${i}`]));
}

/** Why `kept` ranks before `other`, in words (the first tier that tells them apart). */
export function whyBefore(kept: RankedCopy, other: RankedCopy): string {
  const i = TIERS.findIndex((_, i) => kept.ranks[i] !== other.ranks[i]);
  return TIERS[i]?.why(kept, other) ?? 'the same copy';
}
