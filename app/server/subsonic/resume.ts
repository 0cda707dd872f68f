// Picking up on another device: the play queue (savePlayQueue / getPlayQueue by the current song's id, and
// the indexBasedQueue extension's by its index), bookmarks, and what each user is playing now (a scrobble
// with submission=false, kept in memory for NOW_PLAYING_MS). Stored per user name
// (app/core/library/resume.ts).
import type { Db } from '../../core/db/database.ts';
import { recordPlays } from '../../core/library/listening.ts';
import {
  bookmarksOf,
  deleteBookmark,
  type PlayQueue,
  saveBookmark,
  savedQueue,
  saveQueue,
} from '../../core/library/resume.ts';
import { findMedia, findTrack } from './browse.ts';
import { ERROR, SubsonicError } from './errors.ts';
import { trackId } from './ids.ts';
import type { Child } from './opensubsonic-types.ts';
import type { Params } from './params.ts';
import type { Fields } from './response.ts';
import { isoTime, presentSongs, song } from './shape.ts';
import type { View } from './view.ts';

const iso = isoTime;
const MAX_POSITION_MS = 48 * 3600 * 1000;

/** The songs of a queue still in the library's view (a copy no longer kept is left out). */
const entries = (view: View, queue: PlayQueue): Child[] => presentSongs(view, queue.entries);

function saved(db: Db, view: View, p: Params, user: string, current: number | null): void {
  const ids = p.all('id').map((id) => findTrack(view, id).id);
  saveQueue(db, user, {
    entries: ids,
    current: ids.length === 0 ? null : current,
    position: p.int('position', 0, 0, MAX_POSITION_MS),
    changedBy: p.get('c') ?? '',
  });
}

export function savePlayQueue(db: Db, view: View, p: Params, user: string): Fields {
  const current = p.get('current');
  const ids = p.all('id');
  const index = current === undefined ? null : ids.indexOf(current);
  if (index === -1)
    throw new SubsonicError(ERROR.generic, `the current song ${current!.slice(0, 30)} is not in the queue`);
  saved(db, view, p, user, index);
  return {};
}

export function savePlayQueueByIndex(db: Db, view: View, p: Params, user: string): Fields {
  saved(db, view, p, user, p.int('currentIndex', undefined, 0, Number.MAX_SAFE_INTEGER) ?? null);
  return {};
}

/** No queue saved: an empty one as old as can be, so a client never prefers it to its own (the
 *  description requires the element). */
const NONE = (user: string): Fields => ({ username: user, changed: iso(0), changedBy: '', entry: [] });

export function getPlayQueue(db: Db, view: View, user: string): Fields {
  const queue = savedQueue(db, user);
  if (!queue) return { playQueue: NONE(user) };
  return {
    playQueue: {
      current: queue.current === null ? undefined : trackId(queue.entries[queue.current]!),
      position: queue.position,
      username: user,
      changed: iso(queue.changedAt),
      changedBy: queue.changedBy,
      entry: entries(view, queue),
    },
  };
}

export function getPlayQueueByIndex(db: Db, view: View, user: string): Fields {
  const queue = savedQueue(db, user);
  if (!queue) return { playQueueByIndex: NONE(user) };
  return {
    playQueueByIndex: {
      currentIndex: queue.current ?? undefined,
      position: queue.position,
      username: user,
      changed: iso(queue.changedAt),
      changedBy: queue.changedBy,
      entry: entries(view, queue),
    },
  };
}

export function createBookmark(db: Db, view: View, p: Params, user: string): Fields {
  const track = findTrack(view, p.required('id'));
  const position = p.int('position', undefined, 0, MAX_POSITION_MS);
  if (position === undefined)
    throw new SubsonicError(ERROR.missing, 'required parameter "position" is missing');
  saveBookmark(db, user, track.id, position, p.get('comment') ?? null);
  return {};
}

export function removeBookmark(db: Db, view: View, p: Params, user: string): Fields {
  deleteBookmark(db, user, findTrack(view, p.required('id')).id);
  return {};
}

export function getBookmarks(db: Db, view: View, user: string): Fields {
  return {
    bookmarks: {
      bookmark: bookmarksOf(db, user).flatMap((b) => {
        const t = view.track(b.fileId);
        if (!t) return [];
        return [
          {
            position: b.position,
            username: user,
            comment: b.comment ?? undefined,
            created: iso(b.createdAt),
            changed: iso(b.changedAt),
            entry: song(t, view),
          },
        ];
      }),
    },
  };
}

/** How long a "now playing" notice stands without another. */
export const NOW_PLAYING_MS = 15 * 60 * 1000;
/** A reported play counts once this much of the song was heard (last.fm's rule): half of it, at most 4
 *  minutes. */
const COUNTED_SHARE = 0.5;
const COUNTED_MAX_MS = 4 * 60 * 1000;

export type PlaybackState = 'starting' | 'playing' | 'paused' | 'stopped';

interface Playing {
  readonly fileId: number;
  readonly client: string;
  /** When it was last told of. */
  at: number;
  state: PlaybackState;
  positionMs: number;
  rate: number;
  /** Milliseconds heard while playing, over this session. */
  heard: number;
  counted: boolean;
}

/**
 * What each user plays now: told by a scrobble that is no submission, or by the playbackReport extension's
 * timeline (starting, playing, paused, stopped). A reported session counts as a play once enough of the
 * song was heard at the rate reported, once, unless the client asks it not to (ignoreScrobble).
 */
export class NowPlaying {
  readonly #byUser = new Map<string, Playing>();

  note(user: string, fileId: number, client: string, at = Date.now()): void {
    this.#byUser.set(user, this.#fresh(fileId, client, 'playing', 0, 1, at));
  }

  #fresh(fileId: number, client: string, state: PlaybackState, positionMs: number, rate: number, at: number) {
    return { fileId, client: client.slice(0, 100), at, state, positionMs, rate, heard: 0, counted: false };
  }

  /** Takes in a report; returns the file to count a play for, when this report completes one. */
  report(
    user: string,
    report: {
      fileId: number;
      durationMs: number | null;
      client: string;
      state: PlaybackState;
      positionMs: number;
      rate: number;
      ignoreScrobble: boolean;
    },
    at = Date.now(),
  ): number | undefined {
    const { fileId, client, state, positionMs, rate } = report;
    let p = this.#byUser.get(user);
    if (!p || p.fileId !== fileId || state === 'starting') {
      p = this.#fresh(fileId, client, state, positionMs, rate, at);
      this.#byUser.set(user, p);
    } else {
      if (p.state === 'playing') p.heard += Math.max(0, at - p.at) * p.rate;
      Object.assign(p, { at, state, positionMs, rate });
    }
    const enough = Math.min(COUNTED_MAX_MS, (report.durationMs ?? Number.POSITIVE_INFINITY) * COUNTED_SHARE);
    if (report.ignoreScrobble || p.counted || p.heard < enough) return undefined;
    p.counted = true;
    return fileId;
  }

  answer(view: View, now = Date.now()): Fields {
    const entry: Fields[] = [];
    for (const [user, n] of this.#byUser) {
      if (now - n.at > NOW_PLAYING_MS || n.state === 'stopped') {
        if (now - n.at > NOW_PLAYING_MS) this.#byUser.delete(user);
        continue;
      }
      const t = view.track(n.fileId);
      if (!t) continue;
      // Where it is now, as reported and moved on at its rate while playing.
      const position = n.positionMs + (n.state === 'playing' ? (now - n.at) * n.rate : 0);
      entry.push({
        ...song(t, view),
        username: user,
        minutesAgo: Math.floor((now - n.at) / 60_000),
        playerId: 0,
        playerName: n.client,
        state: n.state,
        positionMs: Math.round(Math.min(position, (t.duration ?? Number.POSITIVE_INFINITY) * 1000)),
        playbackRate: n.rate,
      });
    }
    return { nowPlaying: { entry } };
  }
}

const STATES: readonly PlaybackState[] = ['starting', 'playing', 'paused', 'stopped'];

/** reportPlayback (the playbackReport extension): a song's timeline; a play is counted once enough of it
 *  was heard. */
export function reportPlayback(db: Db, view: View, p: Params, user: string, nowPlaying: NowPlaying): Fields {
  const track = findMedia(view, p);
  const state = p.required('state') as PlaybackState;
  if (!STATES.includes(state)) throw new SubsonicError(ERROR.generic, `state is one of ${STATES.join(', ')}`);
  const positionMs = p.int('positionMs', undefined, 0, MAX_POSITION_MS);
  if (positionMs === undefined)
    throw new SubsonicError(ERROR.missing, 'required parameter "positionMs" is missing');
  const rate = p.decimal('playbackRate', 0.01, 16) ?? 1;
  const counted = nowPlaying.report(user, {
    fileId: track.id,
    durationMs: track.duration === null ? null : track.duration * 1000,
    client: p.get('c') ?? '',
    state,
    positionMs,
    rate,
    ignoreScrobble: p.bool('ignoreScrobble', false),
  });
  if (counted !== undefined) recordPlays(db, [{ id: counted, at: Date.now() }]);
  return {};
}
