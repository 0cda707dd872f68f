// The OpenSubsonic server: the protocol at /rest/<method> (".view" too), GET and POST (formPost), JSON or
// XML, over the library as the mount shows it. Thin: it bounds and reads the request, authenticates it
// (auth.ts), and hands it to the endpoint's module; every failure is the protocol's error, and nothing a
// client sends is logged but the method's name. Shares' public pages are below /share/ (share-page.ts: the
// link is their credential). On 127.0.0.1 unless the user names another address.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FileLanes } from '../../../kit/file-lanes.ts';
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../../core/db/database.ts';
import type { Home } from '../../core/home.ts';
import { ArtStore } from '../../core/library/art.ts';
import { Catalog } from '../../core/library/catalog.ts';
import { ServedFiles } from '../../core/library/served-file.ts';
import { DEFAULT_TEMPLATE, type PathTemplate } from '../../core/served/path-template.ts';
import type { MediaServices } from '../media.ts';
import type { SimilarityService } from '../similarity-service.ts';
import { TranscodeSlots } from '../transcode.ts';
import { Authenticator, type FailedLogins } from './auth.ts';
import { coverArt, stream } from './binary.ts';
import * as browse from './browse.ts';
import { clientAddress } from './client-address.ts';
import { ANY_ORIGIN, corsHeaders, preflight } from './cors.ts';
import { CoverSizes } from './cover-size.ts';
import { ERROR, SubsonicError } from './errors.ts';
import * as lists from './lists.ts';
import * as lyrics from './lyrics.ts';
import * as marks from './marks.ts';
import { Params } from './params.ts';
import * as playlists from './playlists.ts';
import * as radio from './radio.ts';
import { errorBody, type Fields, type Format, okBody, pieces } from './response.ts';
import * as resume from './resume.ts';
import { SharePages } from './share-page.ts';
import * as shares from './shares.ts';
import * as sonic from './sonic.ts';
import * as system from './system.ts';
import * as transcoding from './transcoding.ts';
import { answerUnparsed } from './unparsed-request.ts';
import { UsersFile, usersPath } from './users.ts';
import { type LibraryRead, type View, Views } from './view.ts';

/** A form body's most bytes: a playlist of 100,000 songs' ids fits. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Connections open at once (a phone keeps a few; a flood is refused at the socket). */
const MAX_CONNECTIONS = 64;
const MAX_CONNECTIONS_PER_ADDRESS = MAX_CONNECTIONS / 2;
/** How long an idle connection is kept for the client's next request. Node's 5 s is shorter than a pause
 *  between a user's clicks, and a request sent as the server closed its idle connection was reset (a
 *  search3 in the tests; OkHttp retries one, fetch does not); Go's and Kestrel's servers keep them longer.
 *  Idle connections count toward MAX_CONNECTIONS. */
const KEEP_ALIVE_MS = 65_000;

export interface SubsonicOptions {
  readonly db: Db;
  readonly home: Home;
  /** 0 picks a free port. */
  readonly port: number;
  /** The address to listen on: 127.0.0.1 unless the user names another. */
  readonly listen?: string;
  readonly similarity: SimilarityService;
  readonly scans: system.Scans;
  readonly media?: MediaServices;
  /** Whether a password sent as it is (p=, enc:) logs in (config.json: subsonic.passwordLogins). */
  readonly passwordLogins?: boolean;
  /** The origins whose pages may call /rest/ from a browser, or "*" (config.json: subsonic.corsOrigins;
   *  any by default). */
  readonly corsOrigins?: readonly string[];
  /** The path template browsing by folder follows (the mount's): its folders, each song's path. Undefined
   *  or the default: the album artists' and albums' folders. */
  readonly template?: PathTemplate;
  /** Failed logins' bound (tests shorten its window). */
  readonly failures?: FailedLogins;
  readonly log?: (line: string) => void;
}

export interface RunningSubsonic {
  readonly port: number;
  readonly address: string;
  /** Settles once the library is read (its tracks counted); a request that needs it waits for that. */
  readonly ready: Promise<LibraryRead>;
  close(): Promise<void>;
}

/** What a client asks as it logs in, answered while the library is still being read (15 s at a million
 *  tracks): a client that tests its connection is not kept waiting past its timeout. None reads the catalog;
 *  every other method waits until it is read. */
const ANSWERED_WHILE_READING: ReadonlySet<string> = new Set([
  'ping',
  'getLicense',
  'getMusicFolders',
  'getUser',
  'tokenInfo',
  'getScanStatus',
]);

interface Request {
  readonly params: Params;
  /** A JSON body (POST application/json), not yet validated. */
  readonly json?: unknown;
  readonly user: string;
  /** The library now (read when asked: a method answered while reading never asks). */
  readonly view: View;
  /** The address the client reached the server by, as a share's link names it. */
  readonly origin: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly fail: (err: SubsonicError, status?: number) => void;
}

type Endpoint = (r: Request) => Fields | Promise<Fields> | Promise<void>;

/** The binary endpoints answer themselves (undefined); the others with fields to render. */
function endpoints(
  o: SubsonicOptions,
  media: MediaServices,
  changedAt: () => number,
): Record<string, Endpoint> {
  const { db, similarity, scans } = o;
  const art = new ArtStore(db);
  const sizes = new CoverSizes();
  const nowPlaying = new resume.NowPlaying();
  return {
    ping: () => ({}),
    getLicense: system.getLicense,
    getOpenSubsonicExtensions: system.getOpenSubsonicExtensions,
    getMusicFolders: browse.getMusicFolders,
    getIndexes: (r) => browse.getIndexes(r.view, r.params, changedAt()),
    getMusicDirectory: (r) => browse.getMusicDirectory(r.view, r.params),
    getArtists: (r) => browse.getArtists(r.view, r.params),
    getArtist: (r) => browse.getArtist(r.view, r.params),
    getAlbum: (r) => browse.getAlbum(r.view, r.params),
    getSong: (r) => browse.getSong(r.view, r.params),
    getGenres: (r) => browse.getGenres(r.view),
    getLyrics: (r) => lyrics.getLyrics(db, media.files, r.view, r.params),
    getLyricsBySongId: (r) => lyrics.getLyricsBySongId(db, media.files, r.view, r.params),
    getAlbumList: (r) => lists.getAlbumList(r.view, r.params),
    getAlbumList2: (r) => lists.getAlbumList2(r.view, r.params),
    getRandomSongs: (r) => lists.getRandomSongs(r.view, r.params),
    getSongsByGenre: (r) => lists.getSongsByGenre(r.view, r.params),
    search: (r) => lists.searchByFields(r.view, r.params),
    search2: (r) => lists.search2(r.view, r.params),
    search3: (r) => lists.search3(r.view, r.params),
    getStarred: (r) => lists.getStarred(r.view, r.params),
    getStarred2: (r) => lists.getStarred2(r.view, r.params),
    star: (r) => marks.star(db, r.view, r.params, Date.now()),
    unstar: (r) => marks.star(db, r.view, r.params, null),
    setRating: (r) => marks.setRating(db, r.view, r.params),
    scrobble: (r) => {
      const answer = marks.scrobble(db, r.view, r.params);
      const last = r.params.all('id').at(-1);
      if (!r.params.bool('submission', true) && last !== undefined)
        nowPlaying.note(r.user, browse.findTrack(r.view, last).id, r.params.get('c') ?? '');
      return answer;
    },
    getNowPlaying: (r) => nowPlaying.answer(r.view),
    reportPlayback: (r) => resume.reportPlayback(db, r.view, r.params, r.user, nowPlaying),
    savePlayQueue: (r) => resume.savePlayQueue(db, r.view, r.params, r.user),
    getPlayQueue: (r) => resume.getPlayQueue(db, r.view, r.user),
    savePlayQueueByIndex: (r) => resume.savePlayQueueByIndex(db, r.view, r.params, r.user),
    getPlayQueueByIndex: (r) => resume.getPlayQueueByIndex(db, r.view, r.user),
    createBookmark: (r) => resume.createBookmark(db, r.view, r.params, r.user),
    deleteBookmark: (r) => resume.removeBookmark(db, r.view, r.params, r.user),
    getBookmarks: (r) => resume.getBookmarks(db, r.view, r.user),
    getShares: (r) => shares.getShares(db, r.view, r.user, r.origin),
    createShare: (r) => shares.createShare(db, r.view, r.params, r.user, r.origin),
    updateShare: (r) => shares.updateShare(db, r.params, r.user),
    deleteShare: (r) => shares.deleteShare(db, r.params, r.user),
    getPlaylists: (r) => playlists.getPlaylists(db, r.view, r.user),
    getPlaylist: (r) => playlists.getPlaylist(db, r.view, r.params, r.user),
    createPlaylist: (r) => playlists.create(db, r.view, r.params, r.user),
    updatePlaylist: (r) => playlists.update(db, r.view, r.params, r.user),
    deletePlaylist: (r) => playlists.remove(db, r.params, r.user),
    getSimilarSongs: (r) => sonic.getSimilarSongs(similarity, r.view, r.params),
    getSimilarSongs2: (r) => sonic.getSimilarSongs2(similarity, r.view, r.params),
    getArtistInfo: (r) => sonic.artistInfo(similarity, r.view, r.params, true),
    getArtistInfo2: (r) => sonic.artistInfo(similarity, r.view, r.params, false),
    getAlbumInfo: (r) => browse.getAlbumInfo(r.view, r.params),
    getAlbumInfo2: (r) => browse.getAlbumInfo(r.view, r.params),
    getTopSongs: (r) => browse.getTopSongs(r.view, r.params),
    getUser: (r) => system.getUser(r.params, r.user),
    tokenInfo: (r) => system.tokenInfo(r.user),
    getSonicSimilarTracks: (r) => sonic.getSonicSimilarTracks(similarity, r.view, r.params),
    findSonicPath: (r) => sonic.findSonicPath(similarity, r.view, r.params),
    getScanStatus: () => system.getScanStatus(db, scans),
    startScan: () => system.startScan(db, scans),
    stream: (r) => stream(db, media, r.view, r.params, r.req, r.res, r.fail),
    getTranscodeDecision: (r) => {
      if (r.req.method !== 'POST')
        throw new SubsonicError(
          ERROR.generic,
          'getTranscodeDecision is a POST with the client described in JSON',
        );
      return transcoding.getTranscodeDecision(r.view, r.params, r.json);
    },
    getTranscodeStream: (r) =>
      transcoding.getTranscodeStream(db, media, r.view, r.params, r.req, r.res, r.fail),
    download: (r) => stream(db, media, r.view, r.params, r.req, r.res, r.fail, true),
    getCoverArt: (r) => coverArt(art, sizes, r.view, r.params, r.req, r.res),
    getInternetRadioStations: () => radio.getInternetRadioStations(db),
    createInternetRadioStation: radio.changeStations,
    updateInternetRadioStation: radio.changeStations,
    deleteInternetRadioStation: radio.changeStations,
  };
}

/** The request's parameters (its query, and a form body: formPost) and a JSON body (the transcoding
 *  extension's client description), bounded. */
async function readParams(req: IncomingMessage, url: URL): Promise<{ params: Params; json?: unknown }> {
  const values = new URLSearchParams(url.search);
  if (req.method !== 'POST') return { params: new Params(values) };
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'application/json')
    throw new SubsonicError(
      ERROR.generic,
      'a POST body is application/x-www-form-urlencoded (formPost), or JSON (getTranscodeDecision)',
    );
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new SubsonicError(ERROR.generic, tooLarge());
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_BODY_BYTES) throw new SubsonicError(ERROR.generic, tooLarge());
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (type === 'application/json') {
    try {
      return { params: new Params(values), json: JSON.parse(text) as unknown };
    } catch {
      throw new SubsonicError(ERROR.generic, 'the JSON body does not parse');
    }
  }
  for (const [k, v] of new URLSearchParams(text)) values.append(k, v);
  return { params: new Params(values) };
}

const tooLarge = () => `a request body is at most ${MAX_BODY_BYTES / 1024 / 1024} MiB`;

/** A protocol error for anything thrown: the library's refusals keep their words, anything else is a bug. */
function asProtocolError(err: unknown, log: (line: string) => void, method: string): SubsonicError {
  if (err instanceof SubsonicError) return err;
  if (err instanceof UserError)
    return new SubsonicError(err.code === 'not_found' ? ERROR.notFound : ERROR.generic, err.message);
  log(`subsonic: ${method} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return new SubsonicError(ERROR.generic, 'internal error (the server log says more)');
}

/** A server's own media services, when it runs without the app's backend (`sleeve subsonic`). */
function ownMediaServices(db: Db): MediaServices {
  const files = new FileLanes();
  return { files, served: new ServedFiles(db, files), transcodes: new TranscodeSlots() };
}

/** At most MAX_CONNECTIONS at once, and one address at most half of them: clients trickling their headers
 *  from one place do not shut the others out (each waits headersTimeout at most). */
function capConnections(http: Server): void {
  http.maxConnections = MAX_CONNECTIONS;
  const perAddress = new Map<string, number>();
  http.on('connection', (socket) => {
    const address = socket.remoteAddress ?? '';
    const open = (perAddress.get(address) ?? 0) + 1;
    if (open > MAX_CONNECTIONS_PER_ADDRESS) return void socket.destroy();
    perAddress.set(address, open);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left === 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
}

/** Most text an answer holds at once: one that ends within it is sent with its length; a longer one (a
 *  search3 page of the whole library, as a client syncing asks it) is sent a chunk at a time as the client
 *  takes them, its songs shaped as they go (response.ts's Streamed), so it never holds the event loop or
 *  its whole text. */
const CHUNK_CHARS = 64 * 1024;

/** Settles once `res` takes more, or is closed. */
const drained = (res: ServerResponse) =>
  new Promise<void>((done) => {
    const go = () => {
      res.off('drain', go);
      res.off('close', go);
      done();
    };
    res.on('drain', go);
    res.on('close', go);
  });

/** A Subsonic answer: never cached, never sniffed; a response already under way is cut instead. A
 *  failure while the answer is made before its first chunk is sent is thrown (and answered as the
 *  protocol's error); after, the connection is cut. */
async function send(res: ServerResponse, format: Format, body: Fields, status = 200): Promise<void> {
  if (res.destroyed) return;
  if (res.headersSent) return void res.destroy();
  const { pieces: text, type } = pieces(format, body);
  const headers = { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  let chunk = '';
  let next = text.next();
  for (; !next.done && chunk.length < CHUNK_CHARS; next = text.next()) chunk += next.value;
  if (next.done) {
    res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(chunk)) });
    return void res.end(chunk);
  }
  res.writeHead(status, headers);
  while (!res.destroyed) {
    if (res.write(chunk)) await new Promise(setImmediate);
    else await drained(res);
    if (next.done) return void res.end();
    chunk = '';
    for (; !next.done && chunk.length < CHUNK_CHARS; next = text.next()) chunk += next.value;
  }
}

/** Listens, or rejects with why it cannot (the port taken, the address not this computer's). */
function listenOn(http: Server, port: number | undefined, address: string): Promise<void> {
  return new Promise<void>((done, reject) => {
    http.once('error', reject);
    http.listen(port, address, () => {
      http.off('error', reject);
      done();
    });
  });
}

/** The library read once the server listens (Views.read), and a request's wait for it: the protocol's
 *  error saying why when it could not be read (logged once) or the server is stopping. */
function libraryReading(views: Views, log: (line: string) => void) {
  const reading = new AbortController();
  const ready = views.read(reading.signal);
  const whyUnread = (err: unknown) =>
    reading.signal.aborted
      ? 'the server is stopping'
      : `the library could not be read: ${err instanceof Error ? err.message : String(err)}`;
  ready.catch((err: unknown) => {
    if (!reading.signal.aborted) log(`subsonic: ${whyUnread(err)}`);
  });
  return {
    ready,
    read: () =>
      ready.then(
        () => {},
        (err: unknown) => {
          throw new SubsonicError(ERROR.generic, whyUnread(err));
        },
      ),
    /** Gives the read up (if under way) and waits for it to end. */
    async stop() {
      reading.abort();
      await ready.catch(() => {});
    },
  };
}

/** The parts of a running server a request is answered with. */
interface Answering {
  readonly library: ReturnType<typeof libraryReading>;
  readonly views: Views;
  readonly auth: Authenticator;
  readonly methods: ReturnType<typeof endpoints>;
  readonly sharePages: SharePages;
  readonly cors: readonly string[];
  readonly log: (line: string) => void;
  /** The address and port it listens on ('' until it does). */
  readonly listening: () => string;
}

/** Answers one request: a share page, a CORS preflight, or a protocol method (answerMethod). */
async function answer(a: Answering, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // A server address typed with a trailing slash makes some clients ask //rest/… (which URL would read as
  // a host), others a method with a slash after it: both are the path meant.
  const [path = '/', query] = (req.url ?? '/').split(/\?(.*)/s, 2);
  const url = new URL(
    `${path.replace(/\/{2,}/g, '/')}${query === undefined ? '' : `?${query}`}`,
    'http://localhost',
  );
  if (url.pathname.startsWith(shares.SHARE_PATH)) {
    await a.library.read();
    return a.sharePages.answer(req, res, url);
  }
  if (url.pathname.startsWith('/rest/')) {
    corsHeaders(req, res, a.cors);
    if (req.method === 'OPTIONS') return preflight(req, res, a.cors);
  }
  // hls.m3u8: HLS's playlist is asked by that name, and answered why it is not served.
  const name = url.pathname.match(/^\/rest\/([A-Za-z0-9]{1,40})(?:\.view|(?<=hls)\.m3u8)?\/?$/)?.[1];
  if (!name) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    return void res.end('not found: the Subsonic API is at /rest/\n');
  }
  return answerMethod(a, name, url, req, res);
}

/** Answers protocol method `name`, in the format asked for, or with the protocol's error saying why not. */
async function answerMethod(
  a: Answering,
  name: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let format: Format = url.searchParams.get('f') === 'json' ? 'json' : 'xml';
  const fail = (err: SubsonicError, status = 200) =>
    void send(res, format, errorBody(err), status).catch(() => res.destroy());
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST')
      throw new SubsonicError(ERROR.generic, `${req.method} is not supported: GET or POST`);
    const { params, json } = await readParams(req, url);
    const f = params.get('f') ?? 'xml';
    if (f !== 'json' && f !== 'xml')
      throw new SubsonicError(ERROR.generic, `f=${f.slice(0, 20)} is not supported: json or xml`);
    format = f;
    const method = a.methods[name];
    // The extensions are public (OpenSubsonic): a client asks before it logs in.
    if (name === 'getOpenSubsonicExtensions')
      return await send(res, format, okBody(system.getOpenSubsonicExtensions()));
    params.required('v');
    params.required('c');
    const user = a.auth.user(params, clientAddress(req));
    if (!method && system.ADMINISTRATORS_ONLY[name])
      throw new SubsonicError(ERROR.notAuthorized, system.ADMINISTRATORS_ONLY[name]);
    if (!method)
      throw new SubsonicError(ERROR.notFound, system.NOT_SERVED[name] ?? `Sleeve does not implement ${name}`);
    if (!ANSWERED_WHILE_READING.has(name)) await a.library.read();
    const origin = shares.serverOrigin(req, a.listening());
    const views = a.views;
    const request: Request = {
      params,
      json,
      user,
      get view() {
        return views.now();
      },
      origin,
      req,
      res,
      fail,
    };
    const body = await method(request);
    if (body !== undefined) await send(res, format, okBody(body));
  } catch (err) {
    fail(asProtocolError(err, a.log, name));
  }
}

export async function startSubsonic(options: SubsonicOptions): Promise<RunningSubsonic> {
  const { db } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ownMedia = options.media === undefined;
  const media: MediaServices = options.media ?? ownMediaServices(db);
  const template = options.template?.source === DEFAULT_TEMPLATE ? undefined : options.template;
  const views = new Views(db, new Catalog(db, template));
  const library = libraryReading(views, log);
  let listening = '';
  const answering: Answering = {
    library,
    views,
    auth: new Authenticator(
      new UsersFile(usersPath(options.home)),
      options.failures,
      options.passwordLogins ?? false,
    ),
    methods: endpoints(options, media, () => views.changedAt),
    sharePages: new SharePages(db, media, () => views.now()),
    cors: options.corsOrigins ?? [ANY_ORIGIN],
    log,
    listening: () => listening,
  };

  const http = createServer(
    { requestTimeout: 60_000, headersTimeout: 10_000, connectionsCheckingInterval: 2_000 },
    (req, res) => {
      answer(answering, req, res).catch((err: unknown) => {
        log(`subsonic: request failed: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    },
  );
  http.keepAliveTimeout = KEEP_ALIVE_MS;
  capConnections(http);
  http.on('clientError', answerUnparsed);
  const listen = options.listen ?? '127.0.0.1';
  await listenOn(http, options.port, listen).catch((err: unknown) => {
    void library.stop();
    throw err;
  });
  const port = (http.address() as AddressInfo).port;
  listening = `${listen.includes(':') ? `[${listen}]` : listen}:${port}`;
  return {
    port,
    address: listen,
    ready: library.ready,
    async close() {
      await library.stop();
      http.closeAllConnections();
      await new Promise<void>((done) => http.close(() => done()));
      if (ownMedia) media.files.close();
    },
  };
}
