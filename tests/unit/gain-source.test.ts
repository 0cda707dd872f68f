// Whose ReplayGain a file carrying its own is served (app/core/library/gain-source.ts), on a real library
// database: a per-file choice and a new library default change what the mount serves of exactly the files
// that carry their own and are measured, move their change_seq and size them anew in the same
// transaction — and a new default reached part-way (a killed process) serves every file consistently, the
// rest finished by the next process's catch-up.
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { albumYearsBehind } from '../../app/core/library/album-years.ts';
import { feedPosition } from '../../app/core/library/change-feed.ts';
import { catchUp } from '../../app/core/library/derivation.ts';
import { applyEdit, planEdit } from '../../app/core/library/edits.ts';
import { GainSources } from '../../app/core/library/gain-source.ts';
import { ServedRecorder } from '../../app/core/library/served-recorder.ts';
import { ServedTags } from '../../app/core/library/served-tags.ts';
import { blocksAt, measureEveryFile } from '../fixtures/measured.ts';
import { openedCopy, syntheticLibrary } from '../fixtures/synthetic-library.ts';
import { tempDir } from '../helpers.ts';

const TRACKS = 200;
let made: string;
const open: Db[] = [];

/** The synthetic library, every file measured at -20 LUFS, the even ones carrying a gain of their own. */
beforeAll(() => {
  const dir = tempDir();
  syntheticLibrary(dir, TRACKS);
  made = join(dir, 'library.db');
  const db = openDatabase(made);
  measureEveryFile(db, blocksAt(-20, 100));
  const even = db.prepare('SELECT id FROM files WHERE id % 2 = 0').pluck().all() as number[];
  applyEdit(db, planEdit(db, even, [{ key: 'replaygain_track_gain', values: ['-3.00 dB'] }]), {
    description: 'own gains',
    origin: 'cli',
  });
  catchUp(db);
  db.close();
}, 60_000);

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const library = (): Db => openedCopy(made, open);

const ids = (db: Db) => db.prepare('SELECT id FROM files ORDER BY id').pluck().all() as number[];
const seqs = (db: Db) =>
  new Map(db.prepare('SELECT id, change_seq FROM files').raw().all() as Array<[number, number]>);

/** The track gain each file is served with. */
function served(db: Db): Map<number, string | undefined> {
  const tags = new ServedTags(db).ofMany(ids(db));
  return new Map(
    ids(db).map((id) => [id, tags.get(id)?.find(([k]) => k === 'replaygain_track_gain')?.[1][0]]),
  );
}

/** Files whose recorded served size is current but is not what their served tags make now. */
function wronglySized(db: Db): number[] {
  const recorded = db
    .prepare('SELECT id, served_size FROM files WHERE served_seq = change_seq')
    .raw()
    .all() as Array<[number, number | null]>;
  const wrong: number[] = [];
  const recorder = new ServedRecorder(db);
  const size = db.prepare('SELECT served_size FROM files WHERE id = ?').pluck();
  db.exec('SAVEPOINT check_sizes');
  for (const [id, was] of recorded) {
    recorder.record(id);
    if (size.get(id) !== was) wrong.push(id);
  }
  db.exec('ROLLBACK TO check_sizes; RELEASE check_sizes');
  return wrong;
}

describe('gain sources', () => {
  it('serves a file its own gain by default, the measured where it carries none', () => {
    const db = library();
    for (const [id, gain] of served(db))
      expect(gain, String(id)).toBe(id % 2 === 0 ? '-3.00 dB' : '+2.00 dB');
  });

  it('moves exactly the files a choice changes, each sized anew with it', () => {
    const db = library();
    const gains = new GainSources(db);
    const chosen = ids(db).slice(0, 10);
    expect(gains.flipping(chosen, 'measured')).toEqual(chosen.filter((id) => id % 2 === 0));
    const before = seqs(db);
    expect(gains.choose(chosen, 'measured')).toBe(5);
    const after = seqs(db);
    for (const id of ids(db))
      expect(after.get(id)! > before.get(id)!, String(id)).toBe(chosen.includes(id) && id % 2 === 0);
    for (const [id, gain] of served(db))
      expect(gain).toBe(id % 2 === 0 && !chosen.includes(id) ? '-3.00 dB' : '+2.00 dB');
    expect(wronglySized(db)).toEqual([]);
    // Back to the default: the same files move again.
    expect(gains.flipping(chosen, 'default')).toEqual(chosen.filter((id) => id % 2 === 0));
    expect(gains.choose(chosen, 'default')).toBe(5);
    expect(served(db).get(chosen[1]!)).toBe('-3.00 dB');
  });

  it('brings a new default a chunk at a time, consistent at every step, and a killed one is finished by the next process', () => {
    const db = library();
    const gains = new GainSources(db);
    const own = ids(db)[3]!;
    gains.choose([own], 'own');
    expect(gains.defaultFlipping('measured')).toBe(TRACKS / 2 - 1);
    const before = seqs(db);
    db.prepare("UPDATE gain_default SET source = 'measured', previous = 'own', next_file = 0").run();
    // One window, as a process killed after its first chunk leaves it.
    gains.defaultChunk(0);
    const cursor = db.prepare('SELECT next_file FROM gain_default').pluck().get() as number;
    expect(cursor).toBeGreaterThan(0);
    expect(cursor).toBeLessThan(ids(db).at(-1)!);
    for (const [id, gain] of served(db)) {
      const measured = id % 2 === 1 || (id <= cursor && id !== own);
      expect(gain, String(id)).toBe(measured ? '+2.00 dB' : '-3.00 dB');
      expect(seqs(db).get(id)! > before.get(id)!, String(id)).toBe(
        id % 2 === 0 && id <= cursor && id !== own,
      );
    }
    expect(wronglySized(db)).toEqual([]);
    expect(gains.defaultSource()).toEqual({ source: 'measured', pending: true });

    catchUp(db);
    expect(gains.defaultSource()).toEqual({ source: 'measured', pending: false });
    for (const [id, gain] of served(db)) expect(gain, String(id)).toBe(id === own ? '-3.00 dB' : '+2.00 dB');
    expect(wronglySized(db)).toEqual([]);

    const position = feedPosition(db);
    gains.setDefault('own');
    while (gains.defaultChunk() > 0);
    for (const [id, gain] of served(db)) expect(gain).toBe(id % 2 === 0 ? '-3.00 dB' : '+2.00 dB');
    expect(wronglySized(db)).toEqual([]);
    // The files it moved changed in nothing an album year depends on: no round looks at them again.
    expect(feedPosition(db)).toBe(position + TRACKS / 2 - 1);
    expect(albumYearsBehind(db)).toBe(false);
  });
});
