// npm run bench -- grouping [--tracks N] [--passes N]
// Grouping names that come in either Unicode form. A library of N tracks (default 1,000,000) whose artists
// and albums are named outside ASCII, every second track's names decomposed (NFD, as a Mac tags them),
// written by the scan's own writer, so each value NFC changes keeps its composed form (tags.composed).
// The artists grouped three ways in one run, like with like (the same query, only the name's expression
// differs): as stored (coalesce(composed, value): what the app does), composing each name as it is
// grouped (nfc(): what it did before), and raw (value: fast, but each name twice, so wrong). Then the
// app's own lists over the whole library (listArtists, listAlbums), as stored; and after an edit of one
// album, those lists as the app's views hold them (album-lists.ts): patched, against listed again whole.
// Last, a tenth of the tracks grouped as copies of a recording in pairs, and the one-per-recording lists
// after another copy of a recording is preferred (its kept copy moves): patched, against listed whole;
// with them the mount's view and a smart playlist's render taking the move in, against ranking every
// recording (what each did before its ranking was held).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { composedValueSql } from '../app/core/db/canonical-name.ts';
import { type Db, openDatabase } from '../app/core/db/database.ts';
import { MEMBER_PLACES_SQL, otherCopies } from '../app/core/fingerprint/duplicates.ts';
import { AlbumLists } from '../app/core/library/album-lists.ts';
import { listAlbums, listArtists } from '../app/core/library/albums.ts';
import { createPlaylist } from '../app/core/library/playlists.ts';
import { preferCarrying } from '../app/core/library/prefer-copy.ts';
import { LibraryView } from '../app/core/mounted/library-view.ts';
import { PlaylistRenderer } from '../app/core/mounted/playlist-render.ts';
import { PathTemplate } from '../app/core/served/path-template.ts';
import { clockMinute } from '../app/shared/query-clock.ts';
import { groupCopies, setField, syntheticLibrary } from '../tests/fixtures/synthetic-library.ts';
import { machine } from './measure.ts';

/** The fastest of `passes` runs (ms), and what the last one gave. */
function timed<T>(passes: number, run: () => T): { ms: number; result: T } {
  let best = Number.POSITIVE_INFINITY;
  let result!: T;
  for (let i = 0; i < passes; i++) {
    const t0 = performance.now();
    result = run();
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, result };
}

const WAYS = [
  { name: 'as stored (composed)', expr: composedValueSql('t') },
  { name: 'through nfc()', expr: 'nfc(t.value)' },
  { name: 'raw value (wrong)', expr: 't.value' },
];

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { tracks: { type: 'string', default: '1000000' }, passes: { type: 'string', default: '3' } },
  });
  const tracks = Number(values.tracks);
  const passes = Number(values.passes);
  const home = mkdtempSync(join(tmpdir(), 'sleeve-bench-grouping-'));
  try {
    console.log(`${machine()}\n${tracks.toLocaleString('en')} tracks, names outside ASCII, half decomposed`);
    const t0 = performance.now();
    syntheticLibrary(home, tracks, 'accented');
    console.log(`  written in ${((performance.now() - t0) / 1000).toFixed(0)} s (the scan's writer)`);
    const db = openDatabase(join(home, 'library.db'));
    try {
      const composed = db.prepare('SELECT count(*) FROM tags WHERE composed IS NOT NULL').pluck().get();
      console.log(`  tag values keeping a composed form: ${Number(composed).toLocaleString('en')}`);
      console.log(`\n  artists grouped (best of ${passes})      ms     artists`);
      for (const way of WAYS) {
        const sql = `SELECT ${way.expr} AS name, count(*) FROM tags t WHERE t.key = 'artist' GROUP BY name`;
        const { ms, result } = timed(passes, () => db.prepare(sql).all().length);
        console.log(`  ${way.name.padEnd(32)} ${ms.toFixed(0).padStart(6)}  ${String(result).padStart(10)}`);
      }
      console.log(`\n  the app's lists, whole library (best of ${passes})`);
      for (const [name, list] of [
        ['listArtists', () => listArtists(db, '', 'library').length],
        ['listAlbums', () => listAlbums(db, '', 'library').length],
      ] as const) {
        const { ms, result } = timed(passes, list);
        console.log(`  ${name.padEnd(32)} ${ms.toFixed(0).padStart(6)}  ${String(result).padStart(10)}`);
      }
      afterAnEdit(db, passes);
      afterACopyMoves(home, db, passes);
    } finally {
      db.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** What the process holds in its heap and in typed arrays' buffers, after a full collection. */
function heldBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Each pass: one album's 10 tracks given another genre, then both lists as the views hold them (patched)
 *  beside both listed whole (what a new library version cost before). */
function afterAnEdit(db: Db, passes: number): void {
  const lists = new AlbumLists(db);
  const before = heldBytes();
  const held = timed(
    1,
    () => lists.albums.list('', 'library').length + lists.artists.list('', 'library').length,
  );
  const mb = (heldBytes() - before) / 1e6;
  console.log(
    `\n  both lists as the views hold them, first made  ${held.ms.toFixed(0).padStart(6)} ms, held in ${mb.toFixed(1)} MB`,
  );
  const patched: number[] = [];
  const whole: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const album = Array.from({ length: 10 }, (_, i) => 10 * pass + i + 1);
    setField(db, album, 'genre', [`Edited ${pass}`]);
    patched.push(
      timed(1, () => lists.albums.list('', 'library').length + lists.artists.list('', 'library').length).ms,
    );
    whole.push(
      timed(1, () => listAlbums(db, '', 'library').length + listArtists(db, '', 'library').length).ms,
    );
  }
  const range = (ms: number[]) => `${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)} ms`;
  console.log(
    `  after an edit of one album (${passes} passes): patched ${range(patched)}, listed whole ${range(whole)}`,
  );
  if (lists.albums.fullLists + lists.artists.fullLists !== 2) throw new Error('a list was made whole again');
}

/** Each pass: the copy a recording does not keep preferred, then both one-per-recording lists as the views
 *  hold them (patched for the copies that moved) beside both listed whole (what it cost before). */
function afterACopyMoves(home: string, db: Db, passes: number): void {
  const grouped = groupCopies(home);
  // The mount's view and its playlists' renderer, each on a connection of its own as in the daemon.
  const mounted = openDatabase(join(home, 'library.db'));
  // Its first refresh is made as it is constructed.
  const { ms: viewMs, result: view } = timed(1, () => new LibraryView(mounted, new PathTemplate()));
  const renderer = new PlaylistRenderer(mounted);
  createPlaylist(db, 'Every recording', { kind: 'smart', query: 'title:*', limit: 100 });
  const render = () => renderer.answer({ op: 'plan', changed: null, minute: clockMinute() });
  const renderFirst = timed(1, render);
  const lists = new AlbumLists(db);
  const both = () => lists.albums.list('', 'recordings').length + lists.artists.list('', 'recordings').length;
  const first = timed(1, both);
  console.log(
    `\n  ${grouped.toLocaleString('en')} tracks grouped in pairs; both one-per-recording lists first made ${first.ms.toFixed(0)} ms`,
  );
  console.log(
    `  the mount's view first made ${viewMs.toFixed(0)} ms; a smart playlist (100 recordings) first rendered ${renderFirst.ms.toFixed(0)} ms`,
  );
  const patched: number[] = [];
  const whole: number[] = [];
  const viewed: number[] = [];
  const rendered: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    // Files 1 and 11 are one recording, and so on every 200 (groupCopies).
    const other = [...otherCopies(db, [1 + 200 * pass])][0]!;
    preferCarrying(db, other, 'cli');
    viewed.push(timed(1, () => view.refresh()).ms);
    rendered.push(timed(1, render).ms);
    patched.push(timed(1, both).ms);
    whole.push(
      timed(1, () => listAlbums(db, '', 'recordings').length + listArtists(db, '', 'recordings').length).ms,
    );
  }
  const range = (ms: number[]) => `${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)} ms`;
  console.log(
    `  after a kept copy moves (${passes} passes): patched ${range(patched)}, listed whole ${range(whole)}`,
  );
  if (lists.albums.fullLists + lists.artists.fullLists !== 2) throw new Error('a list was made whole again');
  // What the view and the renderer ranked before this ranking was held: every recording, each time.
  const everyRecording = timed(passes, () => mounted.prepare(MEMBER_PLACES_SQL).raw().all().length);
  console.log(
    `  … the mount's view taking it in ${range(viewed)}; the smart playlist rendered again ${range(rendered)}; every recording ranked ${everyRecording.ms.toFixed(0)} ms`,
  );
  mounted.close();
}
