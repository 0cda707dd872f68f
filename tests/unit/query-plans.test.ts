// What a million-track library rests on (issue 82): a selective query — an album, an artist, a track by
// id — looks its few files up by index and never walks the files table; a broad one walks the files in
// path order (stopping early for a window) against its set. Plans as SQLite makes them for the SQL the
// library's query language compiles to, in both scopes (every file, one per recording).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { COPY_PLACES_SQL } from '../../app/core/fingerprint/duplicates.ts';
import { ALBUM_MEMBERS_SQL } from '../../app/core/library/album-loudness.ts';
import { BY_INODES_SQL } from '../../app/core/library/ingest.ts';
import { libraryQuery } from '../../app/core/library/library-query.ts';
import { compileQuery, type Scope } from '../../app/core/library/query-sql.ts';
import { readyScope } from '../../app/core/library/recordings-scope.ts';
import { PENDING_SQL } from '../../app/core/scan/analysis.ts';
import { tempDir } from '../helpers.ts';

describe('query plans', () => {
  const db = openDatabase(join(tempDir(), 'library.db'));
  db.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)`);
  const file =
    db.prepare(`INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
    VALUES (?, 1, ?, 1, 0, ?, 'ok', 0, 0)`);
  const tag = db.prepare('INSERT INTO tags (file_id, key, idx, value, fold) VALUES (?, ?, 0, ?, ?)');
  for (let id = 1; id <= 20; id++) {
    file.run(id, `/music/${id}.flac`, id);
    tag.run(id, 'album', `Album ${id % 4}`, `album ${id % 4}`);
    tag.run(id, 'artist', `Artist ${id % 2}`, `artist ${id % 2}`);
    tag.run(id, 'genre', 'Rock', 'rock');
  }

  const plan = (text: string, scope: Scope) => {
    readyScope(db, scope);
    const q = compileQuery(libraryQuery(db, text), scope);
    const rows = db
      .prepare(`EXPLAIN QUERY PLAN SELECT f.id FROM files f WHERE ${q.where} ORDER BY ${q.orderBy}`)
      .all(...q.whereParams, ...q.orderParams) as Array<{ detail: string }>;
    return rows.map((r) => r.detail).join(' | ');
  };

  it('looks a selective query’s files up, never walking the files table', () => {
    for (const scope of ['library', 'recordings'] as const)
      for (const text of ['album:="Album 1"', 'artist:="Artist 0" album:="Album 2"', 'id:7', 'id:3..5']) {
        const p = plan(text, scope);
        expect(p, `${text} (${scope})`).not.toMatch(/\bSCAN f\b/);
        expect(p, `${text} (${scope})`).toMatch(/SEARCH f USING INTEGER PRIMARY KEY/);
      }
  });

  it('walks the files in path order against a broad term’s set (a window stops early)', () => {
    for (const text of ['genre:rock', 'album:album', ''])
      expect(plan(text, 'library')).toMatch(/^SCAN f USING COVERING INDEX files_by_path_status/);
  });

  it('ranks the copies of recordings from their members, never walking every present file', () => {
    const p = (db.prepare(`EXPLAIN QUERY PLAN ${COPY_PLACES_SQL}`).all() as Array<{ detail: string }>).map(
      (r) => r.detail,
    );
    expect(p.find((d) => /^SEARCH (m|f)\b/.test(d))).toMatch(
      /^SEARCH m USING (COVERING )?INDEX recording_members_by_group/,
    );
    expect(p.join(' | ')).not.toMatch(/files_by_status \(status=\?\)(?! AND rowid)|\bSCAN f\b/);
  });

  it("reads an album's loudness members from its tag rows, not from every file", () => {
    const rows = db
      .prepare(`EXPLAIN QUERY PLAN ${ALBUM_MEMBERS_SQL}`)
      .all({ album: 'Album 1', artist: 'Artist 1' }) as Array<{ detail: string }>;
    expect(rows[0]?.detail).toMatch(/^SEARCH t USING INDEX tags_by_key/);
    expect(rows.map((r) => r.detail).join()).not.toMatch(/\bSCAN f\b|files_by_status/);
  });
});

describe("a watcher's look", () => {
  const db = openDatabase(join(tempDir(), 'library.db'));
  const plan = (sql: string, params: unknown[] | Record<string, unknown>) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((r) => r.detail);
  const analysis = {
    fingerprint: 1,
    embed: 1,
    loudness: 1,
    extractor: 'x',
    version: 1,
    at: 0,
    after: 0,
    limit: 9,
  };

  it('reads the files it wrote for their analysis through the index on scanned_at, never every file', () => {
    const page = plan(PENDING_SQL.scanned.page, analysis).join(' | ');
    expect(page.match(/SEARCH f USING INDEX files_by_scan \(scanned_at[=>]/g)).toHaveLength(2);
    expect(page).not.toMatch(/\bSCAN f\b|TEMP B-TREE/);
    expect(plan(PENDING_SQL.scanned.count, analysis)[0]).toMatch(/SEARCH f USING INDEX files_by_scan/);
  });

  it('looks up by inode where a new file may have moved from', () => {
    expect(plan(BY_INODES_SQL, ['[1,2]']).join(' | ')).toMatch(
      /SEARCH files USING INDEX files_by_inode \(inode=\?\)/,
    );
  });
});
