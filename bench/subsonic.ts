// npm run bench -- subsonic [--tracks N]
// `sleeve subsonic` in a process of its own over the ui benchmark's synthetic library (N = 100,000 tracks,
// a tenth held twice, a tenth edited: tests/fixtures/synthetic-library.ts), plus one real 120 s FLAC, as a
// phone's client uses it, one request at a time on a kept-alive socket, token authentication each time:
//   - start: the process started until it says where it listens, then until the library is read (it
//     listens first, so that a client's login is answered; a request needing the library waits for it);
//   - search3 with an empty query paging the whole library, 500 songs a page (a client's offline sync);
//   - getAlbumList2 paging every album alphabetically (500 a page), newest and random (50);
//   - getArtists (every artist, by letter), getAlbum and getSong of random albums and songs;
//   - browsing by folder as DSub does (getIndexes, getMusicDirectory from the music folder down to songs),
//     under the default template and, in a second server, under FOLDERS_TEMPLATE (its start too);
//   - stream's first body byte: the FLAC as it is, and transcoded to MP3 (p50 of 7);
//   - an edit (sleeve set, one track) until the next getSong shows it;
//   - the server's resident memory.
// Baseline in the same run: the same lists computed per request from the library's SQL, as the app's views
// do (list.ts listFiles, albums.ts listAlbums and listArtists over one file per recording), in this process.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '../app/core/db/database.ts';
import { resolveHome } from '../app/core/home.ts';
import { listAlbums, listArtists } from '../app/core/library/albums.ts';
import { listFiles } from '../app/core/library/list.ts';
import { setPassword } from '../app/server/subsonic/users.ts';
import { editAlbums, groupCopies, syntheticLibrary } from '../tests/fixtures/synthetic-library.ts';
import { makeTranscodable } from '../tests/fixtures/transcodable.ts';
import { KeepAliveClient } from './keep-alive-client.ts';
import { loadMeter, loadText, machine, percentile, scanTagsOnly } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

const CLI = join(process.cwd(), 'app', 'cli', 'sleeve.js');
/** A template other than the default: browsing by folder walks its folders. */
const FOLDERS_TEMPLATE = '$genre/$albumartist/$album/$tracknumber $title';
const PASSWORD = 'bench password';

function auth(): string {
  const s = randomBytes(6).toString('hex');
  const t = createHash('md5')
    .update(PASSWORD + s)
    .digest('hex');
  return `u=bench&t=${t}&s=${s}&v=1.16.1&c=bench&f=json`;
}

/** Times in ms: count, p50, p95, max. */
function summary(xs: readonly number[]): string {
  const t = [...xs].sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(1);
  return `n ${t.length}, p50 ${f(percentile(t, 50))}, p95 ${f(percentile(t, 95))}, max ${f(t.at(-1) ?? Number.NaN)} ms`;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
type Answer = any;

async function call(
  client: KeepAliveClient,
  method: string,
  params = '',
): Promise<{ ms: number; body: Answer }> {
  const t0 = performance.now();
  const reply = await client.request('GET', `/rest/${method}?${auth()}${params ? `&${params}` : ''}`);
  const ms = performance.now() - t0;
  const body = (JSON.parse(reply.body.toString()) as Answer)['subsonic-response'];
  if (body.status !== 'ok') throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return { ms, body };
}

/** The request sent until the first body byte, in ms. */
function firstByteMs(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}`));
      res.once('data', () => {
        resolve(performance.now() - t0);
        req.destroy();
      });
    });
    req.on('error', (err) => (err.message === 'socket hang up' ? undefined : reject(err)));
    req.end();
  });
}

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Times `run` `n` times, in ms. */
function timed(n: number, run: () => unknown): number[] {
  return Array.from({ length: n }, () => {
    const t0 = performance.now();
    run();
    return performance.now() - t0;
  });
}

/** `sleeve subsonic` started over `home`: its port, the ms until it listened, and until the library was
 *  read (its first answer needing it: getGenres, which waits for the read). */
async function startServer(home: string, extra: string[] = []) {
  const t0 = performance.now();
  const server: ChildProcess = spawn(
    process.execPath,
    [CLI, '--home', home, 'subsonic', '--port', '0', '--json', ...extra],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const first = await createInterface({ input: server.stdout! })[Symbol.asyncIterator]().next();
  const startMs = performance.now() - t0;
  const { port } = JSON.parse(first.value as string) as { port: number };
  const client = new KeepAliveClient(`http://127.0.0.1:${port}`);
  await call(client, 'getGenres');
  client.close();
  return { server, port, startMs, readMs: performance.now() - t0 };
}

async function stopServer(server: ChildProcess): Promise<void> {
  const exited = new Promise((done) => server.once('exit', done));
  server.kill('SIGTERM');
  await exited;
}

/** DSub's habit: the index, then 40 walks from the music folder down to a folder of songs, a random
 *  folder at each level. */
async function browseByFolder(client: KeepAliveClient, label: string): Promise<void> {
  const indexes: number[] = [];
  for (let i = 0; i < 10; i++) indexes.push((await call(client, 'getIndexes')).ms);
  const first = (await call(client, 'getMusicDirectory', 'id=1')).ms;
  const folders: number[] = [];
  let depth = 0;
  for (let walk = 0; walk < 40; walk++) {
    let id = '1';
    for (let level = 1; ; level++) {
      const { ms, body } = await call(client, 'getMusicDirectory', `id=${id}`);
      if (id !== '1') folders.push(ms);
      const dirs = (body.directory.child as Answer[]).filter((c) => c.isDir);
      if (dirs.length === 0) {
        depth = Math.max(depth, level - 1);
        break;
      }
      id = dirs[Math.floor(Math.random() * dirs.length)].id;
    }
  }
  console.log(
    `browsing by folder, ${label}: getIndexes ${summary(indexes)}; the music folder first ${first.toFixed(0)} ms; a folder below (${depth} levels) ${summary(folders)}`,
  );
}

/** An edit that moves a song to a new top folder of the template, then the index a phone asks next (the
 *  tree patched, not made again) and the new folder. */
async function editThenBrowse(client: KeepAliveClient, home: string, songId: string): Promise<void> {
  const genre = 'Moved By An Edit';
  execFileSync(process.execPath, [
    CLI,
    '--home',
    home,
    'set',
    `id:${songId.slice(3)}`,
    `genre=${genre}`,
    '--yes-all',
  ]);
  const refresh = await call(client, 'getSong', `id=${songId}`); // the catalog refreshed and regrouped
  const next = await call(client, 'getIndexes');
  const index = (next.body.indexes.index as Answer[]).flatMap((i) => i.artist as Answer[]);
  const moved = index.find((f) => f.name === genre);
  if (!moved) throw new Error('the edited song is not in its new folder at the next getIndexes');
  const again = await call(client, 'getIndexes');
  console.log(
    `  an edit moving a song to a new folder: the next getSong ${refresh.ms.toFixed(0)} ms (the catalog's refresh), then getIndexes ${next.ms.toFixed(1)} ms (the tree patched); the one after ${again.ms.toFixed(1)} ms`,
  );
}

export async function main(args: string[]): Promise<void> {
  const tracksArg = args.indexOf('--tracks');
  const tracks = tracksArg >= 0 ? Number(args[tracksArg + 1]) : 100_000;
  console.log(`machine: ${machine()}`);
  const home = benchTempDir('sleeve-bench-subsonic-home-');
  syntheticLibrary(home, tracks);
  console.log(
    `library: ${tracks} synthetic tracks, ${groupCopies(home)} held twice, ${editAlbums(home)} edited`,
  );
  const music = join(benchTempDir('sleeve-bench-subsonic-'), 'music');
  const { flac } = makeTranscodable(music, 120);
  scanTagsOnly(home, music);
  setPassword(resolveHome(home), 'bench', PASSWORD);
  const db = openDatabase(join(home, 'library.db'));
  const flacId = db.prepare('SELECT id FROM files WHERE path = ?').pluck().get(flac) as number;

  const load = loadMeter();
  const { server, port, startMs, readMs } = await startServer(home);
  const client = new KeepAliveClient(`http://127.0.0.1:${port}`);
  try {
    console.log(
      `\nstart: ${startMs.toFixed(0)} ms until it listens, ${readMs.toFixed(0)} ms until the library is read (the catalog); RSS ${rssMb(server.pid!).toFixed(0)} MB`,
    );

    // search3, the whole library 500 songs at a time.
    const pages: number[] = [];
    let songs = 0;
    for (let offset = 0; ; offset += 500) {
      const { ms, body } = await call(
        client,
        'search3',
        `query=&artistCount=0&albumCount=0&songCount=500&songOffset=${offset}`,
      );
      pages.push(ms);
      songs += body.searchResult3.song.length;
      if (body.searchResult3.song.length < 500) break;
    }
    console.log(
      `\nsearch3, empty query, 500 a page: ${songs} songs in ${pages.length} pages, total ${(pages.reduce((a, b) => a + b, 0) / 1000).toFixed(2)} s; ${summary(pages)}`,
    );

    const albumPages: number[] = [];
    let albums = 0;
    for (let offset = 0; ; offset += 500) {
      const { ms, body } = await call(
        client,
        'getAlbumList2',
        `type=alphabeticalByName&size=500&offset=${offset}`,
      );
      albumPages.push(ms);
      albums += body.albumList2.album.length;
      if (body.albumList2.album.length < 500) break;
    }
    console.log(`getAlbumList2 alphabeticalByName, 500 a page: ${albums} albums; ${summary(albumPages)}`);
    const newest: number[] = [];
    const random: number[] = [];
    for (let i = 0; i < 30; i++) {
      newest.push((await call(client, 'getAlbumList2', 'type=newest&size=50')).ms);
      random.push((await call(client, 'getAlbumList2', 'type=random&size=50')).ms);
    }
    console.log(`getAlbumList2 newest, 50: ${summary(newest)}`);
    console.log(`getAlbumList2 random, 50: ${summary(random)}`);

    const artists: number[] = [];
    let artistCount = 0;
    for (let i = 0; i < 30; i++) {
      const { ms, body } = await call(client, 'getArtists');
      artists.push(ms);
      artistCount = body.artists.index.reduce((n: number, x: Answer) => n + x.artist.length, 0);
    }
    console.log(`getArtists (${artistCount} artists): ${summary(artists)}`);

    const all = (await call(client, 'getAlbumList2', 'type=random&size=100')).body.albumList2
      .album as Answer[];
    const albumTimes: number[] = [];
    const songTimes: number[] = [];
    for (const a of all) {
      const { ms, body } = await call(client, 'getAlbum', `id=${a.id}`);
      albumTimes.push(ms);
      songTimes.push((await call(client, 'getSong', `id=${body.album.song[0].id}`)).ms);
    }
    console.log(`getAlbum: ${summary(albumTimes)}`);
    console.log(`getSong: ${summary(songTimes)}`);
    await browseByFolder(client, 'the default template');

    const original: number[] = [];
    const mp3: number[] = [];
    for (let i = 0; i < 7; i++) {
      original.push(await firstByteMs(port, `/rest/stream?${auth()}&id=tr-${flacId}`));
      mp3.push(await firstByteMs(port, `/rest/stream?${auth()}&id=tr-${flacId}&format=mp3&maxBitRate=192`));
    }
    console.log(
      `\nstream, request until the first body byte (p50 of 7): FLAC as it is ${percentile(
        [...original].sort((a, b) => a - b),
        50,
      ).toFixed(1)} ms, to MP3 ${percentile(
        [...mp3].sort((a, b) => a - b),
        50,
      ).toFixed(1)} ms`,
    );

    const target = (await call(client, 'getAlbumList2', 'type=alphabeticalByName&size=1&offset=777')).body
      .albumList2.album[0];
    const song = (await call(client, 'getAlbum', `id=${target.id}`)).body.album.song[0];
    execFileSync(process.execPath, [
      CLI,
      '--home',
      home,
      'set',
      `id:${song.id.slice(3)}`,
      'title=Edited Now',
      '--yes-all',
    ]);
    const seen = await call(client, 'getSong', `id=${song.id}`);
    if (seen.body.song.title !== 'Edited Now') throw new Error('the edit did not show at the next answer');
    const after = await call(client, 'getArtists');
    console.log(
      `an edit (sleeve set, one track): the next getSong shows it, in ${seen.ms.toFixed(0)} ms (the catalog's refresh and regrouping); getArtists after it ${after.ms.toFixed(0)} ms`,
    );
    console.log(`server RSS after the run: ${rssMb(server.pid!).toFixed(0)} MB (${loadText(load())})`);

    const templated = await startServer(home, ['--template', FOLDERS_TEMPLATE]);
    const other = new KeepAliveClient(`http://127.0.0.1:${templated.port}`);
    try {
      console.log(
        `\nunder ${FOLDERS_TEMPLATE}: start ${templated.startMs.toFixed(0)} ms until it listens, ${templated.readMs.toFixed(0)} ms until the library is read (each track's path rendered as it is read, the folders made); RSS ${rssMb(templated.server.pid!).toFixed(0)} MB`,
      );
      await browseByFolder(other, 'that template');
      await editThenBrowse(other, home, song.id);
      console.log(`  RSS after: ${rssMb(templated.server.pid!).toFixed(0)} MB`);
    } finally {
      other.close();
      await stopServer(templated.server);
    }

    // Baseline: the lists made per request from SQL, one file per recording, as the app's views make them.
    const sqlPages = [0, 20_000, 50_000, 90_000].map(
      (offset) => timed(1, () => listFiles(db, '', { scope: 'recordings', offset, limit: 500 }))[0]!,
    );
    console.log(`\nbaseline, per request from SQL (this process):`);
    console.log(
      `  a 500-track page (listFiles, recordings) at offsets 0/20k/50k/90k: ${sqlPages.map((x) => x.toFixed(0)).join(' / ')} ms`,
    );
    console.log(`  every album (listAlbums): ${summary(timed(3, () => listAlbums(db, '', 'recordings')))}`);
    console.log(
      `  every artist (listArtists): ${summary(timed(3, () => listArtists(db, '', 'recordings')))}`,
    );
  } finally {
    client.close();
    await stopServer(server);
    db.close();
  }
}
