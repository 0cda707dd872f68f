// The places of every copy among its recording's copies, held per connection (copy-places.ts): after each
// kind of change that may move a kept copy, the new ranking is the one before with only the recordings
// that change touched ranked again (copies_touched), and it is what ranking every recording gives; the
// recordings scope's table of places is put right for the copies that moved.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { readTransaction } from '../../app/core/db/read-transaction.ts';
import { writeTransaction } from '../../app/core/db/write-lock.ts';
import { MEMBER_PLACES_SQL, preferCopy } from '../../app/core/fingerprint/duplicates.ts';
import { currentPlaces, otherCopiesIn } from '../../app/core/library/copy-places.ts';
import { setCopyRules } from '../../app/core/library/copy-rules.ts';
import { IngestWriter } from '../../app/core/library/ingest.ts';
import { createPlaylist } from '../../app/core/library/playlists.ts';
import { readyScope } from '../../app/core/library/recordings-scope.ts';
import { LibraryView } from '../../app/core/mounted/library-view.ts';
import { PlaylistRenderer } from '../../app/core/mounted/playlist-render.ts';
import { PathTemplate } from '../../app/core/served/path-template.ts';
import { groupCopies, setField, syntheticHome } from '../fixtures/synthetic-library.ts';

const TRACKS = 400;
let db: Db;
let dbPath: string;

beforeAll(async () => {
  const home = await syntheticHome(TRACKS);
  groupCopies(home); // files n and n + 10 (n in 1–10, 201–210) are one recording: groups 1–10, 101–110
  dbPath = join(home, 'library.db');
  db = openDatabase(dbPath);
});

afterAll(() => db?.close());

const everyRanked = () => {
  const rows = db.prepare(MEMBER_PLACES_SQL).raw().all() as Array<[number, number, number]>;
  return { ids: rows.map((r) => r[0]), groups: rows.map((r) => r[1]), places: rows.map((r) => r[2]) };
};
const membersOf = (groups: readonly number[]) =>
  db
    .prepare('SELECT count(*) FROM recording_members WHERE group_id IN (SELECT value FROM json_each(?))')
    .pluck()
    .get(JSON.stringify(groups)) as number;
/** The ranking now and the recordings scope's table of places (put right for the copies that moved) are
 *  what ranking every recording gives. */
function expectRightPlaces(at: string) {
  const places = currentPlaces(db);
  const every = everyRanked();
  expect([...places.ids], at).toEqual(every.ids);
  expect([...places.groups], at).toEqual(every.groups);
  expect([...places.places], at).toEqual(every.places);
  readyScope(db, 'recordings');
  expect(db.prepare('SELECT id, grp, place FROM temp.copy_place ORDER BY id').raw().all(), at).toEqual(
    every.ids.map((id, i) => [id, every.groups[i], every.places[i]]).filter(([, , place]) => place! > 0),
  );
}
const run = (sql: string) => () => void db.prepare(sql).run();

it('ranks again only the recordings each change touched, as ranking every one gives', () => {
  readyScope(db, 'recordings');
  const first = currentPlaces(db);
  expect(first.ranked).toBe(40);
  // Each change, and the recordings it touches: ranked again alone (counted: their members).
  const changes: Array<[string, () => void, number[]]> = [
    ['a copy preferred', () => preferCopy(db, 11), [1]],
    ['a file joins a recording', run('INSERT INTO recording_members VALUES (21, 2, NULL, 0)'), [2]],
    ['a file moves to another', run('UPDATE recording_members SET group_id = 3 WHERE file_id = 21'), [2, 3]],
    ['a file leaves its recording', run('DELETE FROM recording_members WHERE file_id = 21'), [3]],
    ['a copy missing', () => new IngestWriter(db).markMissing([4], Date.now()), [4]],
    [
      'a copy measured',
      run(`INSERT INTO loudness (file_id, size, mtime_ms, version, status, integrated, histogram, bandwidth, computed_at)
           VALUES (205, 0, 0, 1, 'ok', -20, x'00', 16000, 0)`),
      [105],
    ],
    ['a copy measured again', run('UPDATE loudness SET bandwidth = 22000 WHERE file_id = 205'), [105]],
    [
      'a transcode told by its residual',
      run(`INSERT INTO copy_residuals (copy_id, source_id, copy_lufs, source_lufs, db, computed_at)
           VALUES (6, 16, -14, -14, 40, 0)`),
      [6],
    ],
    ["a copy's first edit", () => setField(db, [207], 'title', ['Edited']), [107]],
  ];
  for (const [change, act, groups] of changes) {
    act();
    const places = currentPlaces(db);
    expect(places.ranked, change).toBe(membersOf(groups));
    expectRightPlaces(change);
  }
  // A rule of the user's ranks every recording again.
  setCopyRules(db, [{ kind: 'first', value: '' }], { apply: true, origin: 'cli' });
  expect(currentPlaces(db).ranked).toBe(everyRanked().ids.length);
});

it('holds each ranking for its own seq: an older snapshot is answered from it, never patched backwards', () => {
  const before = currentPlaces(db);
  preferCopy(db, 2);
  const after = currentPlaces(db);
  expect(after.seq).toBeGreaterThan(before.seq);
  expect(after.ranked).toBe(membersOf([2]));
  expect(currentPlaces(db)).toBe(after);
});

it('keeps nothing it worked out inside a write transaction that was rolled back', () => {
  expectRightPlaces('before');
  const seq = currentPlaces(db).seq;
  expect(() =>
    writeTransaction(db, () => {
      preferCopy(db, 15);
      readyScope(db, 'recordings'); // a query in the recordings scope, then a failure
      throw new Error('rolled back');
    }),
  ).toThrow('rolled back');
  // Another change reaches the same seq: what was worked out for the one rolled back must not stand for it.
  preferCopy(db, [208, 218].find((id) => otherCopiesIn(currentPlaces(db)).has(id))!);
  expect(currentPlaces(db).seq).toBe(seq + 1);
  expectRightPlaces('after another change at the same seq');
});

it('ranks again a recording whose copy moved to a folder, changed format or was found anew', () => {
  const folder = (id: number) =>
    (db.prepare('SELECT path FROM files WHERE id = ?').pluck().get(id) as string)
      .split('/')
      .slice(0, -1)
      .join('/');
  setCopyRules(
    db,
    [
      { kind: 'folder', value: '/preferred' },
      { kind: 'format', value: 'mp3' },
      { kind: 'first', value: '' },
    ],
    {
      apply: true,
      origin: 'cli',
    },
  );
  expectRightPlaces('rules set');
  // Of each recording, the copy it does not keep: the change makes it the kept one.
  const others = otherCopiesIn(currentPlaces(db));
  const [moving, converted, found] = [208, 209, 210].map((id) => (others.has(id) ? id : id + 10));
  const changes: Array<[string, string]> = [
    [
      'a copy moved into a preferred folder',
      `UPDATE files SET path = '/preferred' || substr(path, ${folder(moving!).length + 1}) WHERE id = ${moving}`,
    ],
    ['a copy of another format', `UPDATE files SET format = 'mp3' WHERE id = ${converted}`],
    ['a copy found anew', `UPDATE files SET added_at = 0 WHERE id = ${found}`],
  ];
  for (const [change, sql] of changes) {
    db.prepare(sql).run();
    expectRightPlaces(change);
  }
  setCopyRules(db, [], { apply: true, origin: 'cli' });
});

it('keeps the recordings scope’s table right when a read transaction that readied it fails', () => {
  expectRightPlaces('before');
  preferCopy(db, [204, 214].find((id) => otherCopiesIn(currentPlaces(db)).has(id))!);
  expect(() =>
    readTransaction(db, () => {
      readyScope(db, 'recordings'); // the table put right for the change, then a failure rolls it back
      throw new Error('failed');
    }),
  ).toThrow('failed');
  expectRightPlaces('after the failed read');
});

it("holds the rankings the mount's view and its playlists' renderer work out, each on its own connection", () => {
  createPlaylist(db, 'Kept copies', { kind: 'smart', query: 'title:*', limit: null });
  const readers: Array<[string, (reader: Db) => () => void]> = [
    [
      'the mount’s view',
      (reader) => {
        const view = new LibraryView(reader, new PathTemplate());
        return () => void view.refresh();
      },
    ],
    [
      'the playlists’ renderer',
      (reader) => {
        const renderer = new PlaylistRenderer(reader);
        return () => void renderer.answer({ op: 'plan', changed: null, minute: 0 });
      },
    ],
  ];
  for (const [name, make] of readers) {
    const reader = openDatabase(dbPath);
    try {
      const read = make(reader);
      read();
      preferCopy(db, [203, 213].find((id) => otherCopiesIn(currentPlaces(db)).has(id))!);
      read();
      // Held, the ranking it read at is the one before with the one recording touched ranked again.
      expect(currentPlaces(reader).ranked, name).toBe(membersOf([103]));
    } finally {
      reader.close();
    }
  }
});
