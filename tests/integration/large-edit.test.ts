// An edit of thousands of tracks, in the app and at the terminal (app/core/library/derivation.ts): saved at
// once as truth, its tracks' views derived after, a chunk per short transaction. The app keeps answering
// and says it is updating; a `sleeve set` killed while deriving loses nothing: the next command (or the app,
// started on that library, by itself) finishes the views from the truth, and the database, its search
// index and its tags agree.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { catchUp } from '../../app/core/library/derivation.ts';
import { ftsTrigrams } from '../../app/core/library/query-sql.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { syntheticHome } from '../fixtures/synthetic-library.ts';
import { CLI, sleeveHere, tempDir } from '../helpers.ts';

/** Fifteen times the tracks an edit derives in its own transaction (INLINE_FILES): deriving them is many
 *  chunks, each a short transaction, and its progress is seen from the events, so half the e2e test's
 *  library (tests/e2e/updating.test.ts, which reads the footer) is plenty. */
const TRACKS = 1500;
const GENRE = 'Zydeco Drone';

/** Tracks a query lists, through the CLI (which finishes what is left to derive first). */
function listed(home: string, query: string): number {
  const r = sleeveHere(home, ['ls', '-f', '$title', query]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).length;
}

describe('a large edit in the app', () => {
  let backend: TestBackend;
  afterAll(() => backend?.close());

  it('is saved at once; the app answers while its tracks are derived, and says it is updating', async () => {
    const home = await syntheticHome(TRACKS);
    backend = await startBackend(home, tempDir(), { watchMs: 50 });
    const client = backend.connect();
    const updating: number[] = [];
    client.on('library.updating', (e) => updating.push(e.tracks));
    const all = { kind: 'query' as const, query: '', except: [] };
    const summary = await client.call('tags.summary', { target: all });
    const saved = await client.call('tags.edit', {
      preview: summary.preview,
      changes: [{ key: 'genre', values: [GENRE], loadedFrom: summary.preview }],
    });
    expect(saved.changedTracks).toBe(TRACKS);
    // Deriving its tracks has begun and is not done: the app answers meanwhile, with the edit in its history.
    await expect.poll(() => updating.length).toBeGreaterThan(0);
    expect(updating[0]).toBeGreaterThan(0);
    const { batches } = await client.call('history.list', { limit: 1 });
    expect(batches[0]).toMatchObject({
      id: saved.batch!.id,
      files: TRACKS,
      description: `Set genre to "${GENRE}" on all ${TRACKS.toLocaleString('en')} tracks`,
    });
    expect(updating.at(-1)).toBeGreaterThan(0);
    // Deriving 1,500 tracks takes about a second alone, a few beside the rest of the suite on two cores.
    await expect.poll(() => updating.at(-1), { timeout: 45_000 }).toBe(0);
    expect((await client.call('library.count', { query: `genre:"${GENRE}"` })).total).toBe(TRACKS);
    // A preview waits for what it shows to be derived: another edit of them all is planned on the new genre.
    const again = await client.call('tags.summary', { target: all });
    expect(again.fields.find((f) => f.key === 'genre')).toMatchObject({
      values: [GENRE],
      editedTracks: TRACKS,
    });
    client.close();
  }, 60_000);
});

/** A library of TRACKS whose `sleeve set` of every track was SIGKILLed part-way through deriving. */
async function killedMidDerivation(): Promise<string> {
  const home = await syntheticHome(TRACKS);
  const db = join(home, 'library.db');
  const set = spawn(process.execPath, [CLI, '--home', home, 'set', '', `genre=${GENRE}`, '--yes-all'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  set.stdout.on('data', (d: Buffer) => {
    out += d;
  });
  const exited = new Promise((resolve) => set.once('exit', resolve));
  // Watching the library as any reader can: the edit saved (the CLI said so) and part of it derived.
  const watcher = new Database(db, { readonly: true });
  const progress = watcher.prepare('SELECT next_file FROM derive_batches').pluck();
  await expect
    .poll(() => (out.includes('saved as edit batch') ? ((progress.get() as number | undefined) ?? 0) : 0), {
      interval: 5,
    })
    .toBeGreaterThan(0);
  set.kill('SIGKILL');
  await exited;
  expect(progress.get()).toBeLessThan(TRACKS); // killed part-way
  watcher.close();
  return home;
}

describe('a large `sleeve set` killed while its tracks are derived', () => {
  it('loses nothing: the next command derives the rest from the truth, and search and tags agree', async () => {
    const home = await killedMidDerivation();
    const db = join(home, 'library.db');

    expect(listed(home, `genre:"${GENRE}"`)).toBe(TRACKS);
    const library = openDatabase(db);
    try {
      expect(library.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(catchUp(library)).toBe(0); // the `ls` above finished it
      const found = library
        .prepare('SELECT count(*) FROM search WHERE search MATCH ?')
        .pluck()
        .get(ftsTrigrams(GENRE));
      expect(found).toBe(TRACKS);
      const tagged = library
        .prepare(`SELECT count(*) FROM tags WHERE key = 'genre' AND value = ?`)
        .pluck()
        .get(GENRE);
      expect(tagged).toBe(TRACKS);
    } finally {
      library.close();
    }
    // Undone the same way: every track shows its own genre again.
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(listed(home, `genre:"${GENRE}"`)).toBe(0);
  }, 60_000);
});

describe('the app started on a library left mid-derivation', () => {
  let backend: TestBackend | undefined;
  afterAll(() => backend?.close());

  it('derives the rest by itself, with nothing else asking, and logs no failure', async () => {
    const home = await killedMidDerivation();
    const logged: string[] = [];
    backend = await startBackend(home, tempDir(), { watchMs: 50, log: (line: string) => logged.push(line) });
    const library = new Database(join(home, 'library.db'), { readonly: true });
    try {
      const left = library.prepare('SELECT count(*) FROM derive_batches').pluck();
      await expect.poll(() => left.get(), { timeout: 60_000 }).toBe(0);
      const found = library
        .prepare('SELECT count(*) FROM search WHERE search MATCH ?')
        .pluck()
        .get(ftsTrigrams(GENRE));
      expect(found).toBe(TRACKS);
    } finally {
      library.close();
    }
    expect(logged.filter((l) => l.includes('deriving'))).toEqual([]);
  }, 90_000);
});
