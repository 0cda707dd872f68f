import { appendFileSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Oplog } from '../../../index-engine/oplog.ts';
import type { Transaction } from '../../../index-engine/transaction.ts';
import { tempDir } from '../../helpers.ts';

const tx = (version: number): Transaction => ({
  version,
  changes: [{ op: 'insert', id: version, hashes: Array.from({ length: 50 }, (_, i) => version * 100 + i) }],
});

function writeLog(dir: string, versions: number[], maxFileBytes = 1 << 20): void {
  const { oplog } = Oplog.open(dir, 0, maxFileBytes);
  for (const v of versions) oplog.append([tx(v)]);
  oplog.close();
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const logFiles = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .sort();

describe('write-ahead log', () => {
  it('replays every record after the checkpoint', () => {
    const dir = tempDir();
    writeLog(dir, range(1, 10));
    const r = Oplog.open(dir, 4, 1 << 20);
    expect(r.transactions).toEqual(range(5, 10).map(tx));
    expect(r.warnings).toEqual([]);
  });

  it('stops at a torn tail, keeps earlier records and appends after them', () => {
    const dir = tempDir();
    writeLog(dir, range(1, 5));
    const file = join(dir, logFiles(dir)[0]!);
    truncateSync(file, statSync(file).size - 7); // a write cut short by a crash
    const r = Oplog.open(dir, 0, 1 << 20);
    expect(r.transactions.map((t) => t.version)).toEqual([1, 2, 3, 4]);
    expect(r.warnings[0]).toMatch(/torn or corrupt tail/);
    r.oplog.append([tx(5)]);
    r.oplog.close();
    expect(Oplog.open(dir, 0, 1 << 20).transactions.map((t) => t.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('stops at a record whose checksum does not match', () => {
    const dir = tempDir();
    writeLog(dir, range(1, 3));
    const file = join(dir, logFiles(dir)[0]!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff; // inside record 3's payload
    writeFileSync(file, bytes);
    expect(Oplog.open(dir, 0, 1 << 20).transactions.map((t) => t.version)).toEqual([1, 2]);
  });

  it('ignores garbage appended after the last record', () => {
    const dir = tempDir();
    writeLog(dir, range(1, 3));
    appendFileSync(join(dir, logFiles(dir)[0]!), Buffer.from([255, 255, 255, 127, 1, 2, 3]));
    expect(Oplog.open(dir, 0, 1 << 20).transactions.map((t) => t.version)).toEqual([1, 2, 3]);
  });

  it('rotates at the size limit and replays across files', () => {
    const dir = tempDir();
    writeLog(dir, range(1, 40), 1000); // each record is ~230 bytes
    expect(logFiles(dir).length).toBeGreaterThan(5);
    expect(Oplog.open(dir, 0, 1000).transactions.map((t) => t.version)).toEqual(range(1, 40));
    expect(Oplog.open(dir, 17, 1000).transactions.map((t) => t.version)).toEqual(range(18, 40));
  });

  it('sets aside files after a torn one instead of replaying past a gap', () => {
    const dir = tempDir();
    writeLog(dir, range(1, 20), 1000);
    const files = logFiles(dir);
    const second = join(dir, files[1]!);
    truncateSync(second, statSync(second).size - 3);
    const r = Oplog.open(dir, 0, 1000);
    const versions = r.transactions.map((t) => t.version);
    expect(versions).toEqual(range(1, versions.length));
    expect(versions.length).toBeLessThan(20);
    expect(readdirSync(dir).filter((n) => n.endsWith('.corrupt')).length).toBe(files.length - 2);
  });

  it('truncate deletes only files whose records are all checkpointed', () => {
    const dir = tempDir();
    const { oplog } = Oplog.open(dir, 0, 1000);
    for (const v of range(1, 20)) oplog.append([tx(v)]);
    const before = logFiles(dir);
    oplog.truncate(10);
    const after = logFiles(dir);
    expect(after.length).toBeLessThan(before.length);
    oplog.close();
    expect(Oplog.open(dir, 10, 1000).transactions.map((t) => t.version)).toEqual(range(11, 20));
  });

  it('group commit: several transactions in one append', () => {
    const dir = tempDir();
    const { oplog } = Oplog.open(dir, 0, 1 << 20);
    oplog.append(range(1, 5).map(tx));
    oplog.close();
    expect(Oplog.open(dir, 0, 1 << 20).transactions).toEqual(range(1, 5).map(tx));
  });
});
