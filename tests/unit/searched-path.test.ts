// A file's full-text entries hold its path within its library folder (searched-path.ts): a free word
// finds a folder or file name below the library folder, never the library folder's own path, which every
// file under it shares; `path:` still matches the whole path. Written so by a scan, by a file coming back
// under another library folder, and by migration 50 for a library an older version indexed whole.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { fold } from '../../app/core/db/fold.ts';
import { searchedPath } from '../../app/core/db/searched-path.ts';
import { writeTransaction } from '../../app/core/db/write-lock.ts';
import { IngestWriter } from '../../app/core/library/ingest.ts';
import { listFiles } from '../../app/core/library/list.ts';
import { ftsTrigrams } from '../../app/core/library/query-sql.ts';
import { olderLibrary } from '../fixtures/older-library.ts';
import { flacRecord } from '../fixtures/tagged-library.ts';
import { tempDir } from '../helpers.ts';

const NOW = Date.now();
const FOLDER = '/srv/Xy Music';
const PATHS = [`${FOLDER}/Bootlegs/01 Opening.flac`, `${FOLDER}/Albums/02 Closing.flac`];

const stat = (path: string, inode: number) => ({ path, size: 1_000_000, mtimeMs: NOW, inode });
const read = (title: string) => ({
  track: flacRecord({ size: 1_000_000, duration: 180, tags: { title: [title], artist: ['Quiet Band'] } }),
});

/** A library of PATHS under FOLDER, scanned as a scan writes them. */
function scanned(): { db: Db; writer: IngestWriter } {
  const db = openDatabase(join(tempDir(), 'library.db'));
  const writer = new IngestWriter(db);
  writeTransaction(db, () => {
    const root = writer.ensureRoot(FOLDER, NOW);
    writer.batch(() => {
      PATHS.forEach((path, i) => {
        writer.write(root, stat(path, i + 1), read(i === 0 ? 'Opening' : 'Closing'), NOW, true);
      });
    });
  });
  return { db, writer };
}

const names = (db: Db, query: string) =>
  listFiles(db, query)
    .map((f) => f.path.split('/').pop())
    .sort();
const folded = (db: Db) =>
  db.prepare('SELECT text FROM search_folded ORDER BY file_id').pluck().all() as string[];

describe('the path a search sees', () => {
  it('is the path within the library folder', () => {
    expect(searchedPath(`${FOLDER}/Bootlegs/a.flac`, FOLDER)).toBe('Bootlegs/a.flac');
    expect(searchedPath(`${FOLDER}/a.flac`, `${FOLDER}/`)).toBe('a.flac');
    expect(searchedPath('/a.flac', '/')).toBe('a.flac');
    // Not under it (never so for a file's own folder), or no folder known: the whole path.
    expect(searchedPath('/other/a.flac', FOLDER)).toBe('/other/a.flac');
    expect(searchedPath('/srv/Xy Musical/a.flac', FOLDER)).toBe('/srv/Xy Musical/a.flac');
    expect(searchedPath('/a.flac', null)).toBe('/a.flac');
  });

  it('finds folder and file names below the library folder, never the folder’s own words; path: the whole path', () => {
    const { db } = scanned();
    expect(folded(db)).toEqual([
      'bootlegs/01 opening.flac\nopening\nquiet band',
      'albums/02 closing.flac\nclosing\nquiet band',
    ]);
    // Through the trigram index, and (words under three characters) the folded text.
    expect(names(db, 'bootlegs')).toEqual(['01 Opening.flac']);
    expect(names(db, '02')).toEqual(['02 Closing.flac']);
    expect(names(db, 'music')).toEqual([]);
    expect(names(db, 'xy')).toEqual([]);
    expect(names(db, '"srv/xy"')).toEqual([]);
    // A pattern without a field too.
    expect(names(db, ':music')).toEqual([]);
    expect(names(db, ':^Albums/')).toEqual(['02 Closing.flac']);
    expect(names(db, 'path:music')).toEqual(['01 Opening.flac', '02 Closing.flac']);
    expect(names(db, 'path:"xy music/albums"')).toEqual(['02 Closing.flac']);
    db.close();
  });

  it('follows a file that comes back under another library folder', () => {
    const { db, writer } = scanned();
    // The first file went missing, and came back when its parent folder was scanned as a library folder.
    db.prepare("UPDATE files SET status = 'missing' WHERE id = 1").run();
    writeTransaction(db, () => {
      const srv = writer.ensureRoot('/srv', NOW);
      writer.markPresent(1, srv, NOW);
    });
    expect(folded(db)[0]).toMatch(/^xy music\/bootlegs\/01 opening\.flac\n/);
    expect(names(db, 'music')).toEqual(['01 Opening.flac']);
    // The second, unreadable when a scan of /srv meets it: the text it keeps holds its path under /srv.
    writeTransaction(db, () => {
      const srv = writer.ensureRoot('/srv', NOW);
      writer.write(srv, stat(PATHS[1]!, 2), { error: 'unreadable' }, NOW, false);
    });
    expect(folded(db)[1]).toMatch(/^xy music\/albums\/02 closing\.flac\n/);
    db.close();
  });
});

it('migration 50 rewrites the entries an older version made of the whole path', () => {
  const { file, old } = olderLibrary(49);
  old.prepare('INSERT INTO roots (id, path, added_at) VALUES (1, ?, 0)').run(FOLDER);
  PATHS.forEach((path, i) => {
    const id = i + 1;
    const title = i === 0 ? 'Opening' : 'Closing';
    old
      .prepare(
        `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
         VALUES (?, 1, ?, 1, 0, ?, 'ok', 0, 0)`,
      )
      .run(id, path, id);
    old
      .prepare("INSERT INTO tags (file_id, key, idx, value, fold) VALUES (?, 'title', 0, ?, ?)")
      .run(id, title, fold(title));
    // As the version before wrote them: the whole path.
    old.prepare('INSERT INTO search (rowid, path, text) VALUES (?, ?, ?)').run(id, path, title);
    old.prepare('INSERT INTO search_folded (file_id, text) VALUES (?, ?)').run(id, fold(`${path}\n${title}`));
  });
  // A file that could not be read has no entries, and gets none.
  old
    .prepare(
      `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, error, scanned_at, added_at)
       VALUES (3, 1, ?, 1, 0, 3, 'error', 'unreadable', 0, 0)`,
    )
    .run(`${FOLDER}/broken.flac`);
  expect(old.prepare(`SELECT count(*) FROM search WHERE search MATCH '"music"'`).pluck().get()).toBe(2);
  old.close();

  const db = openDatabase(file);
  expect(folded(db)).toEqual(['bootlegs/01 opening.flac\nopening', 'albums/02 closing.flac\nclosing']);
  const matching = (word: string) =>
    db.prepare('SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid').pluck().all(ftsTrigrams(word));
  expect(matching('music')).toEqual([]);
  expect(matching('bootlegs')).toEqual([1]);
  expect(matching('closing')).toEqual([2]);
  expect(db.prepare('SELECT count(*) FROM search_folded').pluck().get()).toBe(2);
  db.exec("INSERT INTO search (search) VALUES ('integrity-check')");
  db.close();
});
