import { copyFileSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineClosedError, IndexEngine } from '../../index-engine/engine-client.ts';
import { IndexError } from '../../index-engine/errors.ts';
import { checksummedBytes } from '../../index-engine/file-segment.ts';
import {
  decodeHeader,
  FOOTER_BYTES,
  HEADER_BYTES,
  sectionOffsets,
} from '../../index-engine/segment-file-format.ts';
import { VerifiedSegments } from '../../index-engine/verified-segments.ts';
import { tempDir } from '../helpers.ts';

// The same calls answered alike by the engine in its worker thread (the app) and in the caller's thread
// (`sleeve index serve`).
describe.each(['worker', 'caller'] as const)('IndexEngine (engine in the %s thread)', (thread) => {
  const dir = tempDir();
  let engine: IndexEngine;
  afterAll(() => engine.close());

  it('group-commits concurrent updates as consecutive versions', async () => {
    engine = await IndexEngine.open(dir, { maxInFlight: 8, thread });
    await engine.createIndex('a');
    const versions = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        engine.update('a', { changes: [{ op: 'insert', id: i + 1, hashes: [i, i + 1000, 5000] }] }),
      ),
    );
    expect(versions.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect((await engine.info('a')).stats.num_docs).toBe(60);
  });

  it('answers many concurrent searches (in the worker, through a small in-flight window)', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => engine.search('a', [i % 60, (i % 60) + 1000], { minScore: 2 })),
    );
    results.forEach((hits, i) => {
      expect(hits).toEqual([{ id: (i % 60) + 1, score: 2 }]);
    });
  });

  it('searches many queries in one call that sees the updates sent before it', async () => {
    // Neither call is awaited before the next is sent: the update has not been committed when the
    // search arrives, yet the search must see it.
    const updated = engine.update('a', { changes: [{ op: 'insert', id: 500, hashes: [70_000, 70_001] }] });
    const searched = engine.searchMany('a', [Uint32Array.of(70_000, 70_001), [3, 1003], [99_999]], {
      minScore: 2,
    });
    const [version, results] = await Promise.all([updated, searched]);
    expect(version).toBe(61);
    expect(results).toEqual([[{ id: 500, score: 2 }], [{ id: 4, score: 2 }], []]);
    await engine.update('a', { changes: [{ op: 'delete', id: 500 }] });
  });

  it('carries engine errors to the caller with their wire names', async () => {
    const missing = await engine.search('nope', [1]).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(IndexError);
    expect((missing as IndexError).code).toBe('IndexNotFound');
    const conflict = await engine
      .update('a', { changes: [], expectedVersion: 1 })
      .catch((e: unknown) => e as IndexError);
    expect((conflict as IndexError).code).toBe('VersionMismatch');
    const badName = await engine.createIndex('../x').catch((e: unknown) => e as IndexError);
    expect((badName as IndexError).code).toBe('InvalidIndexName');
  });

  it('close checkpoints and refuses further calls; a new engine sees everything', async () => {
    await engine.close();
    await expect(engine.info('a')).rejects.toBeInstanceOf(EngineClosedError);
    engine = await IndexEngine.open(dir, { thread });
    await expect.poll(() => engine.health('a')).toBe('ready'); // indexes on disk load in the background
    expect(await engine.status('a')).toEqual({
      generation: expect.any(Number),
      version: 62,
      file_version: 62,
    });
    expect(await engine.search('a', [7, 1007], { minScore: 2 })).toEqual([{ id: 8, score: 2 }]);
    expect(await engine.deleteIndex('a')).toBe(true);
    expect(await engine.health('a')).toBe('absent');
  });
});

// A long-lived owner's scans each open the engine for their grouping: each segment file's tables are
// checksummed the first time the process opens it, and again only once it is another file (its blocks, a
// page at a time as searches read them: segments.test.ts).
describe('segment files verified once for a process (VerifiedSegments)', () => {
  it('checksums a segment at its first open, and after only one that was written anew', async () => {
    const dir = tempDir();
    const writer = await IndexEngine.open(dir, { thread: 'caller' });
    await writer.createIndex('a');
    const changes = Array.from({ length: 500 }, (_, i) => ({
      op: 'insert' as const,
      id: i + 1,
      hashes: [i, i + 7],
    }));
    await writer.update('a', { changes });
    await writer.close(); // a checkpoint: the documents in a segment file
    const [segment] = readdirSync(join(dir, 'a')).filter((f) => f.endsWith('.seg'));
    const file = readFileSync(join(dir, 'a', segment!));
    const at = sectionOffsets(decodeHeader(file, segment!));
    const body = at.footer - at.checkedFrom;
    expect(body).toBeLessThan(file.length - HEADER_BYTES - FOOTER_BYTES);
    /** The body bytes checksummed by an engine opened (in this thread) with `verified`, which still finds. */
    const checksummed = async (verified?: VerifiedSegments) => {
      const before = checksummedBytes();
      const engine = await IndexEngine.open(dir, { thread: 'caller', verified });
      await expect.poll(() => engine.health('a')).toBe('ready');
      expect(await engine.search('a', [3, 10], { minScore: 2 })).toEqual([{ id: 4, score: 2 }]);
      const bytes = checksummedBytes() - before;
      await engine.close();
      return bytes;
    };
    const kept = new VerifiedSegments();
    expect(body).toBeGreaterThan(0);
    expect(await checksummed(kept)).toBe(body);
    expect(await checksummed(kept)).toBe(0);
    // Another thread's view of the same registry (the engine's worker is given its buffer).
    expect(await checksummed(new VerifiedSegments(kept.buffer))).toBe(0);
    expect(await checksummed()).toBe(body);
    expect(await checksummed(new VerifiedSegments())).toBe(body);
    // The same bytes in another file at its name: not the file verified.
    const copy = join(dir, 'copy');
    copyFileSync(join(dir, 'a', segment!), copy);
    renameSync(copy, join(dir, 'a', segment!));
    expect(await checksummed(kept)).toBe(body);
    expect(await checksummed(kept)).toBe(0);
  });
});

describe('IndexEngine with damaged files on disk', () => {
  it('refuses a corrupt segment or manifest with a clear error and keeps serving the other indexes', async () => {
    const dir = tempDir();
    let engine = await IndexEngine.open(dir);
    for (const name of ['good', 'badseg', 'badtable', 'badmanifest']) {
      await engine.createIndex(name);
      await engine.update(name, { changes: [{ op: 'insert', id: 1, hashes: [1, 2, 3] }] });
    }
    await engine.close(); // checkpoints: every index now has a segment file

    /** Flips a byte of the index's segment file, `at` its offset from `from`; the file's name. */
    const damage = (name: string, from: (file: Buffer) => number, at: number) => {
      const seg = readdirSync(join(dir, name)).find((n) => n.endsWith('.seg'))!;
      const bytes = readFileSync(join(dir, name, seg));
      bytes[from(bytes) + at]! ^= 0xff;
      writeFileSync(join(dir, name, seg), bytes);
      return seg;
    };
    const seg = damage('badseg', () => HEADER_BYTES, 16); // a posting block
    const table = damage('badtable', (f) => sectionOffsets(decodeHeader(f, 'x')).docIds, 0);
    writeFileSync(join(dir, 'badmanifest', 'manifest.json'), '{"format": 1, "segm');

    engine = await IndexEngine.open(dir);
    try {
      // Indexes load in the background, in no particular order.
      const loaded = { timeout: 10_000 };
      await expect.poll(() => engine.health('badtable'), loaded).toBe('failed');
      await expect.poll(() => engine.health('badmanifest'), loaded).toBe('failed');
      await expect.poll(() => engine.health('good'), loaded).toBe('ready');
      // Its tables are checked as it loads, its blocks as a search first reads them: the search that finds
      // one damaged fails, and the index is set aside from then on, as one that failed to load.
      await expect.poll(() => engine.health('badseg'), loaded).toBe('ready');
      for (let search = 0; search < 2; search++) {
        const segErr = (await engine.search('badseg', [1, 2, 3]).catch((e: unknown) => e)) as IndexError;
        expect(segErr.code).toBe('CorruptSegment');
        expect(segErr.message).toContain(seg);
        expect(segErr.message).toContain('answers no more until it is made again');
      }
      expect(await engine.health('badseg')).toBe('failed');
      const tableErr = (await engine.info('badtable').catch((e: unknown) => e)) as IndexError;
      expect(tableErr.code).toBe('CorruptSegment');
      expect(tableErr.message).toContain(table);
      const manErr = (await engine.info('badmanifest').catch((e: unknown) => e)) as IndexError;
      expect(manErr.code).toBe('CorruptManifest');
      expect(await engine.search('good', [1, 2, 3])).toEqual([{ id: 1, score: 3 }]);
    } finally {
      await engine.close();
    }
  });
  it('sets an index aside when a merge finds a damaged page no search had read', async () => {
    const dir = tempDir();
    const engine = await IndexEngine.open(dir, {
      thread: 'caller',
      checkpointPostings: Number.POSITIVE_INFINITY,
      checkpointAgeMs: 86_400_000,
      fileMerges: { segmentsPerLevel: 2, floor: 10, maxSegments: 48 },
    });
    try {
      await engine.createIndex('m');
      const docs = (from: number) =>
        Array.from({ length: 200 }, (_, i) => ({
          op: 'insert' as const,
          id: from + i,
          hashes: Array.from({ length: 30 }, (_, k) => ((from + i) * 7919 + k * 104729) >>> 0),
        }));
      await engine.update('m', { changes: docs(1) });
      await engine.flush('m'); // the first segment
      const [seg] = readdirSync(join(dir, 'm')).filter((n) => n.endsWith('.seg'));
      const bytes = readFileSync(join(dir, 'm', seg!));
      bytes[HEADER_BYTES + 16]! ^= 0xff;
      writeFileSync(join(dir, 'm', seg!), bytes);
      await engine.update('m', { changes: docs(1000) });
      await engine.flush('m'); // the second: the two are merged, the damaged page read
      await expect.poll(() => engine.health('m')).toBe('failed');
      const err = (await engine.info('m').catch((e: unknown) => e)) as IndexError;
      expect(err.code).toBe('CorruptSegment');
      expect(err.message).toMatch(new RegExp(`${seg}.*page 0 does not match its checksum; not merged`));
    } finally {
      await engine.close();
    }
  });
});
