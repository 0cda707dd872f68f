// The served size and default path the scan and every edit record (files.served_size, served_path) are
// the size and path the mount serves: the daemon lists files with them instead of sizing each one and
// rendering its path as it starts, so a wrong one would be wrong bytes or a file in the wrong place.
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { applyEdit, planEdit } from '../../app/core/library/edits.ts';
import { ServedRecorder } from '../../app/core/library/served-recorder.ts';
import { LibraryView } from '../../app/core/mounted/library-view.ts';
import { PathTemplate } from '../../app/core/served/path-template.ts';
import { SERVED_VERSION } from '../../app/core/served/served-plan.ts';
import { copyFixtures, sleeveHere, tempDir } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

function mountedPaths(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? mountedPaths(join(dir, e.name), root) : [relative(root, join(dir, e.name))],
  );
}

/** The sizes of the files in a live tree: one moved away between listing and stat is left out, as is
 *  a folder that went (the callers poll until the sizes they expect are all there). */
function mountedSizes(dir: string): number[] {
  const out: number[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out; // a folder that went with the change
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...mountedSizes(path));
    else {
      const size = statSync(path, { throwIfNoEntry: false })?.size;
      if (size !== undefined) out.push(size);
    }
  }
  return out;
}

describe('served sizes and paths recorded by the scan and by edits', () => {
  const home = tempDir();
  const mnt = join(tempDir(), 'mnt');
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const recorded = () => {
    const db = new Database(join(home, 'library.db'), { readonly: true });
    try {
      return db
        .prepare(
          "SELECT served_size AS size, served_seq = change_seq AS current FROM files WHERE status = 'ok'",
        )
        .all() as Array<{ size: number | null; current: number }>;
    } finally {
      db.close();
    }
  };

  beforeAll(() => {
    const music = copyFixtures();
    // Loudness measured: each file is served with the gain measured for it, and a measured file's served
    // size is recorded again (analysis.ts); the sizes listed must be those too.
    expect(sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
  });

  afterAll(() => {
    sleeveHere(home, ['umount', mnt]);
  });

  it('are the sizes the mount lists, for every file the scan read', () => {
    const rows = recorded();
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((r) => r.size !== null && r.current === 1)).toBe(true);
    expect(sorted(mountedSizes(mnt))).toEqual(sorted(rows.map((r) => r.size!)));
  });

  it('are the paths the mount shows, for every file the scan read', () => {
    const db = new Database(join(home, 'library.db'), { readonly: true });
    const paths = db.prepare("SELECT served_path FROM files WHERE status = 'ok'").pluck().all() as string[];
    db.close();
    expect(paths.every((p) => p.split('/').length === 3)).toBe(true);
    expect(mountedPaths(mnt).sort()).toEqual(paths.sort());
  });

  it('follow a retitle and a tag edit in another folder, committed together', async () => {
    // One commit: the daemon sees both in one refresh, which rebuilds the moved file's folder; the other
    // file changed in place and must show its new size too.
    const db = openDatabase(join(home, 'library.db'));
    try {
      const idOf = (like: string) =>
        db.prepare('SELECT id FROM files WHERE path LIKE ?').pluck().get(like) as number;
      const [moved, inPlace] = [
        idOf('%/Alpha/Album One/01 First.flac'),
        idOf('%/Beta/Second Album/01 Song.mp3'),
      ];
      db.transaction(() => {
        applyEdit(db, planEdit(db, [moved], [{ key: 'title', values: ['Moved Together'] }]), {
          description: 'test',
          origin: 'cli',
        });
        applyEdit(db, planEdit(db, [inPlace], [{ key: 'comment', values: ['x'.repeat(500)] }]), {
          description: 'test',
          origin: 'cli',
        });
      })();
    } finally {
      db.close();
    }
    const want = JSON.stringify(sorted(recorded().map((r) => r.size!)));
    await waitFor('the mount to list both new sizes', () =>
      JSON.stringify(sorted(mountedSizes(mnt))) === want ? true : undefined,
    );
  });

  it('follow an edit that grows every header, and its undo', async () => {
    const before = recorded().map((r) => r.size!);
    const long = 'A much longer title than any fixture has, '.repeat(40);
    expect(sleeveHere(home, ['set', 'path:/./', `title=${long}`, '--yes-all']).status).toBe(0);
    const after = recorded();
    expect(after.every((r) => r.current === 1)).toBe(true);
    expect(sorted(after.map((r) => r.size!))).not.toEqual(sorted(before));
    const listed = (want: number[]) =>
      waitFor('the mount to list the recorded sizes', () =>
        JSON.stringify(sorted(mountedSizes(mnt))) === JSON.stringify(want) ? true : undefined,
      );
    await listed(sorted(after.map((r) => r.size!)));
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(sorted(recorded().map((r) => r.size!))).toEqual(sorted(before));
    await listed(sorted(before));
  }, 60_000);
});

describe("the mount's view of recorded paths", () => {
  const home = tempDir();
  const music = copyFixtures();
  const pathsOf = (view: LibraryView) => [...view.records()].map((r) => view.tree.pathOf(r.fileId)!).sort();

  beforeAll(() => {
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
  });

  it('of files new to the library are what recording them from the library gives', () => {
    // A new file's are worked out from what the scan read, before its rows exist; record() reads them back.
    const db = openDatabase(join(home, 'library.db'));
    try {
      const served = () =>
        db
          .prepare(
            `SELECT id, served_size AS size, served_path AS path, served_seq = change_seq AS current
             FROM files WHERE status = 'ok' ORDER BY id`,
          )
          .all() as Array<{ id: number; size: number | null; path: string | null; current: number }>;
      const scanned = served();
      expect(scanned.length).toBeGreaterThan(5);
      expect(scanned.every((f) => f.size !== null && f.path !== null && f.current === 1)).toBe(true);
      const recorder = new ServedRecorder(db);
      db.transaction(() => {
        for (const { id } of scanned) recorder.record(id);
      })();
      expect(served()).toEqual(scanned);
    } finally {
      db.close();
    }
  });

  it('takes the recorded path with the default template, and renders its own with another', () => {
    const db = openDatabase(join(home, 'library.db'));
    try {
      const current = new LibraryView(db, new PathTemplate());
      expect(current.unrecorded).toBe(0); // every path came from the database
      const rendered = pathsOf(current);
      const id = db.prepare("SELECT min(id) FROM files WHERE status = 'ok'").pluck().get() as number;
      const was = db.prepare('SELECT served_path FROM files WHERE id = ?').pluck().get(id) as string;
      db.prepare("UPDATE files SET served_path = 'Recorded/Elsewhere/x.flac' WHERE id = ?").run(id);
      const view = new LibraryView(db, new PathTemplate());
      expect(view.tree.pathOf(id)).toBe('/Recorded/Elsewhere/x.flac');
      expect(new LibraryView(db, new PathTemplate('$title')).tree.pathOf(id)).not.toContain('Recorded');
      // Recorded by an older Sleeve (another SERVED_VERSION): not trusted, rendered as before.
      db.prepare('UPDATE files SET served_version = served_version - 1').run();
      const older = new LibraryView(db, new PathTemplate());
      expect(pathsOf(older)).toEqual(rendered);
      // What the daemon's start-up log line counts.
      expect(older.unrecorded).toBe(rendered.length);
      db.prepare('UPDATE files SET served_path = ?, served_version = ? WHERE id = ?').run(
        was,
        SERVED_VERSION,
        id,
      );
    } finally {
      db.close();
    }
  });

  it('a scan records stale ones again, without reading the files', () => {
    const stale = () => {
      const db = new Database(join(home, 'library.db'), { readonly: true });
      const n = db
        .prepare("SELECT count(*) FROM files WHERE status = 'ok' AND served_version IS NOT ?")
        .pluck()
        .get(SERVED_VERSION);
      db.close();
      return n;
    };
    const db = openDatabase(join(home, 'library.db'));
    db.prepare('UPDATE files SET served_version = ?, served_path = NULL').run(SERVED_VERSION - 1);
    db.close();
    expect(stale()).toBeGreaterThan(5);
    const scan = sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]);
    expect(scan.stdout).toMatch(/0 updated/);
    expect(stale()).toBe(0);
  }, 60_000);
});
