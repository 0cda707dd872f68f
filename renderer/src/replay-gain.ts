// Which gain the player applies to a queued track: none (off), its track gain, its album's, or auto — the
// album's while an album plays in order, else the track's — lowered so that gain × peak stays at full scale
// (clipping prevention). A track without the gain asked for plays at the other one; with none, as it is.
// Pure: the player applies the linear gain (element-gains.ts) and shows the label.
import { formatGain } from './format.ts';

export const GAIN_MODES = ['off', 'track', 'album', 'auto'] as const;
export type GainMode = (typeof GAIN_MODES)[number];

export const isGainMode = (v: unknown): v is GainMode => GAIN_MODES.includes(v as GainMode);

/** A gain as ReplayGain tags give it: dB, and the peak it applies to (linear, full scale 1) if known. */
export interface Gain {
  readonly db: number;
  readonly peak: number | null;
}

/** A track's ReplayGain: the file's own, else what Sleeve measured (a row's replaygain_* tags). */
export interface ReplayGain {
  readonly track: Gain | null;
  readonly album: Gain | null;
}

/** What the decision reads of a queued track. */
export interface GainedTrack {
  readonly album: string;
  readonly albumArtist: string;
  readonly replayGain: ReplayGain;
}

export interface AppliedGain {
  /** The gain applied; null: none (off, or the track has no ReplayGain), so unity. */
  readonly kind: 'track' | 'album' | null;
  readonly db: number;
  readonly linear: number;
  /** What the player says it applies, and why. */
  readonly label: string;
}

/** A tag's leading number ("-5.12 dB", "1.028114"); null when it has none. */
function numberIn(text: string | undefined): number | null {
  const n = Number.parseFloat(text ?? '');
  return Number.isFinite(n) ? n : null;
}

function gainFrom(gain: string | undefined, peak: string | undefined): Gain | null {
  const db = numberIn(gain);
  const p = numberIn(peak);
  return db === null ? null : { db, peak: p !== null && p > 0 ? p : null };
}

/** A row's ReplayGain, from its tags (as players read them). */
export function replayGainOf(tags: Readonly<Record<string, string | undefined>>): ReplayGain {
  return {
    track: gainFrom(tags.replaygain_track_gain, tags.replaygain_track_peak),
    album: gainFrom(tags.replaygain_album_gain, tags.replaygain_album_peak),
  };
}

/** The tracks around one in the queue, and whether it is shuffled: what auto mode looks at. */
export interface Neighbours {
  readonly previous: GainedTrack | undefined;
  readonly next: GainedTrack | undefined;
  readonly shuffled: boolean;
}

const sameAlbum = (a: GainedTrack, b: GainedTrack | undefined) =>
  b !== undefined && a.album !== '' && b.album === a.album && b.albumArtist === a.albumArtist;

/** Whether `track` plays as part of an album in order: not shuffled, and a neighbour is of its album. */
export const inAlbumOrder = (track: GainedTrack, { previous, next, shuffled }: Neighbours): boolean =>
  !shuffled && (sameAlbum(track, previous) || sameAlbum(track, next));

const unity = (label: string): AppliedGain => ({ kind: null, db: 0, linear: 1, label });

export function appliedGain(mode: GainMode, track: GainedTrack, around: Neighbours): AppliedGain {
  if (mode === 'off') return unity('ReplayGain off');
  const notes: string[] = [];
  let wanted: 'track' | 'album' = mode === 'auto' ? 'track' : mode;
  if (mode === 'auto') {
    const inOrder = inAlbumOrder(track, around);
    if (inOrder) wanted = 'album';
    notes.push(inOrder ? 'auto: an album in order' : 'auto: not an album in order');
  }
  const other = wanted === 'album' ? 'track' : 'album';
  const kind = track.replayGain[wanted] ? wanted : track.replayGain[other] ? other : null;
  if (kind === null) return unity('No ReplayGain for this track');
  if (kind !== wanted) notes.push(`no ${wanted} gain`);
  const gain = track.replayGain[kind]!;
  const asked = 10 ** (gain.db / 20);
  const clips = gain.peak !== null && asked * gain.peak > 1;
  const linear = clips ? 1 / gain.peak! : asked;
  const db = clips ? 20 * Math.log10(linear) : gain.db;
  if (clips) notes.push(`lowered from ${formatGain(gain.db)}: its peak would clip`);
  const why = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return { kind, db, linear, label: `ReplayGain: ${kind} ${formatGain(db)}${why}` };
}

/** The gain of a queue's current track (unity when nothing is current). */
export function queuedGain(
  mode: GainMode,
  q: { readonly items: readonly GainedTrack[]; readonly current: number; readonly shuffle: boolean },
): AppliedGain {
  const track = q.items[q.current];
  if (!track) return unity('Nothing playing');
  return appliedGain(mode, track, {
    previous: q.items[q.current - 1],
    next: q.items[q.current + 1],
    shuffled: q.shuffle,
  });
}
