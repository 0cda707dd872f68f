// The play queue: what plays next in every mode, and a radio that refills without repeating itself.
import { describe, expect, it } from 'vitest';
import {
  advance,
  append,
  currentItem,
  cycleRepeat,
  EMPTY_QUEUE,
  jump,
  move,
  needsRefill,
  playNext,
  playNow,
  previous,
  type Queue,
  type QueueItem,
  radioSeeds,
  refill,
  remove,
  setShuffle,
  startRadio,
  upNext,
} from '../../../renderer/src/queue.ts';

const item = (id: number): QueueItem => ({
  id,
  title: `t${id}`,
  artist: '',
  album: '',
  albumArtist: '',
  replayGain: { track: null, album: null },
  duration: null,
  transcoded: false,
});
const items = (...ids: number[]) => ids.map(item);
const ids = (q: Queue) => q.items.map((i) => i.id);
/** A fixed "random" sequence, so shuffles are reproducible. */
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('the play queue', () => {
  it('plays a list from a track on, the earlier ones after it, and advances to the end', () => {
    let q = playNow(EMPTY_QUEUE, items(1, 2, 3, 4), 2);
    expect([ids(q), currentItem(q)?.id]).toEqual([[3, 4, 1, 2], 3]);
    q = advance(q, true)!;
    expect(currentItem(q)?.id).toBe(4);
    q = advance(advance(q, true)!, true)!;
    expect(currentItem(q)?.id).toBe(2);
    expect(advance(q, true)).toBeNull(); // the end: playback stops
    expect(advance(EMPTY_QUEUE, true)).toBeNull();
  });

  it('repeats all (wrapping both ways) or one (only when it ended; next still moves on)', () => {
    let q = cycleRepeat(playNow(EMPTY_QUEUE, items(1, 2)));
    expect(q.repeat).toBe('all');
    expect(currentItem(previous(q))?.id).toBe(2);
    q = advance(q, true)!;
    expect(currentItem(advance(q, true)!)?.id).toBe(1);
    q = cycleRepeat(q);
    expect(q.repeat).toBe('one');
    expect(currentItem(advance(q, true)!)?.id).toBe(2);
    expect(advance(q, true)!.serial).toBe(q.serial + 1); // the same track, started again
    expect(advance(q, false)).toBeNull(); // "next" on the last, repeat-one: nothing after it
    expect(cycleRepeat(q).repeat).toBe('off');
    expect(previous(playNow(EMPTY_QUEUE, items(1, 2))).current).toBe(0);
  });

  it('knows what starts at the end of the current track, for the player to load ahead', () => {
    let q = playNow(EMPTY_QUEUE, items(1, 2, 3));
    expect(upNext(q)?.id).toBe(2);
    q = playNext(q, items(9));
    expect(upNext(q)?.id).toBe(9); // changes with the queue
    q = jump(q, 3);
    expect(upNext(q)).toBeUndefined(); // the last: nothing
    q = cycleRepeat(q);
    expect(upNext(q)?.id).toBe(1); // repeat all: the first again
    q = cycleRepeat(q);
    expect(upNext(q)?.id).toBe(3); // repeat one: itself
    expect(upNext(EMPTY_QUEUE)).toBeUndefined();
  });

  it('play next, add to queue, remove and reorder keep the current track playing', () => {
    let q = playNow(EMPTY_QUEUE, items(1, 2, 3));
    q = advance(q, true)!; // 2 plays
    q = playNext(q, items(9));
    expect(ids(q)).toEqual([1, 2, 9, 3]);
    q = append(q, items(7));
    expect(ids(q)).toEqual([1, 2, 9, 3, 7]);
    q = move(q, 4, 0);
    expect([ids(q), currentItem(q)?.id]).toEqual([[7, 1, 2, 9, 3], 2]);
    q = move(q, 2, 4); // the current one moves
    expect([ids(q), currentItem(q)?.id]).toEqual([[7, 1, 9, 3, 2], 2]);
    const serial = q.serial;
    q = remove(q, 0);
    expect([ids(q), currentItem(q)?.id]).toEqual([[1, 9, 3, 2], 2]);
    expect(q.serial).toBe(serial); // the track playing goes on: it is not started again
    q = jump(q, 3);
    expect([currentItem(q)?.id, q.serial]).toEqual([2, serial + 1]); // the same track, from its start
    q = remove(q, 1);
    q = remove(jump(q, 0), 0); // the current one: the next one starts
    expect(q.serial).toBe(serial + 3);
    expect([ids(q), currentItem(q)?.id]).toEqual([[3, 2], 3]);
    q = remove(jump(q, 1), 1); // the current, last one: playback stops
    expect([ids(q), q.current, currentItem(q)]).toEqual([[3], -1, undefined]);
    expect(ids(playNext(EMPTY_QUEUE, items(5)))).toEqual([5]); // nothing playing: it starts
    expect(append(EMPTY_QUEUE, items(6)).current).toBe(0);
  });

  it('shuffle mixes only what comes after the current track', () => {
    const q = playNow(EMPTY_QUEUE, items(1, 2, 3, 4, 5));
    const mixed = setShuffle(q, true, seq(0, 0, 0, 0));
    expect(ids(mixed)[0]).toBe(1);
    expect(ids(mixed).slice(1).sort()).toEqual([2, 3, 4, 5]);
    expect(ids(mixed)).not.toEqual([1, 2, 3, 4, 5]);
    expect(ids(setShuffle(mixed, false))).toEqual(ids(mixed));
    // Playing a list with shuffle on starts with the chosen track, the rest mixed.
    const started = playNow(mixed, items(1, 2, 3, 4), 2, seq(0, 0, 0));
    expect(ids(started)[0]).toBe(3);
  });

  it('a radio refills from the last tracks played, never queueing a track twice', () => {
    let q = startRadio(EMPTY_QUEUE, 'like t1', items(1));
    expect(q.radio).toEqual({ label: 'like t1' });
    expect(needsRefill(q)).toBe(true);
    q = refill(q, items(1, 2, 3, 4, 5), 3);
    expect(ids(q)).toEqual([1, 2, 3, 4]);
    expect(needsRefill(q)).toBe(false);
    q = advance(q, true)!;
    q = advance(q, true)!;
    expect(radioSeeds(q)).toEqual([1, 2, 3]);
    expect(needsRefill(q)).toBe(true);
    q = refill(q, items(2, 4, 6));
    expect(ids(q)).toEqual([1, 2, 3, 4, 6]);
    expect(refill(q, items(1, 6))).toBe(q); // nothing new: the same queue
    // Playing something else ends the radio.
    expect(playNow(q, items(8)).radio).toBeNull();
    expect(needsRefill(playNow(q, items(8)))).toBe(false);
  });
});
