// The play queue as a value: its tracks, the one playing, shuffle and repeat, and whether it is a radio
// (it refills with tracks like the ones played). Pure and immutable; the player and the views change it
// only through these functions.
import type { ReplayGain } from './replay-gain.ts';

export interface QueueItem {
  readonly id: number;
  readonly title: string;
  readonly artist: string;
  readonly album: string;
  /** The album artist, else the artist: with the album, what tells one album from another. */
  readonly albumArtist: string;
  readonly replayGain: ReplayGain;
  /** Seconds, as the library measured it: a transcoded stream's element does not know its length. */
  readonly duration: number | null;
  /** Streamed transcoded from a time (app/shared/playable.ts), not as the file's bytes. */
  readonly transcoded: boolean;
}

export type Repeat = 'off' | 'all' | 'one';

export interface Radio {
  /** What it plays like: shown to the user. */
  readonly label: string;
}

export interface Queue {
  readonly items: readonly QueueItem[];
  /** The item playing (or paused), -1 when none. */
  readonly current: number;
  readonly shuffle: boolean;
  readonly repeat: Repeat;
  readonly radio: Radio | null;
  /** Raised whenever the current item is to start from its beginning (a new one, or the same again);
   *  not by changes around it (a track removed or moved elsewhere in the queue). */
  readonly serial: number;
}

export const EMPTY_QUEUE: Queue = {
  items: [],
  current: -1,
  shuffle: false,
  repeat: 'off',
  radio: null,
  serial: 0,
};

/** The queue with `current` starting (again). */
const starting = (q: Queue, current: number): Queue => ({ ...q, current, serial: q.serial + 1 });

/** A radio asks for more when fewer than this many tracks are left after the current one. */
const RADIO_LOW_WATER = 3;
/** The recent tracks a radio's next tracks are chosen to sound like. */
const RADIO_SEEDS = 3;

export const currentItem = (q: Queue): QueueItem | undefined => q.items[q.current];

/** Fisher–Yates over a copy. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Replaces the queue with `items`, playing the one at `start`; shuffled after it when shuffle is on. */
export function playNow(q: Queue, items: readonly QueueItem[], start = 0, random = Math.random): Queue {
  if (items.length === 0) return q;
  const first = items[start] ?? items[0]!;
  const rest = items.filter((_, i) => i !== start);
  const upcoming = q.shuffle ? shuffled(rest, random) : [...items.slice(start + 1), ...items.slice(0, start)];
  return starting({ ...q, items: [first, ...upcoming], radio: null }, 0);
}

/** Inserts `items` right after the current one (or starts them when nothing plays). */
export function playNext(q: Queue, items: readonly QueueItem[]): Queue {
  if (q.current < 0) return playNow(q, items);
  const at = q.current + 1;
  return { ...q, items: [...q.items.slice(0, at), ...items, ...q.items.slice(at)] };
}

export function append(q: Queue, items: readonly QueueItem[]): Queue {
  if (q.current < 0) return playNow(q, items);
  return { ...q, items: [...q.items, ...items] };
}

/** Takes an item out; removing the current one starts the next one, or stops when it was the last. */
export function remove(q: Queue, index: number): Queue {
  if (index < 0 || index >= q.items.length) return q;
  const items = q.items.filter((_, i) => i !== index);
  if (index !== q.current) return { ...q, items, current: index < q.current ? q.current - 1 : q.current };
  return starting({ ...q, items }, index < items.length ? index : -1);
}

/** Moves an item to another place; the current item stays current. */
export function move(q: Queue, from: number, to: number): Queue {
  if (from === to || from < 0 || to < 0 || from >= q.items.length || to >= q.items.length) return q;
  const items = [...q.items];
  const [item] = items.splice(from, 1);
  items.splice(to, 0, item!);
  let current = q.current;
  if (from === q.current) current = to;
  else if (from < q.current && to >= q.current) current--;
  else if (from > q.current && to <= q.current) current++;
  return { ...q, items, current };
}

/** Starts the item at `index` (from its beginning, also when it is the current one). */
export function jump(q: Queue, index: number): Queue {
  return index >= 0 && index < q.items.length ? starting(q, index) : q;
}

/**
 * The queue after the current track: `ended` (it played to its end) starts it again under repeat-one;
 * past the last item, repeat-all starts over. Null when there is nothing next (playback stops).
 */
export function advance(q: Queue, ended: boolean): Queue | null {
  if (q.current < 0) return null;
  if (ended && q.repeat === 'one') return starting(q, q.current);
  if (q.current + 1 < q.items.length) return starting(q, q.current + 1);
  return q.repeat === 'all' && q.items.length > 0 ? starting(q, 0) : null;
}

/** What starts when the current track plays to its end (the same track under repeat-one): what the
 *  player loads ahead, so that it starts without a gap. */
export function upNext(q: Queue): QueueItem | undefined {
  const next = advance(q, true);
  return next ? currentItem(next) : undefined;
}

/** The previous item (the first stays first; repeat-all wraps round). */
export function previous(q: Queue): Queue {
  if (q.current > 0) return starting(q, q.current - 1);
  return q.repeat === 'all' && q.items.length > 0 ? starting(q, q.items.length - 1) : q;
}

/** Shuffle on mixes the tracks after the current one; off leaves them as they are. */
export function setShuffle(q: Queue, on: boolean, random = Math.random): Queue {
  if (!on || q.current < 0) return { ...q, shuffle: on };
  const upcoming = shuffled(q.items.slice(q.current + 1), random);
  return { ...q, shuffle: true, items: [...q.items.slice(0, q.current + 1), ...upcoming] };
}

const NEXT_REPEAT: Record<Repeat, Repeat> = { off: 'all', all: 'one', one: 'off' };

export function cycleRepeat(q: Queue): Queue {
  return { ...q, repeat: NEXT_REPEAT[q.repeat] };
}

/** A radio: plays `seeds` and then, as it goes, tracks that sound like the last ones played. */
export function startRadio(q: Queue, label: string, seeds: readonly QueueItem[]): Queue {
  const started = playNow({ ...q, shuffle: false }, seeds);
  return { ...started, shuffle: q.shuffle, radio: { label } };
}

/** Whether a radio should ask for more tracks now. */
export const needsRefill = (q: Queue): boolean =>
  q.radio !== null && q.current >= 0 && q.items.length - q.current - 1 < RADIO_LOW_WATER;

/** The tracks a radio's next ones should sound like: the current one and those just before it. */
export function radioSeeds(q: Queue): number[] {
  return q.items.slice(Math.max(0, q.current - RADIO_SEEDS + 1), q.current + 1).map((i) => i.id);
}

/** Adds a radio's candidates (nearest first), skipping every track already in the queue (played or to
 *  come); `most` at a time. */
export function refill(q: Queue, candidates: readonly QueueItem[], most = 10): Queue {
  const queued = new Set(q.items.map((i) => i.id));
  const fresh = candidates.filter((c) => !queued.has(c.id)).slice(0, most);
  return fresh.length === 0 ? q : { ...q, items: [...q.items, ...fresh] };
}
