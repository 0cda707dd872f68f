// The mount's playlists as their worker thread (playlist-worker.ts) renders them, on its own read-only
// connection, so that the daemon's JS thread keeps answering opens and saves while a smart playlist runs
// its query. Told which files changed, it works out which playlists those can reach, and renders only
// them: a playlist changed itself; a file it lists (or a copy standing in for one) changed or moved; a
// smart one's query matches a changed file or one of its copies (only such a file can join it, or let a
// copy in by no longer matching); the kept copies moved. Served paths are the daemon's tree's: it asks
// for those it does not hold (playlist-files.ts answers), and keeps each file's path and label until that
// file changes or moves.
import { createHash } from 'node:crypto';
import { textReadsClock } from '../../shared/query-clock.ts';
import type { Db } from '../db/database.ts';
import { readTransaction } from '../db/read-transaction.ts';
import { filesByIds, matchingAmong } from '../library/list.ts';
import { formatM3u8, itemLabel } from '../library/m3u8.ts';
import { listPlaylists, type Playlist, playlistTracks } from '../library/playlists.ts';
import { nameKey, sanitizeComponent } from '../served/path-template.ts';

export type RenderRequest =
  /** The files that changed or moved since the last plan; null: everything (the start, or after a failure).
   *  `minute`: the daemon's clock (query-clock.ts: clockMinute), in which a query that reads it is rendered anew. */
  | { readonly op: 'plan'; readonly changed: readonly number[] | null; readonly minute: number }
  /** The served paths of the files last asked for, in that order (null: not served). */
  | { readonly op: 'paths'; readonly paths: ReadonlyArray<string | null> };

export type RenderReply = { readonly need: number[] } | RenderDone;

export interface RenderDone {
  /** Every playlist, in the folder's order, with its file name. */
  readonly lists: ReadonlyArray<{ readonly id: number; readonly name: string }>;
  /** The names of the playlists rendered. */
  readonly rendered: readonly string[];
  /** The new text of those whose text changed (and of every new one). */
  readonly files: ReadonlyArray<{ readonly id: number; readonly bytes: Uint8Array }>;
  /** What could not be rendered, one line each (a playlist is then served empty). */
  readonly problems: readonly string[];
  /** Whether a smart playlist's query reads the clock (`added:-1w..`): it is rendered again each minute. */
  readonly clock: boolean;
}

const MAX_NAME_BYTES = 255;
/** Room left in a name for " (99)", when names sanitized alike collide. */
const SUFFIX_ROOM = 8;
const EXTENSION = '.m3u8';

/** What the worker knows of a playlist it rendered. */
interface Rendered {
  /** Its definition: when it changes, the playlist is rendered again. */
  readonly key: string;
  /** Files whose change can change its text, beyond a list's own entries (found in the database): a
   *  smart playlist's tracks, and the copies that may stand in for a track the mount does not serve. */
  readonly deps: ReadonlySet<number>;
  /** Whether a track of it is not served: another kept copy may then stand in for it. */
  readonly unserved: boolean;
  readonly digest: string;
}

/** A render under way: the playlists to render, their tracks, and the paths asked for. */
interface Job {
  readonly lists: RenderDone['lists'];
  readonly todo: ReadonlyArray<{ readonly p: Playlist; readonly tracks: readonly number[] }>;
  /** The playlists not rendered again, as they were. */
  readonly kept: ReadonlyMap<number, Rendered>;
  readonly problems: string[];
  /** The files whose paths were asked for last, and what they were asked for. */
  asked: number[];
  stage: 'tracks' | 'copies';
  /** Copies of the tracks the mount does not serve. */
  copies: Map<number, number[]>;
  /** Each playlist's definition as of this render (keyOf). */
  readonly keys: ReadonlyMap<number, string>;
  readonly clock: boolean;
}

/** A playlist's definition, and the minute for a query that reads the clock (else null): each minute, a
 *  new one. */
const keyOf = (p: Playlist, minute: number | null) =>
  JSON.stringify([p.name, p.query, p.limit, p.changedAt, minute]);
const readsClock = (p: Playlist) => p.query !== null && textReadsClock(p.query);

export class PlaylistRenderer {
  readonly #db: Db;
  readonly #rendered = new Map<number, Rendered>();
  /** Each file's served path (null: not served) and label, as last asked or read. */
  readonly #paths = new Map<number, string | null>();
  readonly #labels = new Map<number, { duration: number | null; label: string }>();
  #copiesSeq = -1;
  #job: Job | undefined;

  constructor(db: Db) {
    this.#db = db;
  }

  answer(request: RenderRequest): RenderReply {
    if (request.op === 'plan') return this.#plan(request.changed, request.minute);
    const job = this.#job;
    if (!job) throw new Error('paths came with no render under way');
    job.asked.forEach((id, i) => {
      this.#paths.set(id, request.paths[i] ?? null);
    });
    return this.#advance(job);
  }

  /** Which playlists `changed` reaches, and their tracks; then the paths not known yet, if any. */
  #plan(changed: readonly number[] | null, minute: number): RenderReply {
    this.#job = undefined;
    const job: Job = readTransaction(this.#db, () => {
      if (changed === null) {
        this.#paths.clear();
        this.#labels.clear();
        this.#rendered.clear();
      } else
        for (const id of changed) {
          this.#paths.delete(id);
          this.#labels.delete(id);
        }
      const playlists = listPlaylists(this.#db);
      const clocked = new Set(playlists.filter(readsClock));
      const keys = new Map(playlists.map((p) => [p.id, keyOf(p, clocked.has(p) ? minute : null)]));
      const seq = this.#db.prepare('SELECT seq FROM copies_state').pluck().get() as number;
      const reaches = this.#reaches(changed ?? [], seq !== this.#copiesSeq, keys);
      this.#copiesSeq = seq;
      const problems: string[] = [];
      const todo: Array<Job['todo'][number]> = [];
      const kept = new Map<number, Rendered>();
      for (const p of playlists) {
        const was = this.#rendered.get(p.id);
        if (was && !reaches(p, was)) kept.set(p.id, was);
        else todo.push({ p, tracks: this.#tracks(p, problems) });
      }
      return {
        lists: names(playlists),
        todo,
        kept,
        problems,
        asked: [],
        stage: 'tracks' as const,
        copies: new Map(),
        keys,
        clock: clocked.size > 0,
      };
    });
    if (job.lists.length === 0) {
      // No playlist: nothing worth keeping.
      this.#paths.clear();
      this.#labels.clear();
    }
    this.#job = job;
    return (
      this.#ask(
        job,
        job.todo.flatMap((t) => t.tracks),
      ) ?? this.#advance(job)
    );
  }

  /** After the tracks' paths, the paths of the copies that may stand in for those not served; then the text. */
  #advance(job: Job): RenderReply {
    if (job.stage === 'tracks') {
      job.stage = 'copies';
      const unserved = [...new Set(job.todo.flatMap((t) => t.tracks))].filter((id) => !this.#served(id));
      job.copies = this.#copiesOf(unserved);
      const asked = this.#ask(job, [...job.copies.values()].flat());
      if (asked) return asked;
    }
    return this.#finish(job);
  }

  /** Asks for the paths of those of `ids` not known; undefined when all are. */
  #ask(job: Job, ids: readonly number[]): RenderReply | undefined {
    const need = [...new Set(ids)].filter((id) => !this.#paths.has(id));
    if (need.length === 0) return undefined;
    job.asked = need;
    return { need };
  }

  /** Whether a change of `changed` (and of the kept copies, when `copiesMoved`) can change a playlist's text. */
  #reaches(
    changed: readonly number[],
    copiesMoved: boolean,
    keys: ReadonlyMap<number, string>,
  ): (p: Playlist, was: Rendered) => boolean {
    // Lists that name a changed file (any of their entries, a removed folder's too).
    const listed = new Set(
      changed.length === 0
        ? []
        : (this.#db
            .prepare(
              'SELECT DISTINCT playlist_id FROM playlist_entries WHERE file_id IN (SELECT value FROM json_each(?))',
            )
            .pluck()
            .all(JSON.stringify(changed)) as number[]),
    );
    // The changed files and their copies: a copy ranked above a match can push it out of a smart playlist,
    // and one that stops matching lets it in.
    let widened: number[] | undefined;
    return (p, was) => {
      if (keys.get(p.id) !== was.key) return true;
      if (copiesMoved && (p.query !== null || was.unserved)) return true;
      if (changed.length === 0) return false;
      if (listed.has(p.id) || changed.some((id) => was.deps.has(id))) return true;
      if (p.query === null) return false;
      widened ??= [...new Set([...changed, ...[...this.#copiesOf(changed).values()].flat()])];
      try {
        return matchingAmong(this.#db, p.query, widened).length > 0;
      } catch {
        return true; // a query that no longer runs: run it and say why
      }
    };
  }

  /** A playlist's tracks now; none (and a problem said) when its query cannot run: one bad playlist must
   *  not stop the others. */
  #tracks(p: Playlist, problems: string[]): number[] {
    try {
      return playlistTracks(this.#db, p);
    } catch (err) {
      problems.push(`playlist “${p.name}” is served empty: ${(err as Error).message}`);
      return [];
    }
  }

  #served(id: number): boolean {
    return (this.#paths.get(id) ?? null) !== null;
  }

  /** The other members of each file's recording group (files in no group left out). */
  #copiesOf(ids: readonly number[]): Map<number, number[]> {
    const copies = new Map<number, number[]>();
    if (ids.length === 0) return copies;
    const rows = this.#db
      .prepare(
        `SELECT m.file_id AS id, o.file_id AS copy FROM recording_members m
         JOIN recording_members o ON o.group_id = m.group_id AND o.file_id <> m.file_id
         WHERE m.file_id IN (SELECT value FROM json_each(?)) ORDER BY o.file_id`,
      )
      .raw()
      .all(JSON.stringify(ids)) as Array<[number, number]>;
    for (const [id, copy] of rows) {
      const known = copies.get(id);
      if (known) known.push(copy);
      else copies.set(id, [copy]);
    }
    return copies;
  }

  /** The M3U8 text of each playlist to render: each track by its path in the mount, else by a served
   *  copy's, else left out. */
  #finish(job: Job): RenderDone {
    this.#job = undefined;
    const shownOf = (id: number) =>
      this.#served(id) ? id : job.copies.get(id)?.find((copy) => this.#served(copy));
    const shown = job.todo.map(({ tracks }) =>
      tracks.map(shownOf).filter((id): id is number => id !== undefined),
    );
    const unknown = [...new Set(shown.flat())].filter((id) => !this.#labels.has(id));
    for (const f of filesByIds(this.#db, unknown, ['artist', 'title']))
      this.#labels.set(f.id, { duration: f.duration, label: itemLabel(f.tags, f.path) });
    const files: Array<{ id: number; bytes: Uint8Array }> = [];
    const rendered = new Map(job.kept);
    job.todo.forEach(({ p, tracks }, i) => {
      const text = formatM3u8(
        shown[i]!.map((id) => ({ location: `..${this.#paths.get(id)!}`, ...this.#labels.get(id)! })),
      );
      const bytes = Buffer.from(text);
      const digest = createHash('sha256').update(bytes).digest('base64');
      const deps = new Set(p.query === null ? [] : tracks);
      let unserved = false;
      for (const id of tracks) {
        if (this.#served(id)) continue;
        unserved = true;
        for (const copy of job.copies.get(id) ?? []) deps.add(copy);
      }
      if (this.#rendered.get(p.id)?.digest !== digest) files.push({ id: p.id, bytes });
      rendered.set(p.id, { key: job.keys.get(p.id)!, deps, unserved, digest });
    });
    this.#rendered.clear();
    for (const [id, r] of rendered) this.#rendered.set(id, r);
    return {
      lists: job.lists,
      rendered: job.todo.map((t) => t.p.name),
      files,
      problems: job.problems,
      clock: job.clock,
    };
  }
}

/** Each playlist's file name: its name made safe, with " (2)", " (3)"… when names sanitized alike
 *  collide (in any case or Unicode normalisation: nameKey). */
function names(playlists: readonly Playlist[]): RenderDone['lists'] {
  const taken = new Set<string>();
  return playlists.map((p) => {
    const name = sanitizeComponent(p.name, MAX_NAME_BYTES - EXTENSION.length - SUFFIX_ROOM);
    let candidate = `${name}${EXTENSION}`;
    for (let n = 2; taken.has(nameKey(candidate)); n++) candidate = `${name} (${n})${EXTENSION}`;
    taken.add(nameKey(candidate));
    return { id: p.id, name: candidate };
  });
}
