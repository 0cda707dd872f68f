// The LanceDB table of track vectors in the Sleeve home (<home>/similarity, table "tracks"): one row per
// file with a current embedding, its recording group and a few folded tags to filter on. It is a cache of
// the library database: similarity-sync.ts keeps it in step, and any damage is repaired by rebuilding it.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as LanceDb from '@lancedb/lancedb';
import type * as Arrow from 'apache-arrow';
import { requireTogether } from '../../../kit/package-bundles.ts';

// LanceDB's native module is 200 MB: loaded on first use, not by every CLI command that imports this.
// It sets up its Rust logger when it loads, and logs warnings ("No existing dataset … will be created")
// to stderr unless LANCEDB_LOG says otherwise: so it is loaded after setting that (which reaches the
// logger from a main thread only; the launcher sets it for the threads). It is CommonJS and
// checks Arrow types with instanceof, so Arrow must be the CommonJS copy it requires too, not
// apache-arrow's ES module build (two copies of every class): both come from one bundle where it was
// built (kit/package-bundles.ts).
let modules: { readonly lancedb: typeof LanceDb; readonly arrow: typeof Arrow } | undefined;

export function lance(): { readonly lancedb: typeof LanceDb; readonly arrow: typeof Arrow } {
  if (!modules) {
    process.env.LANCEDB_LOG ??= 'error';
    const required = requireTogether('lance', createRequire(import.meta.url));
    modules = {
      lancedb: required['@lancedb/lancedb'] as typeof LanceDb,
      arrow: required['apache-arrow'] as typeof Arrow,
    };
  }
  return modules;
}

const TABLE = 'tracks';
/** Below this many rows an exact scan answers within a few milliseconds and is always right. */
export const ANN_MIN_ROWS = 10_000;
/** An index is retrained once the table has grown this much past the rows it was trained on. */
const RETRAIN_GROWTH = 1.5;
/** Partitions probed per query: enough to compare about 6,000 vectors exactly (partitions hold about
 *  √rows each: 19 at 100k rows, 6 at 1M), at least 4. A query's cost is mostly the partitions it reads
 *  into LanceDB's cache the first time: at 1M rows, 20 probes gave a first pass of 200 queries p99
 *  53 ms and 6 probes 38 ms, each with recall@10 1.000 on the benchmark's vectors (`bench -- similar
 *  --probes`); 0.998 at 100k with 19. */
const MIN_PROBES = 4;
const PROBED_ROWS = 6000;
/** Compaction once a table has this many fragments (each sync that writes adds one or two). */
const MAX_FRAGMENTS = 32;
const INDEX_PREFIX = 'vector_rows_';
/** How SimilarityTable.search asks. */
export interface SearchOptions {
  limit: number;
  filter?: string | undefined;
  /** The filter may leave few rows (a user's --where). Applied first to the nearest rows found, asked
   *  for SELECTIVE_WIDEN times as many: a filter that keeps a fair share of the rows finds its nearest
   *  there without being evaluated on every row (at 1M rows, 250 ms a query). When they hold too few,
   *  it is applied to every row before the search, probing further partitions until enough match. */
  selective?: boolean;
  exact?: boolean;
  /** The filter applied to the nearest rows found, not to every row before: for a filter that
   *  leaves out a few rows, asked with `limit` raised by as many. At 1M rows, a filter applied
   *  first was evaluated on every row: 88 ms a query, against ~10 at 100k. */
  after?: boolean;
}

/** Partitions a query probes in an index trained on `rows`: enough for about PROBED_ROWS vectors. */
export function probesFor(rows: number): number {
  return Math.max(MIN_PROBES, Math.ceil(PROBED_ROWS / Math.sqrt(rows || 1)));
}

/** How many more of the nearest rows a selective filter is first applied to: a filter keeping a twentieth
 *  of the rows finds about as many matches there as asked for. */
const SELECTIVE_WIDEN = 20;

/** Text columns hold folded (lower-case) values, several joined by a newline, '' when absent. */
export const TEXT_COLUMNS = ['title', 'artist', 'albumartist', 'album', 'genre', 'format'] as const;
export type TextColumn = (typeof TEXT_COLUMNS)[number];

// A type, not an interface: LanceDB takes records (an interface has no index signature).
export type SimilarityRow = {
  readonly file_id: number;
  readonly vector: Float32Array;
  readonly duration: number | null;
  readonly group_id: number | null;
  readonly year: number | null;
  readonly title: string;
  readonly artist: string;
  readonly albumartist: string;
  readonly album: string;
  readonly genre: string;
  readonly format: string;
};

export interface Neighbour {
  readonly fileId: number;
  /** Cosine distance, 0 (same direction) to 2. */
  readonly distance: number;
}

export type IndexAction = 'none' | 'built' | 'retrained' | 'dropped' | 'compacted';

function schema(dimension: number): Arrow.Schema {
  const { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } = lance().arrow;
  return new Schema([
    new Field('file_id', new Int32(), false),
    new Field('vector', new FixedSizeList(dimension, new Field('item', new Float32(), true)), false),
    new Field('duration', new Float32(), true),
    new Field('group_id', new Int32(), true),
    new Field('year', new Int32(), true),
    ...TEXT_COLUMNS.map((c) => new Field(c, new Utf8(), false)),
  ]);
}

export class SimilarityTable {
  readonly #table: LanceDb.Table;
  /** Rows the vector index was trained on (its name says), 0 when there is none. */
  #trainedOn = 0;

  private constructor(table: LanceDb.Table) {
    this.#table = table;
  }

  static async #wrap(table: LanceDb.Table): Promise<SimilarityTable> {
    const t = new SimilarityTable(table);
    await t.#readIndex();
    return t;
  }

  async #readIndex(): Promise<LanceDb.IndexConfig | undefined> {
    const index = (await this.#table.listIndices()).find((i) => i.columns.includes('vector'));
    this.#trainedOn = index ? Number(index.name.slice(INDEX_PREFIX.length)) || 0 : 0;
    return index;
  }

  /**
   * Opens the table, or creates it empty. `problem` says why an existing one could not be used (it was
   * then replaced by an empty one): the caller refills it from the library database.
   */
  static async open(dir: string, dimension: number): Promise<{ table: SimilarityTable; problem?: string }> {
    // Every read checks for versions other processes committed (the CLI and the backend both write).
    const db = await lance().lancedb.connect(dir, { readConsistencyInterval: 0 });
    let problem: string | undefined;
    if ((await db.tableNames()).includes(TABLE)) {
      try {
        const table = await db.openTable(TABLE);
        const field = (await table.schema()).fields.find((f) => f.name === 'vector');
        const width = field?.type instanceof lance().arrow.FixedSizeList ? field.type.listSize : -1;
        if (width === dimension) {
          await table.countRows(); // reads the manifest and fragments' metadata: damage shows here
          return { table: await SimilarityTable.#wrap(table) };
        }
        problem = `it holds ${width}-dimensional vectors, the extractor makes ${dimension}`;
        table.close();
      } catch (err) {
        problem = `it cannot be read (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
      }
      rmSync(join(dir, `${TABLE}.lance`), { recursive: true, force: true });
    }
    const table = await db.createEmptyTable(TABLE, schema(dimension), { mode: 'overwrite' });
    const wrapped = await SimilarityTable.#wrap(table);
    return problem === undefined ? { table: wrapped } : { table: wrapped, problem };
  }

  close(): void {
    this.#table.close();
  }

  count(): Promise<number> {
    return this.#table.countRows();
  }

  /** Replaces the rows of these files (deleting first, so a file is never in the table twice). */
  async upsert(rows: readonly SimilarityRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.remove(rows.map((r) => r.file_id));
    await this.add(rows);
  }

  /** Adds rows of files the table does not hold (after `clear`, say). */
  async add(rows: readonly SimilarityRow[]): Promise<void> {
    if (rows.length > 0)
      await this.#table.add(rows as SimilarityRow[] as unknown as Record<string, unknown>[]);
  }

  async remove(fileIds: readonly number[]): Promise<void> {
    for (let i = 0; i < fileIds.length; i += 10_000)
      await this.#table.delete(`file_id IN (${fileIds.slice(i, i + 10_000).join(',')})`);
  }

  async clear(): Promise<void> {
    await this.#table.delete('true');
  }

  /**
   * Keeps the approximate index fitting the table: none below ANN_MIN_ROWS (exact scans), IVF trained on
   * the current rows past it, retrained once the table outgrows them (rows added since are found by an
   * exact scan of the unindexed part, which LanceDB merges in); compaction when fragments pile up.
   */
  async maintain(): Promise<IndexAction> {
    const rows = await this.count();
    const index = await this.#readIndex();
    if (rows < ANN_MIN_ROWS) {
      if (!index) return this.#compact();
      await this.#table.dropIndex(index.name);
      await this.#table.optimize({ cleanupOlderThan: new Date() });
      this.#trainedOn = 0;
      return 'dropped';
    }
    if (index && rows < this.#trainedOn * RETRAIN_GROWTH) return this.#compact();
    await this.#table.optimize({ cleanupOlderThan: new Date() }); // compact first: training reads every row
    if (index) await this.#table.dropIndex(index.name);
    await this.#table.createIndex('vector', {
      name: `${INDEX_PREFIX}${rows}`,
      config: lance().lancedb.Index.ivfFlat({
        distanceType: 'cosine',
        numPartitions: Math.round(Math.sqrt(rows)),
      }),
    });
    this.#trainedOn = rows;
    return index ? 'retrained' : 'built';
  }

  async #compact(): Promise<IndexAction> {
    const stats = await this.#table.stats();
    if (stats.fragmentStats.numFragments <= MAX_FRAGMENTS) return 'none';
    await this.#table.optimize({ cleanupOlderThan: new Date() });
    return 'compacted';
  }

  /** Nearest rows by cosine distance; `filter` is a LanceDB SQL condition, applied as the options say. */
  async search(vector: Float32Array, options: SearchOptions): Promise<Neighbour[]> {
    if (options.selective && !options.exact && !options.after && this.#trainedOn > 0) {
      const near = await this.#search(vector, {
        ...options,
        limit: options.limit * SELECTIVE_WIDEN,
        after: true,
        selective: false,
      });
      if (near.length >= options.limit) return near.slice(0, options.limit);
    }
    return this.#search(vector, options);
  }

  async #search(vector: Float32Array, options: SearchOptions): Promise<Neighbour[]> {
    const partitions = Math.round(Math.sqrt(this.#trainedOn));
    const probes = probesFor(this.#trainedOn);
    let query = this.#table
      .vectorSearch(vector)
      .distanceType('cosine')
      .select(['file_id', '_distance'])
      .limit(options.limit)
      // Both at once, then the most: LanceDB refuses a least above the most it holds, or a most below
      // the least (20 until told).
      .nprobes(probes);
    if (options.selective) query = query.maximumNprobes(Math.max(probes, partitions));
    if (options.filter) query = query.where(options.filter);
    if (options.after) query = query.postfilter();
    if (options.exact) query = query.bypassVectorIndex();
    const rows = (await query.toArray()) as Array<{ file_id: number; _distance: number }>;
    return rows.map((r) => ({ fileId: r.file_id, distance: r._distance }));
  }
}
