import { execFileSync } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { IndexError } from '../../../index-engine/errors.ts';
import { FingerprintIndex, type IndexHost } from '../../../index-engine/fingerprint-index.ts';
import { DEFAULT_INDEX_OPTIONS, type IndexOptions } from '../../../index-engine/index-options.ts';
import { MemorySegment } from '../../../index-engine/memory-segment.ts';
import type { SearchHit, SearchOptions } from '../../../index-engine/search.ts';
import { decodeHeader, sectionOffsets } from '../../../index-engine/segment-file-format.ts';
import { mergeSegments } from '../../../index-engine/segment-merge.ts';
import type { UpdateRequest } from '../../../index-engine/transaction.ts';
import { asVersion1 } from '../../fixtures/segment-version-1.ts';
import { lcg, tempDir } from '../../helpers.ts';

/** Small thresholds so a few hundred documents exercise memory merges, checkpoints and file merges. */
const SMALL: IndexOptions = {
  ...DEFAULT_INDEX_OPTIONS,
  blockSize: 64,
  checkpointPostings: 400,
  memoryMerges: { segmentsPerLevel: 3, floor: 40, maxSegments: 8 },
  fileMerges: { segmentsPerLevel: 3, floor: 400, maxSegments: 10 },
};

/** Merges in this thread (asynchronously, like the merge worker); warnings are collected. */
const warnings: string[] = [];
const inThreadHost: IndexHost = {
  async merge(task) {
    await new Promise((r) => setImmediate(r));
    return mergeSegments(task);
  },
  warn: (message) => warnings.push(message),
};

const open: FingerprintIndex[] = [];
function track(index: FingerprintIndex): FingerprintIndex {
  open.push(index);
  return index;
}
afterEach(() => {
  for (const i of open.splice(0)) i.close();
});

// A descriptor closed twice: the second close may close a file another thread has opened since under the
// same number (in the backend, a SQLite connection beside the index's worker). Node says so in a warning.
const closedTwice: string[] = [];
const onWarning = (w: Error) => {
  if (/closed but not opened/.test(w.message)) closedTwice.push(w.message);
};
beforeAll(() => {
  process.on('warning', onWarning);
});
afterAll(async () => {
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  expect(closedTwice).toEqual([]);
});

async function settle(index: FingerprintIndex): Promise<void> {
  while (index.mergeRunning) await new Promise((r) => setTimeout(r, 5));
}

/** The spec's search rules applied to the live documents by brute force. */
function reference(docs: ReadonlyMap<number, number[]>, query: number[], o: SearchOptions = {}): SearchHit[] {
  const q = new Set(query);
  const minScore = o.minScore ?? Math.trunc((query.length + 19) / 20);
  const limit = Math.min(100, Math.max(1, o.limit ?? 40));
  const candidates = [...docs]
    .map(([id, hashes]) => ({ id, score: hashes.filter((h) => q.has(h)).length }))
    .filter((c) => c.score >= Math.max(1, minScore))
    .sort((a, b) => b.score - a.score || a.id - b.id);
  const out: SearchHit[] = [];
  let bar = minScore;
  for (const c of candidates) {
    if (c.score < bar) break;
    out.push(c);
    if (out.length === 1) bar = Math.max(minScore, Math.trunc((c.score * (o.scorePct ?? 10)) / 100));
    if (out.length === limit) break;
  }
  return out;
}

describe('FingerprintIndex', () => {
  it('matches a brute-force reference through inserts, updates, deletes, checkpoints, merges and reopen', async () => {
    const dir = tempDir();
    let index = track(FingerprintIndex.create(dir, SMALL, inThreadHost));
    const live = new Map<number, number[]>();
    const rand = lcg(42, 8);
    const hashesFor = () => Array.from({ length: 5 + (rand() % 25) }, () => rand() % 300);
    const check = () => {
      const queries: number[][] = [];
      for (let k = 0; k < 15; k++) {
        const ids = [...live.keys()];
        const base = ids.length ? live.get(ids[rand() % ids.length]!)! : [];
        const query = [...base.slice(0, 20), rand() % 300, rand() % 300, ...base.slice(0, k % 4)];
        const options: SearchOptions = [{}, { minScore: 1, scorePct: 50 }, { limit: 3 }][k % 3]!;
        expect(index.search(query, options)).toEqual(reference(live, query, options));
        queries.push(query);
      }
      // All at once, 20 times over: sweeps of 256 whose queries share terms and repeat their own, the
      // second sweep on tables the first one used.
      const many = Array.from({ length: 20 }, () => queries).flat();
      expect(index.searchMany(many, { limit: 5 })).toEqual(many.map((q) => reference(live, q, { limit: 5 })));
    };
    for (let round = 0; round < 60; round++) {
      const changes: UpdateRequest['changes'][number][] = [];
      for (let c = 0; c < 1 + (rand() % 6); c++) {
        const id = 1 + (rand() % 120);
        if (rand() % 5 === 0) {
          changes.push({ op: 'delete', id });
          live.delete(id);
        } else {
          const hashes = hashesFor();
          changes.push({ op: 'insert', id, hashes });
          live.set(id, hashes);
        }
      }
      expect(index.update([{ changes }])).toEqual([round + 1]);
      // Counted once half-way (the count is made when first asked): from then on kept by each update.
      if (round === 29) expect(index.info().stats.num_docs).toBe(live.size);
      if (round % 10 === 9) {
        check();
        await settle(index);
      }
    }
    check();
    expect(index.counters.checkpoints).toBeGreaterThan(0);
    expect(index.counters.memoryMerges).toBeGreaterThan(0);
    expect(index.counters.fileMerges).toBeGreaterThan(0);
    expect(index.info().stats.num_docs).toBe(live.size);
    for (const [id] of live) expect(index.documentVersion(id)).not.toBeNull();

    await settle(index);
    index.close();
    index = track(FingerprintIndex.open(dir, SMALL, inThreadHost));
    expect(index.version).toBe(60);
    // Updated before anything asks its count: the count made then covers them.
    const [gone] = live.keys();
    live.delete(gone!);
    live.set(121, [1, 2, 3]);
    index.update([
      {
        changes: [
          { op: 'delete', id: gone! },
          { op: 'insert', id: 121, hashes: [1, 2, 3] },
        ],
      },
    ]);
    expect(index.info().stats.num_docs).toBe(live.size);
    check();
  });

  it("rewrites an earlier release's files in the current format, each once, when no merge is due", async () => {
    const dir = tempDir();
    // Three checkpoints of one level below a merge: three file segments, no merge due.
    const options = { ...SMALL, fileMerges: { segmentsPerLevel: 4, floor: 100_000, maxSegments: 10 } };
    let index = track(FingerprintIndex.create(dir, options, inThreadHost));
    const live = new Map<number, number[]>();
    const rand = lcg(5, 8);
    for (let seg = 0; seg < 3; seg++) {
      const changes = Array.from({ length: 40 }, (_, i) => {
        const hashes = Array.from({ length: 20 }, () => rand() % 500);
        live.set(seg * 40 + i + 1, hashes);
        return { op: 'insert' as const, id: seg * 40 + i + 1, hashes };
      });
      index.update([{ changes }]);
      index.checkpoint();
    }
    index.close();
    const files = () =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.seg'))
        .sort();
    const versions = () => files().map((f) => readFileSync(join(dir, f))[7]! - 0x30); // "SLVSEG0n"
    expect(versions()).toEqual([2, 2, 2]);
    // Opened again as they are: nothing to do.
    index = track(FingerprintIndex.open(dir, options, inThreadHost));
    await settle(index);
    expect(index.counters.fileMerges).toBe(0);
    index.close();

    for (const f of files().slice(0, 2)) asVersion1(join(dir, f));
    expect(versions()).toEqual([1, 1, 2]);
    index = track(FingerprintIndex.open(dir, options, inThreadHost));
    const query = live.get(77)!.slice(0, 12);
    expect(index.search(query)).toEqual(reference(live, query));
    await settle(index);
    expect(index.counters.fileMerges).toBe(2);
    expect(versions()).toEqual([2, 2, 2]);
    expect(index.search(query)).toEqual(reference(live, query));
    expect(index.info().stats.num_docs).toBe(live.size);
  });

  it('reads exactly the posting blocks that can hold the query terms (a counting guard)', () => {
    // One file segment of ~2,500 blocks (64-byte blocks, 40,000 postings over 2^20 terms): a term's
    // postings lie in one block, or run on into the next ones.
    const dir = tempDir();
    const options = { ...SMALL, checkpointPostings: 1_000_000 };
    const index = track(FingerprintIndex.create(dir, options, inThreadHost));
    const rnd = lcg(11, 12);
    const docs = Array.from({ length: 2000 }, () => Array.from({ length: 20 }, () => rnd()));
    // A hash 300 documents share: its postings run over several blocks.
    for (const hashes of docs.slice(0, 300)) hashes[0] = 123_456;
    index.update([{ changes: docs.map((hashes, i) => ({ op: 'insert' as const, id: i + 1, hashes })) }]);
    index.checkpoint();
    const before = index.counters.postingBlocksRead;
    const query = docs[41]!.slice(0, 10);
    expect(index.search(query, { minScore: 5 })[0]).toEqual({ id: 42, score: 10 });
    // What the file says each term needs: the first block whose largest term reaches it, and each next
    // block while the one before ends on the term (its postings run on).
    const segments = readdirSync(dir).filter((f) => f.endsWith('.seg'));
    expect(segments).toHaveLength(1);
    const bytes = readFileSync(join(dir, segments[0]!));
    const header = decodeHeader(bytes, segments[0]!);
    const at = sectionOffsets(header).maxTerms;
    const maxTerm = (i: number) => bytes.readUInt32LE(at + 4 * i);
    let needed = 0;
    for (const term of new Set(query)) {
      let i = 0;
      while (maxTerm(i) < term) i++;
      needed++;
      while (i + 1 < header.numBlocks && maxTerm(i) === term) {
        i++;
        needed++;
      }
    }
    expect(needed).toBeGreaterThan(new Set(query).size + 5); // the shared hash's run of blocks counts
    expect(index.counters.postingBlocksRead - before).toBe(needed);
  });

  it('gives consecutive versions, checks expected_version, and keeps one version per transaction', () => {
    const index = track(FingerprintIndex.create(tempDir(), SMALL, inThreadHost));
    const results = index.update([
      { changes: [{ op: 'insert', id: 1, hashes: [1, 2, 3] }] },
      { changes: [{ op: 'insert', id: 2, hashes: [1] }], expectedVersion: 0 },
      { changes: [{ op: 'delete', id: 1 }], expectedVersion: 1, metadata: { a: 'b' } },
      { changes: [{ op: 'insert', id: 0, hashes: [] }] },
    ]);
    expect(results[0]).toBe(1);
    expect((results[1] as IndexError).code).toBe('VersionMismatch');
    expect(results[2]).toBe(2);
    expect((results[3] as IndexError).code).toBe('InvalidFingerprintId');
    expect(index.version).toBe(2);
    expect(index.documentVersion(1)).toBeNull();
    expect(index.info().metadata).toEqual({ a: 'b' });
    expect(index.update([{ changes: [{ op: 'insert', id: 7, hashes: [9] }] }])).toEqual([3]);
    expect(index.documentVersion(7)).toBe(3);
  });

  it('an update replaces all hashes; a repeated hash scores twice; the query is a set', () => {
    const index = track(FingerprintIndex.create(tempDir(), SMALL, inThreadHost));
    index.update([{ changes: [{ op: 'insert', id: 5, hashes: [1, 2, 3, 3] }] }]);
    expect(index.search([3, 3, 3], { minScore: 1 })).toEqual([{ id: 5, score: 2 }]);
    index.checkpoint();
    index.update([{ changes: [{ op: 'insert', id: 5, hashes: [10, 11] }] }]);
    expect(index.search([1, 2, 3], { minScore: 1 })).toEqual([]);
    expect(index.search([10, 11], { minScore: 1 })).toEqual([{ id: 5, score: 2 }]);
  });

  it('treats timeout 0 as the default, not as already expired', () => {
    const index = track(FingerprintIndex.create(tempDir(), SMALL, inThreadHost));
    index.update([{ changes: [{ op: 'insert', id: 3, hashes: [1, 2] }] }]);
    expect(index.search([1, 2], { timeout: 0 })).toEqual([{ id: 3, score: 2 }]);
    expect(() => index.search([1, 2], { timeout: 5 }, performance.now() - 10)).toThrow(/timed out/);
  });

  it('rejects query terms that are not u32', () => {
    const index = track(FingerprintIndex.create(tempDir(), SMALL, inThreadHost));
    expect(() => index.search([-1])).toThrow(IndexError);
    expect(() => index.search([2 ** 32])).toThrow(/u32/);
  });

  it('a snapshot keeps its segment files until released, even when they are merged away', async () => {
    const dir = tempDir();
    const index = track(
      FingerprintIndex.create(
        dir,
        { ...SMALL, fileMerges: { ...SMALL.fileMerges, segmentsPerLevel: 3 } },
        inThreadHost,
      ),
    );
    index.update([{ changes: [{ op: 'insert', id: 1, hashes: [1] }] }]);
    index.checkpoint();
    index.update([{ changes: [{ op: 'insert', id: 2, hashes: [2] }] }]);
    const snap = index.snapshot();
    expect(snap.segments.length).toBe(2);
    index.update([{ changes: [{ op: 'insert', id: 3, hashes: [3] }] }]);
    index.checkpoint(); // third small segment: the three merge
    await settle(index);
    expect(index.segments().length).toBe(1);
    for (const s of snap.segments) expect(existsSync(s.path)).toBe(true);
    snap.release();
    for (const s of snap.segments) expect(existsSync(s.path)).toBe(false);
    expect(index.search([1, 2, 3], { minScore: 1 }).map((h) => h.id)).toEqual([1, 2, 3]);
  });

  it('searches its segments where the page cache holds them: each live file mapped, a merged one unmapped at once, none after close', async () => {
    const dir = tempDir();
    const index = FingerprintIndex.create(
      dir,
      { ...SMALL, fileMerges: { ...SMALL.fileMerges, segmentsPerLevel: 3 } },
      inThreadHost,
    );
    /** How many of this process's mappings are of each segment file in `dir`. */
    const mapped = () => {
      const counts = new Map<string, number>();
      for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n'))
        if (line.includes(`${dir}/`)) {
          const file = line.slice(line.indexOf(dir));
          counts.set(file, (counts.get(file) ?? 0) + 1);
        }
      return counts;
    };
    index.update([{ changes: [{ op: 'insert', id: 1, hashes: [1] }] }]);
    index.checkpoint();
    index.update([{ changes: [{ op: 'insert', id: 2, hashes: [2] }] }]);
    index.checkpoint();
    const snap = index.snapshot();
    expect(mapped()).toEqual(new Map(snap.segments.map((s) => [s.path, 1])));
    index.update([{ changes: [{ op: 'insert', id: 3, hashes: [3] }] }]);
    index.checkpoint(); // third small segment: the three merge
    await settle(index);
    const merged = index.snapshot();
    expect(merged.segments.length).toBe(1);
    // The merged-away files are still there (the first snapshot pins them), but no longer mapped.
    for (const s of snap.segments) expect(existsSync(s.path)).toBe(true);
    expect(mapped()).toEqual(new Map([[merged.segments[0]!.path, 1]]));
    expect(index.search([1, 2, 3], { minScore: 1 }).map((h) => h.id)).toEqual([1, 2, 3]);
    snap.release();
    merged.release();
    index.close();
    expect(mapped()).toEqual(new Map());
  });

  it('recovers acknowledged writes from the log when closed without a checkpoint', () => {
    const dir = tempDir();
    const a = FingerprintIndex.create(dir, DEFAULT_INDEX_OPTIONS, inThreadHost);
    a.update([{ changes: [{ op: 'insert', id: 9, hashes: [4, 5, 6] }], metadata: { k: 'v' } }]);
    a.close();
    const b = track(FingerprintIndex.open(dir, DEFAULT_INDEX_OPTIONS, inThreadHost));
    expect(b.version).toBe(1);
    expect(b.search([4, 5, 6])).toEqual([{ id: 9, score: 3 }]);
    expect(b.info().metadata).toEqual({ k: 'v' });
  });

  it('builds a write before logging it: a failure while building leaves nothing in the log', () => {
    const dir = tempDir();
    const a = FingerprintIndex.create(dir, DEFAULT_INDEX_OPTIONS, inThreadHost);
    a.update([{ changes: [{ op: 'insert', id: 1, hashes: [1, 2, 3] }] }]);
    const build = vi.spyOn(MemorySegment, 'fromTransactions').mockImplementationOnce(() => {
      throw new RangeError('Array buffer allocation failed');
    });
    expect(() => a.update([{ changes: [{ op: 'insert', id: 2, hashes: [7, 8, 9] }] }])).toThrow(RangeError);
    build.mockRestore();
    expect(a.version).toBe(1);
    expect(a.search([7, 8, 9])).toEqual([]);
    a.close();
    const b = track(FingerprintIndex.open(dir, DEFAULT_INDEX_OPTIONS, inThreadHost));
    expect(b.version).toBe(1);
    expect(b.search([7, 8, 9])).toEqual([]);
    expect(b.update([{ changes: [{ op: 'insert', id: 2, hashes: [7, 8, 9] }] }])).toEqual([2]);
    expect(b.search([7, 8, 9])).toEqual([{ id: 2, score: 3 }]);
  });

  it('retries a failed file merge later and later, whatever checkpoints come meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      let merges = 0;
      const failing: IndexHost = {
        async merge() {
          merges++;
          throw new Error('no space left on device');
        },
        warn: (message) => warnings.push(message),
      };
      const dir = tempDir();
      let index = track(FingerprintIndex.create(dir, SMALL, failing));
      // Each write fills a checkpoint (400 postings); three segments call for a merge.
      const write = (id: number) =>
        index.update([
          { changes: [{ op: 'insert', id, hashes: Array.from({ length: 400 }, (_, k) => id * 1000 + k) }] },
        ]);
      for (const id of [1, 2, 3]) write(id);
      await vi.advanceTimersByTimeAsync(0);
      expect(merges).toBe(1);
      write(4);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(merges).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(merges).toBe(2);
      write(5);
      await vi.advanceTimersByTimeAsync(19_999);
      expect(merges).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(merges).toBe(3);
      expect(warnings.at(-1)).toMatch(/failed, will retry in 40 s: no space left on device/);
      // The next engine on the index (the next scan's) waits the same, then longer.
      index.close();
      index = track(FingerprintIndex.open(dir, SMALL, failing));
      await vi.advanceTimersByTimeAsync(39_999);
      expect(merges).toBe(3);
      await vi.advanceTimersByTimeAsync(1);
      expect(merges).toBe(4);
      expect(warnings.at(-1)).toMatch(/will retry in 80 s/);
      // Once one succeeds, nothing is held back.
      index.close();
      await vi.advanceTimersByTimeAsync(80_000);
      index = track(FingerprintIndex.open(dir, SMALL, inThreadHost));
      await vi.advanceTimersByTimeAsync(0);
      await vi.waitFor(() => expect(index.mergeRunning).toBe(false));
      expect(readdirSync(dir).filter((f) => !f.endsWith('.seg') && f !== 'oplog')).toEqual(['manifest.json']);
      expect(index.segments()).toHaveLength(3); // the three merged into one, then two more
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a torn log tail through the host and keeps the records before it', () => {
    const dir = tempDir();
    const a = FingerprintIndex.create(dir, DEFAULT_INDEX_OPTIONS, inThreadHost);
    a.update([{ changes: [{ op: 'insert', id: 1, hashes: [1] }] }]);
    a.update([{ changes: [{ op: 'insert', id: 2, hashes: [2] }] }]);
    a.close();
    const log = join(dir, 'oplog', readdirSync(join(dir, 'oplog'))[0]!);
    truncateSync(log, statSync(log).size - 3);
    warnings.length = 0;
    const b = track(FingerprintIndex.open(dir, DEFAULT_INDEX_OPTIONS, inThreadHost));
    expect(b.version).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/torn or corrupt tail/)]);
  });

  it('removes orphaned segment files left by a crash between writing a segment and the manifest', () => {
    const dir = tempDir();
    track(FingerprintIndex.create(dir, SMALL, inThreadHost)).close();
    writeFileSync(join(dir, '0000000000000001-0000000000000009.seg'), 'half a merge');
    writeFileSync(join(dir, 'x.seg.tmp'), 'half a checkpoint');
    track(FingerprintIndex.open(dir, SMALL, inThreadHost));
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'oplog']);
  });
});

/** A tiny tmpfs so the disk really fills up (needs root; skipped otherwise). */
function smallDisk(): string | null {
  const dir = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return null;
  }
}

const disk = process.getuid?.() === 0 ? smallDisk() : null;

describe.skipIf(disk === null)('on a full disk', () => {
  afterEach(() => {
    if (disk) execFileSync('umount', ['-l', disk]);
  });

  it('fails the write with an I/O error, stays consistent and recovers once space is free', async () => {
    const dir = join(disk!, 'idx');
    const filler = join(disk!, 'filler');
    writeFileSync(filler, Buffer.alloc(900 * 1024));
    const index = track(FingerprintIndex.create(dir, { ...SMALL, checkpointPostings: 1e9 }, inThreadHost));
    const acked = new Map<number, number[]>();
    let failure: IndexError | undefined;
    for (let id = 1; id < 10_000 && !failure; id++) {
      const hashes = Array.from({ length: 100 }, (_, i) => id * 1000 + i);
      const [r] = index.update([{ changes: [{ op: 'insert', id, hashes }] }]);
      if (typeof r === 'number') acked.set(id, hashes);
      else failure = r;
    }
    expect(failure?.code).toBe('IoError');
    expect(failure?.message).toMatch(/ENOSPC/);
    const version = index.version;
    expect(version).toBe(acked.size);
    const [someId, someHashes] = [...acked][acked.size >> 1]!;
    expect(index.search(someHashes)[0]).toEqual({ id: someId, score: 100 });
    expect(() => index.checkpoint()).toThrow(IndexError); // no room for a segment either

    rmSync(filler);
    expect(index.update([{ changes: [{ op: 'insert', id: 99_999, hashes: [1] }] }])).toEqual([version + 1]);
    index.checkpoint();
    index.close();
    const reopened = track(FingerprintIndex.open(dir, SMALL, inThreadHost));
    expect(reopened.version).toBe(version + 1);
    for (const [id, hashes] of acked) expect(reopened.search(hashes)[0]?.id).toBe(id);
  });
});
