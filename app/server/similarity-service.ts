// The backend's side of "more like this" and the library map. The LanceDB table is opened on first use
// and brought in step with the library before a search whenever a file it may hold changed (its tags, its
// vector, its group: similarity-sync.ts); syncs and searches run one at a time. The map's projection is
// cached until the embeddings change, its colours until the library does.

import { UserError } from '../../kit/user-error.ts';
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { currentPlaces, otherCopiesIn } from '../core/library/copy-places.ts';
import { matchingIds } from '../core/library/list.ts';
import { embeddingExtractor } from '../core/similar/current-extractor.ts';
import {
  keptCopies,
  type LibraryMap,
  type MapPoint,
  projectionVersion,
  projectLibrary,
} from '../core/similar/library-map.ts';
import { FieldValues, type MapColors } from '../core/similar/map-colors.ts';
import { type SimilarOptions, type SimilarTrack, similarTracks } from '../core/similar/similar.ts';
import { lastDue, syncSimilarity, writingTable } from '../core/similar/similarity-sync.ts';
import { SimilarityTable } from '../core/similar/similarity-table.ts';
import { type PathStep, sonicPath } from '../core/similar/sonic-path.ts';
import {
  MAP_CATEGORIES,
  MAP_NO_VALUE,
  MAP_OTHER,
  MAX_IDS,
  type Params,
  type Result,
} from '../shared/rpc-contract.ts';
import { trackRows } from './track-row.ts';

const base64 = (a: ArrayBufferView): string =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

export class SimilarityService {
  readonly #db: Db;
  readonly #home: Home;
  readonly #log: (line: string) => void;
  #table: Promise<SimilarityTable> | null = null;
  /** The last file noted due for the table (lastDue) when it was last synced: a sync looks only at what
   *  was noted since, and none is needed while nothing was. */
  #syncedAt = -1;
  /** Syncs and searches, in order: a search never sees a half-written sync. */
  #queue: Promise<unknown> = Promise.resolve();
  #projection: { version: number; map: LibraryMap } | null = null;
  #shown: { key: string; map: LibraryMap } | null = null;
  #colors: { key: string; colors: MapColors } | null = null;
  /** Each colour field's values, followed through the change feed (map-colors.ts). */
  readonly #fieldValues = new Map<string, FieldValues>();

  constructor(db: Db, home: Home, log: (line: string) => void) {
    this.#log = log;
    this.#db = db;
    this.#home = home;
  }

  #closed = false;

  #serially<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new UserError('conflict', 'the backend is shutting down'));
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** The table, synced with the library; opening (which may rebuild) and syncing are writes (locked). */
  async #syncedTable(): Promise<SimilarityTable> {
    const key = lastDue(this.#db);
    if (this.#table && key === this.#syncedAt) return this.#table;
    const wait = { onWait: (message: string) => this.#log(`similar: ${message}`) };
    return writingTable(this.#home.similarity, wait, () => this.#openAndSync(key));
  }

  async #openAndSync(key: number): Promise<SimilarityTable> {
    let problem: string | undefined;
    if (!this.#table) {
      this.#table = SimilarityTable.open(this.#home.similarity, embeddingExtractor.dimension).then(
        (opened) => {
          problem = opened.problem;
          return opened.table;
        },
      );
      this.#table.catch(() => {
        this.#table = null; // the next call tries again
      });
    }
    const table = await this.#table;
    if (key !== this.#syncedAt || problem !== undefined) {
      await syncSimilarity(this.#db, table, embeddingExtractor, problem);
      this.#syncedAt = key;
    }
    return table;
  }

  similar({ seeds, limit, includeDuplicates }: Params<'similar.tracks'>): Promise<Result<'similar.tracks'>> {
    const ids = seeds.kind === 'ids' ? seeds.ids : matchingIds(this.#db, seeds.query);
    if (ids.length === 0) throw new UserError('not_found', 'no tracks match to start from');
    if (ids.length > MAX_IDS)
      throw new UserError('bad_request', `${ids.length} tracks to start from; at most ${MAX_IDS}`);
    return this.nearest(ids, { limit, includeDuplicates }).then((found) => {
      const rows = new Map(
        trackRows(
          this.#db,
          found.map((f) => f.fileId),
        ).map((r) => [r.id, r]),
      );
      return {
        seeds: ids.length,
        tracks: found.flatMap((f) => {
          const track = rows.get(f.fileId);
          return track ? [{ distance: f.distance, sameRecording: f.sameRecording, track }] : [];
        }),
      };
    });
  }

  /** The tracks nearest to the seeds' centroid (similar.ts), the table synced first. */
  nearest(seeds: readonly number[], options: SimilarOptions): Promise<SimilarTrack[]> {
    return this.#serially(async () =>
      similarTracks(this.#db, await this.#syncedTable(), embeddingExtractor, seeds, options),
    );
  }

  /** A path through sound from `start` to `end` (sonic-path.ts). */
  path(
    ends: { start: number; end: number; count: number },
    playable: (fileId: number) => boolean,
  ): Promise<PathStep[]> {
    return this.#serially(async () =>
      sonicPath(this.#db, await this.#syncedTable(), embeddingExtractor, ends, playable),
    );
  }

  map(color: Params<'map.points'>['color']): Result<'map.points'> {
    const db = this.#db;
    const version = projectionVersion(db);
    if (this.#projection?.version !== version)
      this.#projection = { version, map: projectLibrary(db, embeddingExtractor) };
    // The copies kept: ranked again for the recordings touched since (copy-places.ts), so a copy's first
    // edit costs a filter of the points, not a projection.
    const places = currentPlaces(db);
    const shownKey = `${version}/${places.seq}`;
    if (this.#shown?.key !== shownKey)
      this.#shown = { key: shownKey, map: keptCopies(this.#projection.map, otherCopiesIn(places)) };
    const { points, explained } = this.#shown.map;
    const { categories, categoryOf } = this.#colorsOf(color, points, shownKey);
    const ids = new Int32Array(points.length);
    const xy = new Float32Array(points.length * 2);
    const category = new Uint8Array(points.length);
    points.forEach((p, i) => {
      ids[i] = p.fileId;
      xy[2 * i] = p.x;
      xy[2 * i + 1] = p.y;
      category[i] = categoryOf(p.fileId) ?? MAP_NO_VALUE;
    });
    return {
      count: points.length,
      explained: [explained[0], explained[1]],
      categories: [...categories],
      ids: base64(ids),
      xy: base64(xy),
      category: base64(category),
    };
  }

  /** The colours of the points shown at `shownKey`: made again when they or a file's value changed. */
  #colorsOf(color: string, points: readonly MapPoint[], shownKey: string): MapColors {
    const values = this.#fieldValues.get(color) ?? new FieldValues(color);
    this.#fieldValues.set(color, values);
    values.update(this.#db);
    const key = `${color}/${values.seen}/${shownKey}`;
    if (this.#colors?.key !== key) {
      const ids = points.map((p) => p.fileId);
      this.#colors = { key, colors: values.colors(ids, MAP_CATEGORIES, MAP_OTHER) };
    }
    return this.#colors.colors;
  }

  async close(): Promise<void> {
    this.#closed = true; // nothing new is queued after the work already waiting
    await this.#queue;
    const table = await this.#table?.catch(() => null);
    table?.close();
  }
}
