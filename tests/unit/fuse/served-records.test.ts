import { describe, expect, it } from 'vitest';
import { ServedRecords } from '../../../app/core/mounted/served-records.ts';
import type { ServedRecord } from '../../../app/core/served/served-record.ts';

const kept = { bytes: 120, vendor: 'reference libFLAC 1.4.2' };
const record = (fileId: number, over: Partial<ServedRecord> = {}): ServedRecord => ({
  fileId,
  path: `/music/${fileId}.flac`,
  disk: `/music/${fileId}.flac`,
  size: 1000 + fileId,
  mtimeMs: 1.7e12 + fileId + 0.5,
  kind: 'flac',
  audioStart: 8192,
  audioEnd: 1000 + fileId,
  flacKept: kept,
  headerKept: null,
  seq: fileId * 3,
  shownMtimeMs: 1.7e12 + fileId + 0.75,
  servedSize: null,
  ...over,
});

describe('ServedRecords', () => {
  it('gives back each record as it was set, listing them in file-id order', () => {
    const t = new ServedRecords();
    const bytes = Buffer.from([0x2f, 0xff, 0x2e]); // a path whose bytes are not UTF-8
    const records = [
      record(7, { servedSize: 2 ** 40 + 1, kind: 'id3', flacKept: null }),
      record(2),
      record(5000, { disk: bytes, headerKept: '{"oggFirstPage":1}', kind: 'vorbis', flacKept: null }),
      record(2 ** 40, { servedSize: 0 }), // past the dense range
      record(3, { audioEnd: 0, mtimeMs: 0, shownMtimeMs: 0 }),
    ];
    for (const r of records) t.set(r);
    for (const r of records) expect(t.get(r.fileId)).toEqual(r);
    expect(t.get(5000)!.disk).toBe(bytes);
    expect([t.size, t.shownTime(7), t.shownTime(2 ** 40), t.shownTime(4)]).toEqual([
      5,
      records[0]!.shownMtimeMs,
      records[3]!.shownMtimeMs,
      undefined,
    ]);
    expect([...t.values()].map((r) => r.fileId)).toEqual([2, 3, 7, 5000, 2 ** 40]);
    // Files alike share their shape: the same kept-blocks object, not a copy.
    expect(t.get(2)!.flacKept).toBe(kept);
  });

  it('forgets a record deleted, and takes a new one for the same file', () => {
    const t = new ServedRecords();
    t.set(record(4, { disk: Buffer.from('x') }));
    expect(t.delete(4)).toBe(true);
    expect([t.delete(4), t.has(4), t.get(4), t.size]).toEqual([false, false, undefined, 0]);
    t.set(record(4, { seq: 99 }));
    expect(t.get(4)).toEqual(record(4, { seq: 99 })); // its path, not the bytes of the one before
    expect([...t.values()]).toHaveLength(1);
  });

  it('makes room for ids at once, and refuses what is not a row id', () => {
    const t = new ServedRecords();
    t.reserve(100_000);
    t.set(record(100_000));
    expect(t.get(100_000)!.seq).toBe(300_000);
    for (const id of [-1, 1.5, Number.NaN]) expect(() => t.set(record(id))).toThrow(/not a row id/);
  });
});
