// The player's seek and length rules, on stand-ins for its <audio> elements: a file played as it is seeks
// in its bytes; a transcoded stream is asked for again from the time sought, never from its very end
// (ffmpeg started past the last frame writes nothing, which an element takes for an error).
import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../../renderer/src/queue.ts';
import { type ElementPair, lengthOf, seekPlaying } from '../../../renderer/src/use-element-pair.ts';

const item = (over: Partial<QueueItem>): QueueItem => ({
  id: 7,
  title: 't',
  artist: '',
  album: '',
  albumArtist: '',
  replayGain: { track: null, album: null },
  duration: 120,
  transcoded: false,
  ...over,
});

/** An element as the player uses it: its clock, its length, its source and whether it plays. */
function element(over: Partial<{ duration: number; paused: boolean }> = {}) {
  const a = { currentTime: 0, duration: Number.NaN, paused: true, src: '', plays: 0, ...over };
  return Object.assign(a, {
    play() {
      a.plays++;
      return Promise.resolve();
    },
  });
}

/** A pair whose playing element is `a`, noting where its stream starts. */
function pairOf(a: ReturnType<typeof element>) {
  const starts: number[] = [];
  const pair = {
    playing: () => a as unknown as HTMLAudioElement,
    startsAt: (_which: 'playing' | 'waiting', seconds: number) => starts.push(seconds),
  } as unknown as ElementPair;
  return { pair, starts };
}

const url = (id: number, from = 0) => `/media/${id}?start=${from}`;

describe("the player's seek", () => {
  it('seeks a file played as it is in its bytes, within its length', () => {
    const a = element({ duration: 100 });
    const { pair, starts } = pairOf(a);
    expect(seekPlaying(pair, item({}), 30, url)).toBe(30);
    expect(a.currentTime).toBe(30);
    expect(seekPlaying(pair, item({}), 500, url)).toBe(100); // the element's own length
    expect(seekPlaying(pair, item({}), -5, url)).toBe(0);
    expect(starts).toEqual([]);
    expect(a.src).toBe('');
  });

  it('asks for a transcoded stream again from the time sought, resuming only what played', () => {
    const a = element({ paused: false });
    const { pair, starts } = pairOf(a);
    expect(seekPlaying(pair, item({ transcoded: true }), 42.5, url)).toBe(42.5);
    expect(a.src).toBe('/media/7?start=42.5');
    expect(starts).toEqual([42.5]);
    expect(a.plays).toBe(1);
    const still = element();
    seekPlaying(pairOf(still).pair, item({ transcoded: true }), 10, url);
    expect(still.plays).toBe(0);
  });

  it('never asks for a transcoded stream from its very end: a second before', () => {
    const a = element();
    const { pair } = pairOf(a);
    expect(seekPlaying(pair, item({ transcoded: true, duration: 120 }), 120, url)).toBe(119);
    expect(a.src).toBe('/media/7?start=119');
  });

  it('does nothing when nothing plays', () => {
    const { pair } = pairOf(element());
    expect(seekPlaying(pair, undefined, 10, url)).toBeUndefined();
  });
});

describe("a track's length", () => {
  it("is the element's for a file played as it is, the library's for a transcoded one", () => {
    const a = element({ duration: 99.5 }) as unknown as HTMLAudioElement;
    expect(lengthOf(item({}), a)).toBe(99.5);
    expect(lengthOf(item({ transcoded: true, duration: 120 }), a)).toBe(120);
    const unknown = element() as unknown as HTMLAudioElement;
    expect(lengthOf(item({ duration: 120 }), unknown)).toBe(120);
    expect(lengthOf(undefined, unknown)).toBe(0);
  });
});
