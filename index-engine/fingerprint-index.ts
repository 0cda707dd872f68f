// One named index: recovery (manifest + write-ahead log replay), group-committed updates, memory segments
// checkpointed into file segments, background file merges, searches on immutable segment snapshots.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findDoc, liveAcross, mergeDocTables } from './doc-table.ts';
import { IndexError } from './errors.ts';
import { FileSegment } from './file-segment.ts';
import { HitCounter } from './hit-counter.ts';
import type { IndexOptions } from './index-options.ts';
import { type Manifest, readManifest, writeManifest } from './manifest.ts';
import { MANIFEST_FILE } from './manifest-file.ts';
import { MemorySegment } from './memory-segment.ts';
import { findMerge, type MergeRange } from './merge-policy.ts';
import { type MergeRetry, mergeFailed, mergeSucceeded, readMergeRetry } from './merge-retry.ts';
import { Oplog } from './oplog.ts';
import { type Query, type SearchHit, type SearchOptions, searchSegmentsMany } from './search.ts';
import { mergeMetadata, type Segment } from './segment.ts';
import { SEGMENT_VERSION } from './segment-file-format.ts';
import type { MergeTask } from './segment-merge.ts';
import { type SegmentSummary, SegmentWriter } from './segment-writer.ts';
import { checkDocId, type Transaction, toChanges, type UpdateRequest } from './transaction.ts';
import type { VerifiedSegments } from './verified-segments.ts';

/** What an index needs from whoever hosts it. */
export interface IndexHost {
  /** Runs a file merge somewhere that does not block this thread (the merge worker). */
  merge(task: MergeTask): Promise<SegmentSummary>;
  /** Reports what the index repaired or could not do: recovery, failed checkpoints, failed merges. */
  warn(message: string): void;
  /** The segment files its owner's engines verified already (verified-segments.ts). */
  readonly verified?: VerifiedSegments;
  /** A merge found a page of a segment damaged (no search had read it): the owner sets the index aside, as
   *  when a search finds one. Without it, the merge is retried later as any failed merge. */
  damaged?(error: IndexError): void;
}

export interface IndexStats {
  readonly min_doc_id: number;
  readonly max_doc_id: number;
  readonly num_segments: number;
  readonly num_docs: number;
}

export interface SegmentInfo {
  readonly kind: 'memory' | 'file';
  readonly version: number;
  readonly merges: number;
  readonly min_doc_id: number;
  readonly max_doc_id: number;
}

export interface IndexCounters {
  checkpoints: number;
  memoryMerges: number;
  fileMerges: number;
  /** Posting blocks of file segments read by searches. */
  postingBlocksRead: number;
}

export interface Snapshot {
  readonly generation: number;
  readonly segments: readonly { readonly info: SegmentInfo; readonly path: string; readonly size: number }[];
  release(): void;
}

/** A segment's file name, from its versions; a file rewritten alone in the current format (#olderFormat)
 *  has its input's versions, so the format is added: the input must stay until the manifest names the new. */
const segmentName = (s: { minVersion: number; maxVersion: number }, rewrite = false) =>
  `${String(s.minVersion).padStart(16, '0')}-${String(s.maxVersion).padStart(16, '0')}${rewrite ? `-v${SEGMENT_VERSION}` : ''}.seg`;

function segmentInfo(s: Segment): SegmentInfo {
  const ids = s.docs.ids;
  return {
    kind: s.kind,
    version: s.maxVersion,
    merges: s.merges,
    min_doc_id: ids.length ? ids[0]! : 0,
    max_doc_id: ids.length ? ids[ids.length - 1]! : 0,
  };
}

export class FingerprintIndex {
  readonly dir: string;
  readonly options: IndexOptions;
  readonly counters: IndexCounters = { checkpoints: 0, memoryMerges: 0, fileMerges: 0, postingBlocksRead: 0 };
  readonly #host: IndexHost;
  readonly #oplog: Oplog;
  readonly #counter = new HitCounter();
  #generation: number;
  #version: number;
  #fileVersion: number;
  #files: FileSegment[];
  #memory: MemorySegment[] = [];
  /** Oldest → newest: file segments, then memory segments. Replaced, never mutated (search snapshots). */
  #all: readonly Segment[] = [];
  /** Documents that are not tombstones, counted when first asked (info; liveAcross: every segment's
   *  documents, 16 million at a million tracks), which a scan's grouping, opening the index for its own
   *  time and never asking, would pay at every open; then kept by each update. */
  #liveDocs: number | undefined;
  #merging = false;
  #closed = false;
  /** When a failed file merge may run again (no checkpoint starts it sooner), kept across opens. */
  #retry: MergeRetry;
  #checkpointTimer: NodeJS.Timeout | undefined;
  readonly #pins = new Map<FileSegment, number>();
  readonly #retired = new Set<FileSegment>();

  private constructor(dir: string, options: IndexOptions, host: IndexHost, manifest: Manifest) {
    this.dir = dir;
    this.options = options;
    this.#host = host;
    this.#generation = manifest.generation;
    this.#fileVersion = manifest.checkpointVersion;
    this.#files = manifest.segments.map((s) => FileSegment.load(join(dir, s.file), host.verified));
    removeOrphans(dir, new Set(manifest.segments.map((s) => s.file)));
    this.#retry = readMergeRetry(dir);
    const replay = Oplog.open(join(dir, 'oplog'), manifest.checkpointVersion, options.oplogMaxFileBytes);
    this.#oplog = replay.oplog;
    for (const w of replay.warnings) host.warn(w);
    this.#version = manifest.checkpointVersion;
    this.#refresh();
    if (replay.transactions.length > 0) this.#apply(MemorySegment.fromTransactions(replay.transactions));
    this.#maybeCheckpoint();
    // Only once the index has opened whole: a timer of an index that failed to open must start nothing.
    if (this.#retry.at > Date.now()) this.#retryAt(this.#retry.at - Date.now());
    this.#scheduleFileMerge();
  }

  /** Creates an empty index in `dir` (which must not hold one). */
  static create(dir: string, options: IndexOptions, host: IndexHost): FingerprintIndex {
    mkdirSync(dir, { recursive: true });
    writeManifest(dir, { format: 1, generation: 1, checkpointVersion: 0, segments: [] });
    return new FingerprintIndex(dir, options, host, readManifest(dir));
  }

  static open(dir: string, options: IndexOptions, host: IndexHost): FingerprintIndex {
    return new FingerprintIndex(dir, options, host, readManifest(dir));
  }

  get version(): number {
    return this.#version;
  }

  get generation(): number {
    return this.#generation;
  }

  /**
   * Applies update requests in order as consecutive transactions with one log write and one fsync (group
   * commit). Each request gets its version or its own error; a log failure fails them all.
   */
  update(requests: readonly UpdateRequest[]): (number | IndexError)[] {
    this.#checkOpen();
    const results: (number | IndexError)[] = [];
    const txs: Transaction[] = [];
    let version = this.#version;
    for (const req of requests) {
      try {
        if (req.expectedVersion !== undefined && req.expectedVersion !== version)
          throw new IndexError(
            'VersionMismatch',
            `index is at version ${version}, not ${req.expectedVersion}`,
          );
        txs.push({ version: version + 1, changes: toChanges(req) });
        results.push(++version);
      } catch (err) {
        if (!(err instanceof IndexError)) throw err;
        results.push(err);
      }
    }
    if (txs.length === 0) return results;
    // Built before the log append (as acoustid-index does): a failure here leaves nothing in the log, so
    // the log never holds a write that was not applied.
    const segment = MemorySegment.fromTransactions(txs);
    try {
      this.#oplog.append(txs);
    } catch (err) {
      const e = err instanceof IndexError ? err : new IndexError('IoError', String(err));
      return results.map((r) => (typeof r === 'number' ? e : r));
    }
    this.#apply(segment);
    // Merging memory segments that are about to be checkpointed would be wasted work.
    if (!this.#maybeCheckpoint()) this.#mergeMemory();
    return results;
  }

  search(query: Query, options: SearchOptions = {}, startedAt?: number): SearchHit[] {
    return this.searchMany([query], options, startedAt)[0]!;
  }

  /** Several queries, swept through the segments together; results in the order of `queries`. */
  searchMany(queries: readonly Query[], options: SearchOptions = {}, startedAt?: number): SearchHit[][] {
    this.#checkOpen();
    for (const query of queries)
      if (!(query instanceof Uint32Array))
        for (const t of query)
          if (!Number.isInteger(t) || t < 0 || t > 0xffffffff)
            throw new IndexError('BadRequest', 'query terms must be u32 values');
    try {
      return searchSegmentsMany(this.#all, queries, options, this.#counter, startedAt);
    } finally {
      this.counters.postingBlocksRead = this.#counter.blocksRead;
    }
  }

  /** The version that last wrote `id`, or null when it is absent or deleted. */
  documentVersion(id: number): number | null {
    this.#checkOpen();
    checkDocId(id);
    const found = lookup(this.#all, id);
    return found && found.segment.docs.deleted[found.at] === 0
      ? found.segment.docs.versions[found.at]!
      : null;
  }

  info(): { version: number; metadata: Record<string, string>; stats: IndexStats } {
    this.#checkOpen();
    let min = 0;
    let max = 0;
    for (const s of this.#all) {
      const ids = s.docs.ids;
      if (ids.length === 0) continue;
      if (min === 0 || ids[0]! < min) min = ids[0]!;
      if (ids[ids.length - 1]! > max) max = ids[ids.length - 1]!;
    }
    return {
      version: this.#version,
      metadata: Object.fromEntries(mergeMetadata(this.#all)),
      stats: {
        min_doc_id: min,
        max_doc_id: max,
        num_segments: this.#all.length,
        num_docs: this.#liveCount(),
      },
    };
  }

  segments(): SegmentInfo[] {
    return this.#all.map(segmentInfo);
  }

  status(): { generation: number; version: number; file_version: number } {
    return { generation: this.#generation, version: this.#version, file_version: this.#fileVersion };
  }

  /** Postings held in memory segments (not yet checkpointed). */
  get memoryPostings(): number {
    return this.#memory.reduce((n, s) => n + s.postingCount, 0);
  }

  get mergeRunning(): boolean {
    return this.#merging;
  }

  /**
   * Checkpoints everything, then pins the file segments so that they outlive merges until `release()`:
   * a consistent point-in-time export.
   */
  snapshot(): Snapshot {
    this.#checkOpen();
    this.checkpoint();
    const files = [...this.#files];
    for (const f of files) this.#pin(f);
    let released = false;
    return {
      generation: this.#generation,
      segments: files.map((f) => ({ info: segmentInfo(f), path: f.path, size: f.byteSize })),
      release: () => {
        if (released) return;
        released = true;
        for (const f of files) this.#unpin(f);
      },
    };
  }

  /** Writes all memory segments to one file segment and truncates the log. Throws on I/O failure. */
  checkpoint(): void {
    this.#checkOpen();
    if (this.#memory.length === 0) return;
    const memory = this.#memory;
    const maxVersion = memory[memory.length - 1]!.maxVersion;
    const range = { minVersion: memory[0]!.minVersion, maxVersion };
    const path = join(this.dir, segmentName(range));
    const writer = new SegmentWriter(path, this.options.blockSize);
    let segment: FileSegment;
    try {
      MemorySegment.forEachMerged(memory, (term, id) => writer.add(term, id));
      writer.finish({
        ...range,
        // Nothing older than the first file segment exists, so its tombstones would hide nothing.
        docs: mergeDocTables(
          memory.map((s) => s.docs),
          this.#files.length === 0,
        ),
        metadata: mergeMetadata(memory),
        merges: Math.max(...memory.map((s) => s.merges)),
      });
      // Read back (from the page cache), its tables checked and its pages as searches read them: what
      // searches use is exactly what a restart will load.
      segment = FileSegment.load(path, this.#host.verified);
    } catch (err) {
      writer.abort();
      rmSync(path, { force: true });
      throw err instanceof IndexError ? err : new IndexError('IoError', `checkpoint failed: ${String(err)}`);
    }
    const files = [...this.#files, segment];
    this.#commitManifest(files, maxVersion);
    this.#files = files;
    this.#memory = [];
    this.#fileVersion = maxVersion;
    this.#refresh();
    this.#oplog.truncate(maxVersion);
    this.counters.checkpoints++;
    clearTimeout(this.#checkpointTimer);
    this.#checkpointTimer = undefined;
    this.#scheduleFileMerge();
  }

  /** Stops timers and closes the log. A merge in flight finishes in the worker; its output is discarded. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#checkpointTimer);
    this.#oplog.close();
    for (const f of this.#files) f.release();
  }

  #checkOpen(): void {
    if (this.#closed) throw new IndexError('IndexClosed', `index ${this.dir} is closed`);
  }

  #liveCount(): number {
    this.#liveDocs ??= liveAcross(this.#all.map((s) => s.docs));
    return this.#liveDocs;
  }

  /** Keeps the live-document count, once counted, through `seg`: each touched id's state compared before
   *  and after its transactions. */
  #count(seg: MemorySegment): void {
    if (this.#liveDocs === undefined) return;
    const { ids, deleted } = seg.docs;
    for (let i = 0; i < ids.length; i++) {
      const before = lookup(this.#all, ids[i]!);
      const wasLive = before !== null && before.segment.docs.deleted[before.at] === 0;
      this.#liveDocs += (deleted[i] === 0 ? 1 : 0) - (wasLive ? 1 : 0);
    }
  }

  /** Adds the memory segment of committed transactions. */
  #apply(seg: MemorySegment): void {
    this.#count(seg);
    this.#memory = [...this.#memory, seg];
    this.#version = seg.maxVersion;
    this.#refresh();
    this.#checkpointTimer ??= setTimeout(
      () => this.#maybeCheckpoint(true),
      this.options.checkpointAgeMs,
    ).unref();
  }

  #mergeMemory(): void {
    for (;;) {
      const range = findMerge(
        this.#memory.map((s) => s.postingCount),
        this.options.memoryMerges,
      );
      if (!range) return;
      const merged = MemorySegment.merge(this.#memory.slice(range.start, range.end));
      this.#memory = [...this.#memory.slice(0, range.start), merged, ...this.#memory.slice(range.end)];
      this.counters.memoryMerges++;
      this.#refresh();
    }
  }

  /** Checkpoints when memory segments are big or old enough; true when it did. */
  #maybeCheckpoint(byAge = false): boolean {
    if (this.#closed || this.#memory.length === 0) return false;
    const old = Date.now() - this.#memory[0]!.createdAt >= this.options.checkpointAgeMs;
    if (!byAge && !old && this.memoryPostings < this.options.checkpointPostings) return false;
    try {
      this.checkpoint();
      return true;
    } catch (err) {
      // The writes are safe in the log; retry on the next update or timer tick.
      this.#host.warn(`checkpoint failed, will retry: ${(err as Error).message}`);
      clearTimeout(this.#checkpointTimer);
      this.#checkpointTimer = setTimeout(() => this.#maybeCheckpoint(true), 1000).unref();
      return false;
    }
  }

  #scheduleFileMerge(): void {
    if (this.#merging || this.#closed || Date.now() < this.#retry.at) return;
    const range =
      findMerge(
        this.#files.map((s) => s.postingCount),
        this.options.fileMerges,
      ) ?? this.#olderFormat();
    if (!range) return;
    const inputs = this.#files.slice(range.start, range.end);
    const output = join(
      this.dir,
      segmentName(
        { minVersion: inputs[0]!.minVersion, maxVersion: inputs.at(-1)!.maxVersion },
        inputs.length === 1,
      ),
    );
    this.#merging = true;
    for (const f of inputs) this.#pin(f);
    this.#host
      .merge({
        inputs: inputs.map((f) => f.path),
        output,
        blockSize: this.options.blockSize,
        dropTombstones: range.start === 0,
      })
      .then(() => {
        if (this.#closed) return;
        const merged = FileSegment.load(output, this.#host.verified);
        const start = this.#files.indexOf(inputs[0]!);
        const files = [...this.#files.slice(0, start), merged, ...this.#files.slice(start + inputs.length)];
        this.#commitManifest(files, this.#fileVersion);
        this.#files = files;
        this.#refresh();
        this.counters.fileMerges++;
        // No search reaches them now (searches run on this thread, over #all); their files stay while
        // pinned.
        for (const f of inputs) {
          f.release();
          this.#retired.add(f);
        }
      })
      .then(
        () => {
          this.#merging = false;
          // Closed meanwhile, the merge was not taken in (and the folder may be a new index's by now).
          if (this.#closed) return;
          if (this.#retry.failures > 0) this.#retry = mergeSucceeded(this.dir);
          this.#scheduleFileMerge();
        },
        (err: unknown) => {
          rmSync(output, { force: true });
          this.#merging = false;
          if (this.#closed) return;
          // Retrying would read the same damaged page again, and every merge after it wait behind it.
          if ((err as { code?: unknown }).code === 'CorruptSegment' && this.#host.damaged)
            return this.#host.damaged(new IndexError('CorruptSegment', (err as Error).message));
          // Retry later, not in a loop: a full disk or a broken file will not heal in a microsecond.
          const retry = mergeFailed(this.dir, this.#retry);
          this.#retry = retry;
          this.#host.warn(
            `merge into ${output} failed, will retry in ${retry.waitMs / 1000} s: ${(err as Error).message}`,
          );
          this.#retryAt(retry.waitMs);
        },
      )
      .finally(() => {
        for (const f of inputs) this.#unpin(f);
      });
  }

  /** A file of an earlier format, when no merge is due: rewritten alone, as a merge of one, so an index an
   *  earlier release made gets its pages' checksums once (its opens had read every block) and keeps none
   *  of the older code's paths in use for long. */
  #olderFormat(): MergeRange | null {
    const i = this.#files.findIndex((f) => f.header.version !== SEGMENT_VERSION);
    return i < 0 ? null : { start: i, end: i + 1 };
  }

  /** Tries the merges again in `ms`. The time is lifted when the timer fires, as a timer's clock may run
   *  a little behind Date.now(): a retry that found itself early would set no timer again. */
  #retryAt(ms: number): void {
    setTimeout(() => {
      this.#retry = { ...this.#retry, at: 0 };
      this.#scheduleFileMerge();
    }, ms).unref();
  }

  #commitManifest(files: readonly FileSegment[], checkpointVersion: number): void {
    const generation = this.#generation + 1;
    writeManifest(this.dir, {
      format: 1,
      generation,
      checkpointVersion,
      segments: files.map((f) => ({
        file: f.path.slice(this.dir.length + 1),
        minVersion: f.minVersion,
        maxVersion: f.maxVersion,
      })),
    });
    this.#generation = generation;
  }

  #pin(f: FileSegment): void {
    this.#pins.set(f, (this.#pins.get(f) ?? 0) + 1);
  }

  /** Releases one pin; a segment merged away is deleted when its last pin goes. */
  #unpin(f: FileSegment): void {
    const n = (this.#pins.get(f) ?? 1) - 1;
    if (n > 0) {
      this.#pins.set(f, n);
      return;
    }
    this.#pins.delete(f);
    if (this.#retired.delete(f)) rmSync(f.path, { force: true });
  }

  #refresh(): void {
    this.#all = [...this.#files, ...this.#memory];
  }
}

/** The newest segment entry for `id`. */
function lookup(segments: readonly Segment[], id: number): { segment: Segment; at: number } | null {
  for (let s = segments.length - 1; s >= 0; s--) {
    const docs = segments[s]!.docs;
    const n = docs.ids.length;
    if (n === 0 || id < docs.ids[0]! || id > docs.ids[n - 1]!) continue;
    const at = findDoc(docs, id);
    if (at >= 0) return { segment: segments[s]!, at };
  }
  return null;
}

/** Deletes segment files no manifest names (a crashed checkpoint's or merge's output) and temp files. */
function removeOrphans(dir: string, keep: ReadonlySet<string>): void {
  for (const name of readdirSync(dir)) {
    if (name === MANIFEST_FILE) continue;
    if ((name.endsWith('.seg') && !keep.has(name)) || name.endsWith('.tmp'))
      rmSync(join(dir, name), { force: true });
  }
}
