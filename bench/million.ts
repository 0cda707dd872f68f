// A million tracks on one 2-core machine: a library of small real files with tags of their own (100 to an
// album folder, three MP3 albums to one FLAC album), measured part by part at 100,000 and at 1,000,000
// tracks in the same run, so the growth from one to the other shows per part:
// - the tags-only scan (time, peak memory), a rescan with nothing changed, library.db's size a track;
// - a selective query from the CLI (one album, the whole process), an album's edit (100 tracks) and its undo;
// - the Subsonic server: time to its first answer, its memory, search3 and getAlbumList2 p95, browsing by
//   folder (getIndexes, getMusicDirectory down to songs); again given a mount's template of its own;
// - the mount: time until it is up, its daemon's memory, a full listing (`find`), a player's first tag
//   scan, edits until the mount shows them (a retitle's new path, a comment's new size; a retitle after a
//   quiet minute).
// - the app's backend: its first rows after its start, a query typed a key at a time (and at a typist's
//   speed, its counts asked as the app asks them), the library sorted;
// - a retag of a tenth of the library as one batch, another writer's longest wait meanwhile, its undo;
//   the same retag and undo with no other writer;
// - with --watch, `sleeve watch`: its first look, 1,000 new files taken in, its CPU while idle.
// - the analysis side, over a synthetic library of the same size whose fingerprints and embeddings are
//   stored as a scan stores them (a million files are not decoded): grouping the fingerprints into
//   recordings (`bench -- fingerprint`), "more like this" over the vectors (`bench -- similar`), the map
//   (`bench -- map`), each in a process of its own.
// Each figure stands beside its goal (the million-track issue's). `--only subsonic,mount` measures those
// parts again over the libraries the last run scanned.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../app/core/db/database.ts';
import { writeTransaction } from '../app/core/db/write-lock.ts';
import { applyEdit, planEdit, undoBatch } from '../app/core/library/edits.ts';
import { mergeSearchDown } from '../app/core/library/search-merge.ts';
import { SCAN_FLAGS } from '../kit/scan-flags.ts';
import { LatestCount } from '../renderer/src/latest-count.ts';
import { RpcClient } from '../renderer/src/rpc-client.ts';
import { makeWav } from '../tests/fixtures/library.ts';
import { ROOT, run } from './album-library.ts';
import type { GroupingFigures } from './fingerprint.ts';
import type { MapFigures } from './map.ts';
import { dropCaches, figuresOf, loadMeter, loadText, machine, measure, percentile } from './measure.ts';
import { readTags } from './mount-scan.ts';
import type { QueryFigures } from './similar.ts';

const CLI = join(process.cwd(), 'app', 'cli', 'sleeve.js');
/** Node's arguments as the `sleeve` command starts it (its #! line): a scan, `serve` or `watch` started
 *  without the flags would start Node again to get them. */
const SLEEVE = [...SCAN_FLAGS, CLI];
const PER_ALBUM = 100;
/** Files a player's first tag scan of the mount reads (20 albums). */
const PLAYER_FILES = 2000;
const FLAC_EVERY = 4;

/** ID3v2.3 text frames as a tag: the MP3s' own tags. */
function id3(frames: Record<string, string>): Buffer {
  const body = Buffer.concat(
    Object.entries(frames).map(([id, text]) => {
      const data = Buffer.concat([Buffer.from([3]), Buffer.from(text, 'utf8')]); // 3: UTF-8 (read by all)
      const head = Buffer.alloc(10);
      head.write(id, 0, 'latin1');
      head.writeUInt32BE(data.length, 4);
      return Buffer.concat([head, data]);
    }),
  );
  const size = body.length;
  const head = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]);
  // Synchsafe size.
  head[6] = (size >> 21) & 0x7f;
  head[7] = (size >> 14) & 0x7f;
  head[8] = (size >> 7) & 0x7f;
  head[9] = size & 0x7f;
  return Buffer.concat([head, body]);
}

/** A FLAC's Vorbis comment block (last: whether it ends the metadata). */
function vorbisComment(fields: Record<string, string>, last: boolean): Buffer {
  const vendor = Buffer.from('sleeve-bench');
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  parts.push(u32(vendor.length), vendor, u32(Object.keys(fields).length));
  for (const [k, v] of Object.entries(fields)) {
    const c = Buffer.from(`${k}=${v}`, 'utf8');
    parts.push(u32(c.length), c);
  }
  const body = Buffer.concat(parts);
  const head = Buffer.from([
    (last ? 0x80 : 0) | 4,
    (body.length >> 16) & 0xff,
    (body.length >> 8) & 0xff,
    body.length & 0xff,
  ]);
  return Buffer.concat([head, body]);
}

/** The templates' audio: an MP3's frames (its tag cut off) and a FLAC's STREAMINFO and frames. */
function templates(): { mp3: Buffer; streamInfo: Buffer; flacFrames: Buffer } {
  const work = join(ROOT, 'million-work');
  mkdirSync(work, { recursive: true });
  const wav = join(work, 'tiny.wav');
  makeWav(wav, 660, 0.1, 8000, 1);
  run('lame', ['--quiet', '-b', '8', '-t', '--noreplaygain', wav, join(work, 'tiny.mp3')]);
  run('flac', ['-s', '-f', '--no-padding', '--no-seektable', wav, '-o', join(work, 'tiny.flac')]);
  const mp3 = readFileSync(join(work, 'tiny.mp3'));
  const flac = readFileSync(join(work, 'tiny.flac'));
  // fLaC, then blocks: the first is STREAMINFO (4-byte header + 34 bytes); the rest skipped to the frames.
  let at = 4;
  let streamInfo: Buffer | undefined;
  for (;;) {
    const last = (flac[at]! & 0x80) !== 0;
    const type = flac[at]! & 0x7f;
    const length = flac.readUIntBE(at + 1, 3);
    if (type === 0) streamInfo = Buffer.from(flac.subarray(at, at + 4 + length));
    at += 4 + length;
    if (last) break;
  }
  streamInfo![0] = 0; // not the last block: the comment follows
  return { mp3, streamInfo: streamInfo!, flacFrames: flac.subarray(at) };
}

/** `n` tracks, 100 to an album folder, each with tags of its own; made once and kept. */
function millionLibrary(n: number): string {
  const dir = join(ROOT, `million-${n}`);
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const t = templates();
  console.log(`generating ${n.toLocaleString('en')} tagged files…`);
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const album = Math.floor(i / PER_ALBUM);
    const track = (i % PER_ALBUM) + 1;
    const artist = `Artist ${Math.floor(album / 10)}`;
    const folder = join(tmp, `a${Math.floor(album / 1000)}`, `album-${album}`);
    if (track === 1) mkdirSync(folder, { recursive: true });
    const tags = {
      title: `Song ${i} ${createHash('md5').update(String(i)).digest('hex').slice(0, 6)}`,
      artist,
      album: `Album ${album}`,
      track: String(track),
      date: String(1960 + (album % 60)),
      genre: ['Rock', 'Jazz', 'Ambient', 'Techno', 'Folk'][album % 5]!,
    };
    if (album % FLAC_EVERY === FLAC_EVERY - 1) {
      const comment = vorbisComment(
        {
          TITLE: tags.title,
          ARTIST: tags.artist,
          ALBUM: tags.album,
          TRACKNUMBER: tags.track,
          DATE: tags.date,
          GENRE: tags.genre,
        },
        true,
      );
      writeFileSync(
        join(folder, `${String(track).padStart(3, '0')}.flac`),
        Buffer.concat([Buffer.from('fLaC'), t.streamInfo, comment, t.flacFrames]),
      );
    } else {
      const tag = id3({
        TIT2: tags.title,
        TPE1: tags.artist,
        TALB: tags.album,
        TRCK: tags.track,
        TYER: tags.date,
        TCON: tags.genre,
      });
      writeFileSync(join(folder, `${String(track).padStart(3, '0')}.mp3`), Buffer.concat([tag, t.mp3]));
    }
    if ((i + 1) % 100_000 === 0)
      console.log(
        `  ${(i + 1).toLocaleString('en')} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
  }
  renameSync(tmp, dir);
  return dir;
}

/** The first `n` tracks' albums of the library as a library of their own (hard links: no more disk). */
function subset(of: string, n: number): string {
  const dir = join(ROOT, `million-subset-${n}-of-${basename(of)}`);
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const albums = Array.from({ length: n / PER_ALBUM }, (_, album) => album);
  for (let top = 0; top * 1000 < albums.length; top++) {
    const into = join(tmp, `a${top}`);
    mkdirSync(into, { recursive: true });
    const these = albums
      .slice(top * 1000, (top + 1) * 1000)
      .map((album) => join(of, `a${top}`, `album-${album}`));
    execFileSync('cp', ['-al', ...these, into]);
  }
  renameSync(tmp, dir);
  return dir;
}

const sleeve = (home: string, args: readonly string[]) =>
  measure(process.execPath, [...SLEEVE, '--home', home, ...args]);

/** A template as a mount may have: folders of genres, then album artists, then albums. */
const TEMPLATE = '$genre/$albumartist/$album/$title';

interface Started {
  /** A login's first answer (ping: answered while the library is read). */
  firstAnswer: number;
  /** The first answer from the library (an album list: once the library is read). */
  libraryAnswer: number;
  rssMb: number;
}
interface Browsed {
  indexesP95: number;
  directoryP95: number;
}

/** The parts measured: a run measures all but `watch` (minutes at 1M), or those `--only` names over the
 *  libraries an earlier run scanned. */
const PARTS = ['scan', 'app', 'retag', 'subsonic', 'mount', 'watch', 'analysis'] as const;
type Part = (typeof PARTS)[number];

/** What the scan part measures: the scan, a rescan, the database's size, a query, an edit and its undo. */
interface Scanned {
  scan: { seconds: number; peakMb: number };
  rescan: number;
  dbBytesPerTrack: number;
  query: number;
  edit: number;
  undo: number;
}

interface Figures {
  scanned?: Scanned;
  subsonic?: Started &
    Browsed & {
      search3P95: number;
      albumList2P95: number;
      syncSeconds: number;
      syncedSongs: number;
      editSeenMs: number;
    };
  /** The Subsonic server given a template of its own (`TEMPLATE`): its folders. */
  templateFolders?: Started & Browsed;
  app?: {
    firstRows: number;
    keyPageP95: number;
    keyCountP95: number;
    selectiveCountP95?: number;
    typedWindowP95: number;
    typedCountMs: number;
    sortFirst: number;
    sortMiddle: number;
  };
  retag?: {
    tracks: number;
    seconds: number;
    longestWaitMs: number;
    undo: number;
    alone: number;
    undoAlone: number;
  };
  watch?: { startSeconds: number; intakeSeconds: number; intakeCpuSeconds: number; idleCorePercent: number };
  mount?: {
    up: number;
    daemonMb: number;
    find: number;
    entries: number;
    playerMsPerFile: number;
  } & ShownEdits;
  analysis?: { grouping: GroupingFigures; queries: QueryFigures; map: MapFigures };
}

type Call = (method: string, params: Record<string, string>) => Promise<{ ms: number; body: SubsonicBody }>;
interface SubsonicBody {
  status: string;
  indexes?: { index?: Array<{ artist: Array<{ id: string }> }> };
  searchResult3?: { song?: unknown[] };
  directory?: { child?: Array<{ id: string; isDir: boolean }> };
}

const p95 = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    95,
  );

/** `sleeve subsonic` started over `home` (with `args`), until its first answer; `use` then asks it. */
async function withSubsonic<T>(
  home: string,
  args: readonly string[],
  use: (call: Call, started: Started) => Promise<T>,
): Promise<T> {
  execFileSync(process.execPath, [...SLEEVE, '--home', home, 'subsonic', 'user', 'bench'], {
    input: 'bench-pass\n',
  });
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...SLEEVE, '--home', home, 'subsonic', '--port', '0', '--json', ...args],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(String(d)));
      child.once('exit', (code) => reject(new Error(`sleeve subsonic exited ${code}`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    const salt = 'benchsalt';
    const auth = new URLSearchParams({
      u: 'bench',
      s: salt,
      t: createHash('md5').update(`bench-pass${salt}`).digest('hex'),
      v: '1.16.1',
      c: 'bench',
      f: 'json',
    });
    const call: Call = async (method, params) => {
      const t1 = performance.now();
      const r = (await (await fetch(`${url}${method}?${auth}&${new URLSearchParams(params)}`)).json()) as {
        'subsonic-response': SubsonicBody;
      };
      const body = r['subsonic-response'];
      if (body.status !== 'ok') throw new Error(`${method}: ${JSON.stringify(r)}`);
      return { ms: performance.now() - t1, body };
    };
    await call('ping', {});
    const firstAnswer = (performance.now() - t0) / 1000;
    await call('getAlbumList2', { type: 'newest', size: '1' });
    const libraryAnswer = (performance.now() - t0) / 1000;
    const rssMb =
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    return await use(call, { firstAnswer, libraryAnswer, rssMb });
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
  }
}

/** Browsing by folder as DSub does, 100 times: the music folder's index, then down from the `i`-th
 *  entry (picked across the whole index) folder by folder to its songs: each call's time. */
async function browseFolders(call: Call): Promise<Browsed> {
  const indexes: number[] = [];
  const directories: number[] = [];
  for (let i = 0; i < 100; i++) {
    const index = await call('getIndexes', {});
    indexes.push(index.ms);
    const entries = (index.body.indexes?.index ?? []).flatMap((x) => x.artist);
    if (entries.length === 0) throw new Error('getIndexes: no folders');
    let id = entries[(i * 7919) % entries.length]!.id;
    for (;;) {
      const dir = await call('getMusicDirectory', { id });
      directories.push(dir.ms);
      const folders = (dir.body.directory?.child ?? []).filter((c) => c.isDir);
      if (folders.length === 0) break;
      id = folders[(i * 104_729) % folders.length]!.id;
    }
  }
  return { indexesP95: p95(indexes), directoryP95: p95(directories) };
}

/** A client's full sync for offline use (as Symfonium and DSub do it): every song by an empty search3,
 *  500 a page, until a page comes short. */
async function sync(call: Call): Promise<{ syncSeconds: number; syncedSongs: number }> {
  const t0 = performance.now();
  let songs = 0;
  for (;;) {
    const params = {
      query: '',
      artistCount: '0',
      albumCount: '0',
      songCount: '500',
      songOffset: String(songs),
    };
    const page = (await call('search3', params)).body.searchResult3?.song?.length ?? 0;
    songs += page;
    if (page < 500) break;
  }
  return { syncSeconds: (performance.now() - t0) / 1000, syncedSongs: songs };
}

/** An album's titles edited from the CLI while the server runs: the time of the server's first answer
 *  after the edit, which must carry it (its catalog patched); then the edit undone. */
async function editSeen(call: Call, home: string, albums: number): Promise<{ editSeenMs: number }> {
  const album = `Album ${Math.floor(albums / 3)}`;
  const title = 'Edited Where Phones Look';
  await sleeve(home, ['set', `album:="${album}"`, `title=${title}`, '-y']);
  try {
    const answer = await call('search3', {
      query: title,
      artistCount: '0',
      albumCount: '0',
      songCount: '200',
    });
    const songs = answer.body.searchResult3?.song?.length ?? 0;
    if (songs !== PER_ALBUM) throw new Error(`search3 after an edit: ${songs} songs, not ${PER_ALBUM}`);
    return { editSeenMs: answer.ms };
  } finally {
    await sleeve(home, ['undo']);
  }
}

/** The Subsonic server under the default template: its start, searches, lists and folders. */
function subsonicFigures(home: string, albums: number): Promise<Figures['subsonic']> {
  return withSubsonic(home, [], async (call, started) => {
    const search: number[] = [];
    const lists: number[] = [];
    for (let i = 0; i < 100; i++) {
      search.push((await call('search3', { query: `Album ${(i * 7919) % albums}`, songCount: '20' })).ms);
      const offset = String((i * 104_729) % albums);
      lists.push((await call('getAlbumList2', { type: 'alphabeticalByName', size: '50', offset })).ms);
    }
    const browsed = await browseFolders(call);
    const edited = await editSeen(call, home, albums);
    return {
      ...started,
      ...edited,
      search3P95: p95(search),
      albumList2P95: p95(lists),
      ...browsed,
      ...(await sync(call)),
    };
  });
}

/** The server given a template of its own (a mount's): its start, which makes the template's folders,
 *  and browsing them. */
function templateFolderFigures(home: string): Promise<Figures['templateFolders']> {
  return withSubsonic(home, ['--template', TEMPLATE], async (call, started) => ({
    ...started,
    ...(await browseFolders(call)),
  }));
}

/** Keys a second a quick typist types. */
const KEYS_A_SECOND = 8;

/** The Tracks view lists one file per recording unless the user turns it off (App.tsx). */
const AS_THE_VIEW = { onePerRecording: true } as const;

/**
 * `typed` typed at KEYS_A_SECOND, as the Tracks view asks: each key's first window, then its count, not
 * waited for (the newest waiting while one runs: LatestCount). Each key's window time (p95), and how long
 * after the last key its count came.
 */
async function typedAtSpeed(
  client: RpcClient,
  typed: string,
  page: (query: string, sort: null) => Promise<unknown>,
): Promise<{ typedWindowP95: number; typedCountMs: number }> {
  const gate = new LatestCount();
  const windows: number[] = [];
  let last: Promise<number | null> = Promise.resolve(null);
  let lastKeyAt = 0;
  for (let n = 1; n <= typed.length; n++) {
    const query = typed.slice(0, n);
    lastKeyAt = performance.now();
    await page(query, null);
    windows.push(performance.now() - lastKeyAt);
    last = gate.ask(() => client.call('library.count', { query, ...AS_THE_VIEW }).then((r) => r.total));
    const wait = lastKeyAt + 1000 / KEYS_A_SECOND - performance.now();
    if (wait > 0 && n < typed.length) await new Promise((r) => setTimeout(r, wait));
  }
  await last;
  return {
    typedWindowP95: percentile(
      [...windows].sort((a, b) => a - b),
      95,
    ),
    typedCountMs: performance.now() - lastKeyAt,
  };
}

/**
 * The app's backend (`sleeve serve`, as the app starts it) over the library, asked as the Tracks view asks:
 * its first rows after the start; a query typed a key at a time ("Album 4242": each prefix its first
 * window, then its count); the whole library sorted by title, at its start and its middle.
 */
async function appFigures(home: string, tracks: number): Promise<NonNullable<Figures['app']>> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...SLEEVE, '--home', home, 'serve', '--no-ui', '--json', '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const client = await new Promise<RpcClient>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => {
      const { port, token } = JSON.parse(String(d)) as { port: number; token: string };
      resolve(new RpcClient(`ws://127.0.0.1:${port}/rpc?token=${token}`));
    });
    child.once('exit', (code) => reject(new Error(`sleeve serve exited ${code}`)));
  });
  try {
    const page = (query: string, sort: { field: string; descending: boolean } | null, offset = 0) =>
      client.call('library.page', { query, sort, offset, limit: 100, ...AS_THE_VIEW });
    await page('', null);
    const firstRows = (performance.now() - started) / 1000;
    const timed = async (f: () => Promise<unknown>) => {
      const t0 = performance.now();
      await f();
      return performance.now() - t0;
    };
    const typed = `Album ${Math.floor(tracks / PER_ALBUM / 2)}`;
    const pages: number[] = [];
    const counts: number[] = [];
    // The counts of the keys that leave a selective query (under 1 % of the tracks): the goal's case. A
    // broad key's count reads every file's text, and is shown after the rows.
    const selectiveCounts: number[] = [];
    for (let n = 1; n <= typed.length; n++) {
      const query = typed.slice(0, n);
      pages.push(await timed(() => page(query, null)));
      let total = 0;
      const ms = await timed(async () => {
        ({ total } = await client.call('library.count', { query, ...AS_THE_VIEW }));
      });
      counts.push(ms);
      if (total < tracks / 100) selectiveCounts.push(ms);
    }
    // Another text than the one above, whose windows and counts the backend keeps: a title's words, whose
    // first keys match every track.
    const atSpeed = await typedAtSpeed(client, `Song ${Math.floor(tracks / 3)}`, page);
    const byTitle = { field: 'title', descending: false };
    const sortFirst = await timed(() => page('', byTitle));
    const sortMiddle = await timed(() => page('', byTitle, Math.floor(tracks / 2)));
    const p95 = (xs: number[]) =>
      percentile(
        [...xs].sort((x, y) => x - y),
        95,
      );
    return {
      firstRows,
      keyPageP95: p95(pages),
      keyCountP95: p95(counts),
      // None when no key leaves under 1 % (a small --small library): blank, not NaN.
      ...(selectiveCounts.length > 0 ? { selectiveCountP95: p95(selectiveCounts) } : {}),
      ...atSpeed,
      sortFirst,
      sortMiddle,
    };
  } finally {
    client.close();
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
  }
}

/**
 * A retag of a tenth of the library or more (`sleeve set 'album:"album 1"'`: Album 1, 10–19, 100–199…,
 * 111,100 tracks at 1M) as one batch, while another writer takes the library's write lock every 20 ms:
 * the longest it waited; then the batch's undo; then the same retag and undo with no other writer; then the
 * full-text index merged down.
 */
async function retagFigures(home: string): Promise<NonNullable<Figures['retag']>> {
  const db = openDatabase(join(home, 'library.db'));
  const waits: number[] = [];
  let running = true;
  const other = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        // As Sleeve's writers take the lock (trying every millisecond): SQLite's own busy handler sleeps
        // in growing steps and keeps missing the moments a chunked writer leaves free.
        writeTransaction(db, () => {});
      } catch {
        // Busy past the connection's timeout: the wait counts all the same.
      }
      waits.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    const retag = await sleeve(home, ['set', 'album:"album 1"', 'comment=Retagged', '--yes-all']);
    const tracks = Number(
      /(\d[\d,]*) file\(s\) will change/.exec(retag.stdout + retag.stderr)?.[1]?.replace(/,/g, '') ?? 0,
    );
    running = false;
    await other;
    const undo = await sleeve(home, ['undo']);
    // The same with no other writer: a long job pauses long only while one waits (write-lock.ts).
    const alone = await sleeve(home, ['set', 'album:"album 1"', 'comment=Retagged alone', '--yes-all']);
    const undoAlone = await sleeve(home, ['undo']);
    // The full-text index merged down, as the app's backend or a mount would within a minute: the four
    // batches left it in many segments, and a later `--only app` run would time queries over them.
    await mergeSearchDown(db, 60_000, () => false);
    return {
      tracks,
      seconds: retag.seconds,
      longestWaitMs: Math.max(...waits),
      undo: undo.seconds,
      alone: alone.seconds,
      undoAlone: undoAlone.seconds,
    };
  } finally {
    running = false;
    db.close();
  }
}

/** Edits made (as `sleeve set` makes them, here in-process) until the mount shows them, from each commit:
 *  a retitle (the file moves: its new path found), the first after the start apart, and a comment (its
 *  new size); then one retitle after the mount has been quiet (as a user's edit usually comes). */
interface ShownEdits {
  retitleFirst: number;
  retitleP50: number;
  retitleMax: number;
  retitleAfterQuiet: number;
  commentP50: number;
  commentMax: number;
}
const SHOWN_EDITS = 20;
/** How long the mount is left quiet before the last retitle: on this VM memory left alone that long is
 *  three times as slow to copy again (no page fault counted), which a publish that copies its tree pays. */
const QUIET_MS = 60_000;

/** The served folder of track `i` (the default template: album artist, album, its year). */
function albumFolder(mnt: string, i: number): string {
  const album = Math.floor(i / PER_ALBUM);
  return join(mnt, `Artist ${Math.floor(album / 10)}`, `Album ${album} (${1960 + (album % 60)})`);
}

/** Polls (each millisecond, as a player would see it) until `shown` holds, then the ms since `from`. */
async function shownAfter(from: number, shown: () => boolean, what: string): Promise<number> {
  while (!shown()) {
    if (performance.now() - from > 10_000) throw new Error(`never shown: ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
  return performance.now() - from;
}

async function shownEdits(home: string, library: string, mnt: string, tracks: number): Promise<ShownEdits> {
  const db = openDatabase(join(home, 'library.db'));
  const fileOf = db.prepare<[string], { id: number }>('SELECT id FROM files WHERE path = ?');
  /** Track `i` of the library: its file id and its served path. */
  const track = (i: number) => {
    const folder = albumFolder(mnt, i);
    const name = readdirSync(folder).find((n) => n.includes(`Song ${i} `))!;
    const original = join(
      library,
      `a${Math.floor(i / PER_ALBUM / 1000)}`,
      `album-${Math.floor(i / PER_ALBUM)}`,
      `${String((i % PER_ALBUM) + 1).padStart(3, '0')}${extname(name)}`,
    );
    return { id: fileOf.get(original)!.id, folder, name };
  };
  // Undone after, so that the library stays as made (the next run finds its tracks by their titles).
  const batches: number[] = [];
  const edit = (id: number, key: string, value: string) => {
    const plan = planEdit(db, [id], [{ key, values: [value] }]);
    batches.push(applyEdit(db, plan, { description: 'bench', origin: 'cli' })!);
    return performance.now();
  };
  try {
    const retitles: number[] = [];
    const comments: number[] = [];
    for (let k = 0; k < SHOWN_EDITS; k++) {
      const i = Math.floor((tracks / SHOWN_EDITS) * k) + 7; // spread over the library's folders
      const { id, folder, name } = track(i);
      const title = `Retitled ${k}`;
      const moved = join(folder, name.replace(/Song \d+ \w+/, title));
      retitles.push(await shownAfter(edit(id, 'title', title), () => existsSync(moved), moved));
      const other = track(i + 50);
      const path = join(other.folder, other.name);
      const size = statSync(path).size;
      comments.push(
        await shownAfter(edit(other.id, 'comment', `shown ${k}`), () => statSync(path).size !== size, path),
      );
    }
    // One more, in a folder not edited yet, after a quiet minute.
    const quiet = track(Math.floor(tracks / 2) + 31);
    const quietMoved = join(quiet.folder, quiet.name.replace(/Song \d+ \w+/, 'Retitled after quiet'));
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const retitleAfterQuiet = await shownAfter(
      edit(quiet.id, 'title', 'Retitled after quiet'),
      () => existsSync(quietMoved),
      quietMoved,
    );
    const retitleFirst = retitles.shift()!;
    retitles.sort((x, y) => x - y);
    comments.sort((x, y) => x - y);
    return {
      retitleFirst,
      retitleP50: percentile(retitles, 50),
      retitleMax: retitles.at(-1)!,
      retitleAfterQuiet,
      commentP50: percentile(comments, 50),
      commentMax: comments.at(-1)!,
    };
  } finally {
    for (const batch of batches.reverse()) undoBatch(db, batch);
    db.close();
  }
}

async function mountFigures(home: string, library: string, tracks: number): Promise<Figures['mount']> {
  const mnt = join(ROOT, 'million-mnt');
  mkdirSync(mnt, { recursive: true });
  // The library's database in the page cache, as a scan or the app leaves it (a run at the other size
  // emptied the cache).
  const database = () => execFileSync('sh', ['-c', 'cat "$0"* >/dev/null', join(home, 'library.db')]);
  database();
  const t0 = performance.now();
  execFileSync(process.execPath, [...SLEEVE, '--home', home, 'mount', mnt], { stdio: 'ignore' });
  const up = (performance.now() - t0) / 1000;
  try {
    // A player's first look at it, on the fresh mount, its originals not in the page cache (alike at both
    // sizes: the 100k library's files are links to the million's), the database in it.
    const nothing = mkdtempSync(join(tmpdir(), 'sleeve-bench-empty-'));
    dropCaches(() => {
      readTags(nothing);
      database();
    });
    rmSync(nothing, { recursive: true });
    const scanned = readTags(mnt, PLAYER_FILES);
    if (scanned.files !== PLAYER_FILES) throw new Error(`mutagen read ${scanned.files} files' tags`);
    const pid = execFileSync('pgrep', ['-f', `daemon.*${mnt}`])
      .toString()
      .trim()
      .split('\n')[0];
    const t1 = performance.now();
    const listed =
      execFileSync('find', [mnt], { maxBuffer: 1 << 30 })
        .toString()
        .split('\n').length - 1;
    const find = (performance.now() - t1) / 1000;
    const daemonMb =
      Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    const playerMsPerFile = (scanned.seconds * 1000) / PLAYER_FILES;
    return {
      up,
      daemonMb,
      find,
      entries: listed,
      playerMsPerFile,
      ...(await shownEdits(home, library, mnt, tracks)),
    };
  } finally {
    execFileSync(process.execPath, [...SLEEVE, '--home', home, 'umount', mnt], { stdio: 'ignore' });
  }
}

/** The library's home for `tracks` tracks (kept after a run, for `--only`). */
const homeFor = (tracks: number) => join(ROOT, `million-home-${tracks}`);

/** A fresh home: the library scanned, scanned again, an album's query, edit and undo. */
async function scanFigures(library: string, tracks: number): Promise<Scanned> {
  const home = homeFor(tracks);
  rmSync(home, { recursive: true, force: true });
  console.log(`${tracks.toLocaleString('en')} tracks: scanning…`);
  const scanArgs = ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', library];
  const scan = await sleeve(home, scanArgs);
  const rescan = await sleeve(home, scanArgs);
  const db = join(home, 'library.db');
  const dbBytes = statSync(db).size + (existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0);
  const album = `Album ${Math.floor(tracks / PER_ALBUM / 2)}`;
  const query = await sleeve(home, ['ls', `album:="${album}"`]);
  if (query.stdout.trim().split('\n').length !== PER_ALBUM)
    throw new Error(`ls ${album}: ${query.stdout.slice(0, 200)}`);
  const edit = await sleeve(home, ['set', `album:="${album}"`, 'genre=Edited', '-y']);
  const undo = await sleeve(home, ['undo']);
  return {
    scan: { seconds: scan.seconds, peakMb: scan.peakRssMb },
    rescan: rescan.seconds,
    dbBytesPerTrack: dbBytes / tracks,
    query: query.seconds,
    edit: edit.seconds,
    undo: undo.seconds,
  };
}

/** The analysis side at this size, each benchmark over a synthetic library of its own. */
function analysisFigures(tracks: number): NonNullable<Figures['analysis']> {
  const n = String(tracks);
  console.log(`  analysis…`);
  return {
    grouping: figuresOf<GroupingFigures>('fingerprint', ['--tracks', '0', '--group-files', n]),
    queries: figuresOf<QueryFigures[]>('similar', ['--only', 'queries', '--sizes', n])[0]!,
    map: figuresOf<MapFigures>('map', ['--tracks', n]),
  };
}

async function figuresFor(library: string, tracks: number, parts: ReadonlySet<Part>): Promise<Figures> {
  const home = homeFor(tracks);
  const figures: Figures = {};
  if (parts.has('scan')) figures.scanned = await scanFigures(library, tracks);
  else if ([...parts].some((p) => p !== 'analysis') && !existsSync(join(home, 'library.db')))
    throw new Error(`${home}: not scanned (run without --only)`);
  if (parts.has('app')) figures.app = await appFigures(home, tracks);
  if (parts.has('retag')) figures.retag = await retagFigures(home);
  if (parts.has('subsonic')) {
    console.log(`  subsonic…`);
    figures.subsonic = await subsonicFigures(home, tracks / PER_ALBUM);
    figures.templateFolders = await templateFolderFigures(home);
  }
  if (parts.has('mount')) {
    console.log(`  mount…`);
    figures.mount = await mountFigures(home, library, tracks);
  }
  if (parts.has('watch')) {
    console.log(`  watch…`);
    figures.watch = await watchFigures(home, library);
  }
  if (parts.has('analysis')) figures.analysis = analysisFigures(tracks);
  return figures;
}

/** A process's parent and CPU ticks (100 a second): its own (its threads'), and with what its ended
 *  children used (added to it as it reaps them); undefined once it ended. */
function procStat(pid: number | string): { ppid: number; own: number; ticks: number } | undefined {
  try {
    // After the name: state, ppid, … utime (11), stime, cutime, cstime.
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return { ppid: Number(f[1]), own, ticks: own + Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** CPU seconds used by `pid` and the processes below it: a watcher's analysis processes count. */
function cpuSeconds(pid: number): number {
  const procs = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    const stat = /^\d+$/.test(entry) ? procStat(entry) : undefined;
    if (stat) procs.set(Number(entry), stat);
  }
  let ticks = 0;
  const below = [pid];
  while (below.length > 0) {
    const p = below.pop()!;
    ticks += procs.get(p)?.ticks ?? 0;
    for (const [child, c] of procs) if (c.ppid === p) below.push(child);
  }
  return ticks / 100;
}

/** CPU seconds used by `pid` itself (its threads), not its children: the watcher's own work. */
function ownCpuSeconds(pid: number): number {
  return (procStat(pid)?.own ?? 0) / 100;
}

/** Resolves once `pid` and its children used under a tenth of a core for two seconds in a row: done with
 *  its work; rejects if it is still busy after `limitS` seconds. */
async function quiet(pid: number, limitS = 600): Promise<void> {
  const until = performance.now() + limitS * 1000;
  let last = cpuSeconds(pid);
  for (let calm = 0; calm < 4; ) {
    if (performance.now() > until) throw new Error(`still busy after ${limitS} s`);
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuSeconds(pid);
    calm = now - last < 0.05 ? calm + 1 : 0;
    last = now;
  }
}

/**
 * `sleeve watch` over the library: how long until its first look at the whole library is done and it
 * sits idle; then 1,000 new files copied into a new folder (ten albums), how long until the library
 * has them all; then its CPU while idle for ten seconds. The folder is removed after.
 */
export async function watchFigures(home: string, library: string): Promise<Figures['watch']> {
  const started = performance.now();
  const child = spawn(process.execPath, [...SLEEVE, '--home', home, 'watch', '--json'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const added = join(library, 'new-albums');
  const db = openDatabase(join(home, 'library.db'));
  const inLibrary = db.prepare("SELECT count(*) FROM files WHERE path LIKE ? AND status = 'ok'").pluck();
  const listed = () => inLibrary.get(`${added}/%`) as number;
  try {
    await new Promise((r) => setTimeout(r, 1000));
    await quiet(child.pid!);
    const startSeconds = (performance.now() - started) / 1000 - 2;
    const t0 = performance.now();
    const ownBefore = ownCpuSeconds(child.pid!);
    mkdirSync(added, { recursive: true });
    for (let album = 0; album < 10; album++)
      execFileSync('cp', ['-r', join(library, 'a0', `album-${album}`), join(added, `album-${album}`)]);
    while (listed() < 1000) await new Promise((r) => setTimeout(r, 100));
    const intakeSeconds = (performance.now() - t0) / 1000;
    await quiet(child.pid!);
    const intakeCpuSeconds = ownCpuSeconds(child.pid!) - ownBefore;
    const before = cpuSeconds(child.pid!);
    await new Promise((r) => setTimeout(r, 10_000));
    const idleCorePercent = ((cpuSeconds(child.pid!) - before) / 10) * 100;
    return { startSeconds, intakeSeconds, intakeCpuSeconds, idleCorePercent };
  } finally {
    // Removed while the watcher still runs, which marks the files missing: the library is left as it was
    // found (removed after it stopped, they stayed listed, and a mount then served files that are gone).
    rmSync(added, { recursive: true, force: true });
    for (const until = performance.now() + 60_000; listed() > 0 && performance.now() < until; )
      await new Promise((r) => setTimeout(r, 100));
    if (listed() > 0) console.warn(`  the watcher left ${listed()} removed files listed: rescan ${library}`);
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    db.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      tracks: { type: 'string', default: '1000000' },
      small: { type: 'string', default: '100000' },
      'no-mount': { type: 'boolean', default: false },
      /** `sleeve watch` too: its first look, 1,000 new files taken in, its idle CPU (minutes at 1M). */
      watch: { type: 'boolean', default: false },
      /** Only these parts (comma-separated), over the libraries an earlier run scanned: `--only subsonic`. */
      only: { type: 'string' },
    },
  });
  const big = Number(values.tracks);
  const small = Number(values.small);
  const parts = new Set<Part>(
    values.only
      ? values.only.split(',').map((p) => {
          if (!(PARTS as readonly string[]).includes(p))
            throw new Error(`--only ${p}: one of ${PARTS.join(', ')}`);
          return p as Part;
        })
      : PARTS.filter((p) => p !== 'watch' || values.watch),
  );
  // The mount needs FUSE, here root's.
  if (values['no-mount'] || process.getuid?.() !== 0) parts.delete('mount');
  const load = loadMeter();
  const library = millionLibrary(big);
  const results: Array<[number, Figures]> = [];
  for (const n of [small, big])
    results.push([n, await figuresFor(n === big ? library : subset(library, n), n, parts)]);
  const [[, a], [, b]] = results as [[number, Figures], [number, Figures]];
  const row = (what: string, f: (x: Figures) => number | undefined, unit: string, goal: string) => {
    const x = f(a);
    const y = f(b);
    if (x === undefined && y === undefined) return null; // a part not measured in this run
    const growth = x && y ? `${(y / x).toFixed(1)}×` : '';
    return `| ${what} | ${x?.toFixed(2) ?? '–'} ${unit} | ${y?.toFixed(2) ?? '–'} ${unit} | ${growth} | ${goal} |`;
  };
  console.log(`\n${machine()}; ${loadText(load())}`);
  console.log(
    `| measure | ${small.toLocaleString('en')} | ${big.toLocaleString('en')} | growth | goal at 1M |`,
  );
  console.log('|---|---|---|---|---|');
  for (const line of [
    row('tags-only scan', (x) => x.scanned?.scan.seconds, 's', '≤ 600 s'),
    row(
      'its peak memory a track',
      (x) => x.scanned && (x.scanned.scan.peakMb * 1024 * 1024) / (x === a ? small : big),
      'B',
      '≤ 1,536 B',
    ),
    row('rescan, nothing changed', (x) => x.scanned?.rescan, 's', '≤ 60 s'),
    row('library.db a track', (x) => x.scanned?.dbBytesPerTrack, 'B', '≤ 2,048 B'),
    row('one album from the CLI (whole process)', (x) => x.scanned?.query, 's', '≤ 1 s'),
    row("an album's edit (100 tracks)", (x) => x.scanned?.edit, 's', '≤ 2 s'),
    row('its undo', (x) => x.scanned?.undo, 's', '≤ 2 s'),
    row("the app's first rows after its start", (x) => x.app?.firstRows, 's', '≤ 1 s'),
    row('a query typed: its first window p95 a key', (x) => x.app?.keyPageP95, 'ms', '≤ 100 ms'),
    row('… and its count p95 a key', (x) => x.app?.keyCountP95, 'ms', ''),
    row('… … of the keys matching under 1 %', (x) => x.app?.selectiveCountP95, 'ms', '≤ 100 ms'),
    row(
      `a query typed at ${KEYS_A_SECOND} keys a second: its first window p95 a key`,
      (x) => x.app?.typedWindowP95,
      'ms',
      '≤ 100 ms',
    ),
    row('… its count after the last key', (x) => x.app?.typedCountMs, 'ms', ''),
    row('the whole library by title: first rows / its middle', (x) => x.app?.sortFirst, 'ms', ''),
    row('… its middle', (x) => x.app?.sortMiddle, 'ms', ''),
    row('a retag (tracks)', (x) => x.retag?.tracks, '', ''),
    row('… its time', (x) => x.retag?.seconds, 's', '≤ 60 s at 100k'),
    row('… the longest another writer waited', (x) => x.retag?.longestWaitMs, 'ms', '≤ 100 ms'),
    row('… its undo', (x) => x.retag?.undo, 's', ''),
    row('… the same retag with no other writer', (x) => x.retag?.alone, 's', '≤ 60 s at 100k'),
    row('… … its undo', (x) => x.retag?.undoAlone, 's', ''),
    row('Subsonic: first answer after start (ping)', (x) => x.subsonic?.firstAnswer, 's', ''),
    row('… its first answer from the library', (x) => x.subsonic?.libraryAnswer, 's', ''),
    row('Subsonic: memory', (x) => x.subsonic?.rssMb, 'MB', ''),
    row('Subsonic: search3 p95', (x) => x.subsonic?.search3P95, 'ms', '≤ 100 ms'),
    row('Subsonic: getAlbumList2 p95', (x) => x.subsonic?.albumList2P95, 'ms', '≤ 100 ms'),
    row('Subsonic: a full sync by search3 (500 a page)', (x) => x.subsonic?.syncSeconds, 's', '≤ 60 s'),
    row('… the songs it got', (x) => x.subsonic?.syncedSongs, '', ''),
    row(
      "Subsonic: the first answer after an album's edit (it shows)",
      (x) => x.subsonic?.editSeenMs,
      'ms',
      '',
    ),
    row('Subsonic: getIndexes p95', (x) => x.subsonic?.indexesP95, 'ms', '≤ 100 ms'),
    row('… getMusicDirectory p95', (x) => x.subsonic?.directoryP95, 'ms', '≤ 100 ms'),
    row(`Subsonic with ${TEMPLATE}: first answer`, (x) => x.templateFolders?.firstAnswer, 's', ''),
    row('… its first answer from the library', (x) => x.templateFolders?.libraryAnswer, 's', ''),
    row('… its memory', (x) => x.templateFolders?.rssMb, 'MB', ''),
    row('… getIndexes p95', (x) => x.templateFolders?.indexesP95, 'ms', '≤ 100 ms'),
    row('… getMusicDirectory p95', (x) => x.templateFolders?.directoryP95, 'ms', '≤ 100 ms'),
    row('mount up', (x) => x.mount?.up, 's', '≤ 10 s'),
    row(
      "mount daemon's peak memory a track",
      (x) => ((x.mount?.daemonMb ?? 0) * 1024 * 1024) / (x === a ? small : big) || undefined,
      'B',
      '≤ 2,048 B',
    ),
    row('a full listing (find)', (x) => x.mount?.find, 's', '≤ 120 s'),
    row(
      `a player's first tag scan (mutagen, ${PLAYER_FILES.toLocaleString('en')} files) a file`,
      (x) => x.mount?.playerMsPerFile,
      'ms',
      'not above 100k',
    ),
    row(
      'a retitle through the mount, the first after the start: its new path shown',
      (x) => x.mount?.retitleFirst,
      'ms',
      '≤ 50 ms',
    ),
    row(`… the next ${SHOWN_EDITS - 1}: p50`, (x) => x.mount?.retitleP50, 'ms', '≤ 50 ms'),
    row('… max', (x) => x.mount?.retitleMax, 'ms', '≤ 50 ms'),
    row(
      `… one after the mount was quiet for ${QUIET_MS / 1000} s`,
      (x) => x.mount?.retitleAfterQuiet,
      'ms',
      '≤ 50 ms',
    ),
    row("a comment's edit: its new size shown, p50", (x) => x.mount?.commentP50, 'ms', '≤ 100 ms'),
    row('… max', (x) => x.mount?.commentMax, 'ms', '≤ 100 ms'),
    row('`sleeve watch`: its first look done', (x) => x.watch?.startSeconds, 's', ''),
    row('… 1,000 new files taken in', (x) => x.watch?.intakeSeconds, 's', '≤ 5 s'),
    row(
      '… the CPU its own process used for them (its analysis processes apart)',
      (x) => x.watch?.intakeCpuSeconds,
      's',
      '',
    ),
    row('… its CPU idle', (x) => x.watch?.idleCorePercent, '% of a core', '≤ 1 %'),
    row('grouping fingerprints into recordings', (x) => x.analysis?.grouping.seconds, 's', '≤ 3,600 s'),
    row('… its peak private memory', (x) => x.analysis?.grouping.privatePeakMb, 'MB', '≤ 2,048 MB'),
    row(
      "… its peak resident set (the index's mapped pages counted)",
      (x) => x.analysis?.grouping.peakMb,
      'MB',
      '',
    ),
    row('… the index on disk', (x) => x.analysis?.grouping.indexMb, 'MB', ''),
    row('"more like this", the first queries after opening: p50', (x) => x.analysis?.queries.p50, 'ms', ''),
    row('… p99', (x) => x.analysis?.queries.p99, 'ms', '≤ 20 ms'),
    row('… the same queries again: p50', (x) => x.analysis?.queries.warmP50, 'ms', ''),
    row('… p99', (x) => x.analysis?.queries.warmP99, 'ms', '≤ 20 ms'),
    row('… recall@10', (x) => x.analysis?.queries.recall, '', '≥ 0.95'),
    row('… the exact scan, p99', (x) => x.analysis?.queries.exactP99, 'ms', ''),
    row('… its index built', (x) => x.analysis?.queries.buildSeconds, 's', ''),
    row("the map's points: cold", (x) => x.analysis?.map.pointsColdMs, 'ms', ''),
    row('… cached', (x) => x.analysis?.map.pointsCachedMs, 'ms', ''),
    row('… the Similar tab to its first frame', (x) => x.analysis?.map.firstFrameMs, 'ms', ''),
    row('… pan', (x) => x.analysis?.map.panFps, 'draws/s', '≥ 30'),
    row('… zoom', (x) => x.analysis?.map.zoomFps, 'draws/s', '≥ 30'),
    row('… a click to its neighbours, first', (x) => x.analysis?.map.firstNeighboursMs, 'ms', ''),
    row('… later', (x) => x.analysis?.map.laterNeighboursMs, 'ms', ''),
  ])
    if (line !== null) console.log(line);
}
