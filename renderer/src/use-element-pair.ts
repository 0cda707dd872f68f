// Gapless where the browser allows: two <audio> elements take turns. Near the end of a track the waiting
// one loads what comes next (its first bytes fetched and its decoder set up), and the end of the track
// starts it in the same event, instead of the fetch and decoder start a single element would wait for.
// (Sample-exact joins would need Web Audio, decoding whole tracks into memory.)
import { type RefObject, useCallback, useMemo, useRef, useState } from 'react';
import { advance, currentItem, type Queue, type QueueItem, upNext } from './queue.ts';

/** Seconds before a track's end at which the next one is loaded. */
const LOAD_AHEAD_S = 20;
/** How close to its end a transcoded track may be sought (see seekPlaying). */
const END_MARGIN_S = 1;

/** The track's length: the element's for a file played as it is, the library's for a transcoded one. */
export const lengthOf = (item: QueueItem | undefined, a: HTMLAudioElement): number =>
  item && !item.transcoded && Number.isFinite(a.duration) ? a.duration : (item?.duration ?? 0);

/** Plays an element; a play the browser refuses or a newer load interrupts is said by the element's own
 *  events (error, pause), not by this promise. */
export const playQuietly = (a: HTMLAudioElement | null | undefined): void =>
  void a?.play().catch(() => undefined);

export interface ElementPair {
  readonly elements: readonly [RefObject<HTMLAudioElement | null>, RefObject<HTMLAudioElement | null>];
  /** Which one plays (for rendering; the functions read it at once). */
  readonly active: 0 | 1;
  /** The element playing the current track. */
  playing(): HTMLAudioElement | null;
  /** The other one, which loads what comes next. */
  waiting(): HTMLAudioElement | null;
  /** Where an element is in its track. */
  trackTime(a: HTMLAudioElement): number;
  /** The playing (or waiting) element's stream starts `seconds` into its track (after a transcoded seek). */
  startsAt(which: 'playing' | 'waiting', seconds: number): void;
  /** The waiting element plays now. */
  swap(): void;
}

export function useElementPair(): ElementPair {
  const first = useRef<HTMLAudioElement>(null);
  const second = useRef<HTMLAudioElement>(null);
  const [active, setActive] = useState<0 | 1>(0);
  const activeRef = useRef<0 | 1>(0);
  /** Each element's stream starts this many seconds into its track (non-zero after a transcoded seek). */
  const offsets = useRef<[number, number]>([0, 0]);
  // Stable: effects hold them, and they read the refs when called.
  const playing = useCallback(() => (activeRef.current === 0 ? first : second).current, []);
  const waiting = useCallback(() => (activeRef.current === 0 ? second : first).current, []);
  const trackTime = useCallback(
    (a: HTMLAudioElement) => offsets.current[a === first.current ? 0 : 1] + a.currentTime,
    [],
  );
  const startsAt = useCallback((which: 'playing' | 'waiting', seconds: number) => {
    offsets.current[(which === 'playing') === (activeRef.current === 0) ? 0 : 1] = seconds;
  }, []);
  const swap = useCallback(() => {
    const next = activeRef.current === 0 ? 1 : 0;
    activeRef.current = next;
    setActive(next);
  }, []);
  return useMemo(
    () => ({ elements: [first, second], active, playing, waiting, trackTime, startsAt, swap }),
    [active, playing, waiting, trackTime, startsAt, swap],
  );
}

/** The playing element sought to `seconds` into `item` (kept within the track); returns where it is now,
 *  or undefined when nothing plays. A file played as it is seeks in its bytes (HTTP Range); a transcoded
 *  stream has none to seek in, so it is asked for again from there: not from its very end, as ffmpeg
 *  started past the last frame writes nothing, which the element takes for an error — from a second
 *  before, the track ends as usual. */
export function seekPlaying(
  pair: ElementPair,
  item: QueueItem | undefined,
  seconds: number,
  mediaUrl: (id: number, from?: number) => string,
): number | undefined {
  const a = pair.playing();
  if (!a || !item) return undefined;
  const target = Math.max(0, Math.min(seconds, lengthOf(item, a) || seconds));
  if (!item.transcoded) {
    a.currentTime = target;
    return target;
  }
  const from = Math.min(target, Math.max(0, (item.duration ?? target) - END_MARGIN_S));
  const resume = !a.paused;
  pair.startsAt('playing', from);
  a.src = mediaUrl(item.id, from);
  if (resume) playQuietly(a);
  return from;
}

export interface HandOver {
  /** Near the end of the playing track, the waiting element loads what comes next (once per track). */
  loadAhead(a: HTMLAudioElement): void;
  /** Loading ahead failed: the track is loaded again when it starts, which says why then. */
  aheadFailed(): void;
  /** The playing track ended: the next one starts at once, on the element that loaded it ahead; the
   *  queue moves on. Returns the track now playing and its element, when the hand-over was made. */
  ended(): { item: QueueItem; element: HTMLAudioElement } | undefined;
  /** Whether the queue's current start (its serial) was made by a hand-over already; asked once. */
  startedBy(serial: number): boolean;
}

export function useHandOver(
  pair: ElementPair,
  queue: RefObject<Queue>,
  mediaUrl: (id: number) => string,
  onQueue: (update: (q: Queue) => Queue) => void,
): HandOver {
  /** The id of what the waiting element loaded ahead. */
  const ahead = useRef<number | null>(null);
  /** The queue serial whose start a hand-over at a track's end already made. */
  const handedOver = useRef<number | null>(null);
  const loadAhead = (a: HTMLAudioElement) => {
    const next = upNext(queue.current);
    const other = pair.waiting();
    if (!next || !other || ahead.current === next.id) return;
    if (!(lengthOf(currentItem(queue.current), a) - pair.trackTime(a) < LOAD_AHEAD_S)) return;
    ahead.current = next.id;
    pair.startsAt('waiting', 0);
    other.src = mediaUrl(next.id);
    other.load();
  };
  const ended = () => {
    const next = advance(queue.current, true);
    const item = next && currentItem(next);
    const other = pair.waiting();
    const handed = next && item && other && ahead.current === item.id;
    if (handed) {
      pair.swap();
      handedOver.current = next.serial;
      playQuietly(other);
    }
    ahead.current = null;
    onQueue((q) => advance(q, true) ?? q);
    return handed ? { item, element: other } : undefined;
  };
  const startedBy = (serial: number) => {
    const started = handedOver.current === serial;
    handedOver.current = null;
    return started;
  };
  return {
    loadAhead,
    aheadFailed: () => {
      ahead.current = null;
    },
    ended,
    startedBy,
  };
}
