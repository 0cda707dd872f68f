// The full-text index's writes queued to the end of a batch (full-text-writes.ts): a batch of files is one
// segment of the index instead of one a file, and what a file shows last is what is found, once.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { writeTransaction } from '../../app/core/db/write-lock.ts';
import { IngestWriter } from '../../app/core/library/ingest.ts';
import { ftsTrigrams } from '../../app/core/library/query-sql.ts';
import { flacRecord } from '../fixtures/tagged-library.ts';
import { tempDir } from '../helpers.ts';

const NOW = Date.now();
const stat = (n: number, path = `/music/Album ${n >> 4}/${n}.flac`) => ({
  path,
  size: 1_000_000,
  mtimeMs: NOW,
  inode: n + 1,
});
const read = (n: number) => ({
  track: flacRecord({
    size: 1_000_000,
    duration: 180,
    tags: { title: [`Song ${n}`], artist: ['Zydeco Band'] },
  }),
});

/** 256 new files written in transactions of 64, their full-text writes batched or made one by one. */
function library(batched: boolean): { db: Db; writer: IngestWriter; root: number } {
  const db = openDatabase(join(tempDir(), 'library.db'));
  const writer = new IngestWriter(db);
  const root = writeTransaction(db, () => writer.ensureRoot('/music', NOW));
  for (let b = 0; b < 4; b++)
    writeTransaction(db, () => {
      const write = () => {
        for (let n = b * 64; n < (b + 1) * 64; n++) writer.write(root, stat(n), read(n), NOW, true);
      };
      if (batched) writer.batch(write);
      else write();
    });
  return { db, writer, root };
}

/** The files the index holds every trigram of `word` for. */
const found = (db: Db, word: string) =>
  db
    .prepare('SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid')
    .pluck()
    .all(ftsTrigrams(word)) as number[];
const pages = (db: Db) => db.prepare('SELECT count(*) FROM search_data').pluck().get() as number;
const intact = (db: Db) => db.exec("INSERT INTO search (search) VALUES ('integrity-check')");

describe('full-text writes of a batch', () => {
  it('leave a segment a batch, not one a file, and every file is found', () => {
    const batched = library(true).db;
    const each = library(false).db;
    for (const db of [batched, each]) {
      expect(found(db, 'Zydeco Band')).toHaveLength(256);
      expect(found(db, 'Song 200')).toHaveLength(1);
      intact(db);
    }
    // Made file by file, 256 segments (FTS5 merging each 16 at a level as they come): 26 pages here, 14 batched.
    expect(pages(batched)).toBeLessThan(pages(each));
  });

  it('index a file written and then moved in the same batch once, at its new path', () => {
    const { db, writer, root } = library(true);
    writeTransaction(db, () =>
      writer.batch(() => {
        writer.write(root, stat(1000), read(1000), NOW, true);
        const id = db.prepare("SELECT id FROM files WHERE path LIKE '%/1000.flac'").pluck().get() as number;
        writer.move(id, root, stat(1000, '/music/Elsewhere/moved.flac'), NOW);
        // A file indexed before the batch, moved in it: its old entry goes.
        writer.move(1, root, stat(0, '/music/Elsewhere/first.flac'), NOW);
      }),
    );
    expect(found(db, 'Song 1000')).toHaveLength(1);
    expect(found(db, 'Elsewhere')).toHaveLength(2);
    expect(found(db, 'Album 0')).toHaveLength(15); // 16 files, one of them moved out
    expect(found(db, 'Zydeco Band')).toHaveLength(257);
    intact(db);
  });

  it('are dropped with a batch that throws, its transaction rolled back', () => {
    const { db, writer, root } = library(true);
    expect(() =>
      writeTransaction(db, () =>
        writer.batch(() => {
          writer.write(root, stat(2000), read(2000), NOW, true);
          throw new Error('stop');
        }),
      ),
    ).toThrow('stop');
    writeTransaction(db, () => writer.batch(() => writer.write(root, stat(3000), read(3000), NOW, true)));
    expect(found(db, 'Song 2000')).toEqual([]);
    expect(found(db, 'Song 3000')).toHaveLength(1);
    intact(db);
  });
});
