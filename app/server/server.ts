// The backend: one HTTP server on 127.0.0.1 that serves the app, streams media and art, and carries the
// typed RPC over a WebSocket at /rpc. Every request passes the access checks first.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { FileLanes } from '../../kit/file-lanes.ts';
import type { Config } from '../core/config.ts';
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { playlistsVersion } from '../core/library/playlists.ts';
import { ServedFiles } from '../core/library/served-file.ts';
import { libraryVersion } from '../core/library/track-window.ts';
import { Upkeep } from '../core/library/upkeep.ts';
import type { EventData, EventName } from '../shared/rpc-contract.ts';
import {
  type AccessPolicy,
  allowOrigin,
  checkAccess,
  checkPlace,
  newToken,
  ownOrigins,
  tokenCookie,
} from './access.ts';
import type { FlowLimits } from './connection-flow.ts';
import { createHandlers } from './handlers.ts';
import { LibraryReader } from './library-reader.ts';
import { LibraryWriter } from './library-writer.ts';
import { type MediaServices, sendError, serveArt, serveMedia } from './media.ts';
import { MountProblems } from './mount-problems.ts';
import { RENDERER_DIR } from './renderer-build.ts';
import { RpcHub } from './rpc-hub.ts';
import { ScanRunner } from './scan-runner.ts';
import { SimilarityService } from './similarity-service.ts';
import { serveStatic } from './static-files.ts';
import { SubsonicHost } from './subsonic-host.ts';
import { ExportLinks } from './tags-text-handlers.ts';
import { TranscodeSlots } from './transcode.ts';
import { Uploads } from './uploads.ts';
import { WatchService } from './watch-service.ts';

export interface ServerOptions {
  readonly db: Db;
  readonly home: Home;
  readonly config: Config;
  /** 0 picks a free port. */
  readonly port: number;
  readonly rendererDir?: string;
  /** The access token (default: a new one for this run; `sleeve serve` keeps one per home). */
  readonly token?: string;
  readonly extraOrigins?: readonly string[];
  /** How often the library is checked for changes made elsewhere (the CLI, another scan). */
  readonly watchMs?: number;
  readonly log?: (line: string) => void;
  /** Each client's queue and unread-reply bounds (connection-flow.ts); tests shorten them. */
  readonly rpcLimits?: FlowLimits;
  /** How long a /media request waits on an operation on its file, and a scan or the watcher on a folder
   *  (default 10 s: FILE_DEADLINE_MS); tests shorten it. */
  readonly fileDeadlineMs?: number;
  /** The library's reader, when started ahead (`sleeve serve` starts its worker before loading the
   *  backend's modules); the server closes it. Default: one started here. */
  readonly reader?: LibraryReader;
}

export interface RunningServer {
  readonly port: number;
  readonly token: string;
  /** The app's address with its token: what a user opens. */
  readonly url: string;
  close(): Promise<void>;
}

/** Larger than any valid request (10k ids, a long lyrics field) and small enough to refuse floods. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Fewest milliseconds between library.changed events the poll sends (edits here go out at once). */
const MIN_EVENT_MS = 1000;

type Emit = <E extends EventName>(event: E, data: EventData<E>) => void;

/** The backend's services, each telling its events through `emit`: scans, similarity, the watcher, the
 *  library's reader and writer, the files served, and the Subsonic host. */
function makeServices(options: ServerOptions, emit: Emit, log: (line: string) => void) {
  const { db, config } = options;
  const scans = new ScanRunner(
    options.home,
    config,
    {
      progress: (p) => emit('scan.progress', p),
      finished: (r) => emit('scan.finished', r),
      waiting: (message) => {
        log(`scan: ${message}`);
        emit('scan.waiting', { message });
      },
    },
    options.fileDeadlineMs,
  );
  const similarity = new SimilarityService(db, options.home, log);
  const watch = new WatchService(
    options.home,
    config,
    {
      folders: (folders) => emit('watch.folders', { folders: [...folders] }),
      changed: (report) => emit('watch.changed', report),
    },
    log,
    options.fileDeadlineMs,
  );
  const reader = options.reader ?? new LibraryReader(options.home.database);
  const writer = new LibraryWriter(
    db,
    options.home.database,
    (tracks) => emit('library.updating', { tracks }),
    log,
  );
  const files = new FileLanes(options.fileDeadlineMs);
  const mediaServices: MediaServices = {
    files,
    served: new ServedFiles(db, files),
    transcodes: new TranscodeSlots(),
  };
  const subsonic = new SubsonicHost({
    db,
    home: options.home,
    similarity,
    scans,
    media: mediaServices,
    log,
  });
  return { scans, similarity, watch, reader, writer, mediaServices, subsonic };
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { db } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rendererDir = options.rendererDir ?? RENDERER_DIR;
  const policy: AccessPolicy = {
    token: options.token ?? newToken(),
    port: 0,
    extraOrigins: options.extraOrigins ?? [],
  };
  // The services' events go out through `rpc`, which is made after them (its handlers use them); the
  // closures below run only once the server is up, after `rpc` and `announce` exist.
  const emit: Emit = (event, data) => rpc.emit(event, data);
  const { scans, similarity, watch, reader, writer, mediaServices, subsonic } = makeServices(
    options,
    emit,
    log,
  );
  const exports = new ExportLinks();
  const uploads = new Uploads(join(options.home.dir, 'uploads'));
  const rpc = new RpcHub(
    createHandlers({
      db,
      home: options.home,
      scans,
      watch,
      similarity,
      reader,
      writer,
      // The user's own edits are announced at once, not at the next poll.
      changed: () => {
        writer.derive(); // an undo or an identification may have queued files to derive
        announce(true);
      },
      identifyEvent: emit,
      subsonic,
      exports,
      uploads,
    }),
    log,
    options.rpcLimits,
  );
  // What a process killed mid-way left to derive: begun now that `rpc` can say "updating…" (the writer
  // says it at once, before its first slice).
  writer.derive();

  const routes = { db, media: mediaServices, exports, uploads, policy, rendererDir, log };
  const { http, wss } = await listening(routes, rpc, options.port);
  const versions = followVersion(db, options.watchMs ?? 400, log, (version) => {
    writer.derive(); // a `sleeve` command killed mid-edit may have left files to derive
    rpc.emit('library.changed', { version });
  });
  const announce = versions.announce;
  // The watcher's thread once the reader's is ready: on two cores, their modules loading side by side
  // held back the first rows a user waits for.
  // (A reader closed by a stop meanwhile leaves it unstarted: watch.close() came first.)
  void reader
    .read({ op: 'ready' })
    .catch(() => undefined)
    .then(() => watch.start());
  // The app's edits and undos are edit batches: the history they grow is pruned here (scans do it too).
  const upkeep = new Upkeep(db, options.config.history, log);
  const mountProblems = new MountProblems(options.home.dir, (p) => rpc.emit('mount.problem', p));

  return {
    port: policy.port,
    token: policy.token,
    url: `http://127.0.0.1:${policy.port}/?token=${policy.token}`,
    async close() {
      versions.stop();
      upkeep.close();
      mountProblems.stop();
      // Clients first: a request arriving while the stores close would find them closed (an internal error).
      rpc.closeAll();
      wss.close();
      await subsonic.stop();
      await watch.close();
      await scans.stop();
      await similarity.close();
      await reader.close();
      await writer.close();
      http.closeAllConnections();
      mediaServices.files.close();
      uploads.close();
      await new Promise<void>((done) => http.close(() => done()));
    },
  };
}

/** The page's headers: a policy allowing only its own scripts, styles and backend, and the token cookie. */
function pageHeaders(policy: AccessPolicy): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      `connect-src 'self' ${ownOrigins(policy)
        .map((o) => o.replace('http:', 'ws:'))
        .join(' ')}`,
      "img-src 'self' data:",
      "media-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'Set-Cookie': tokenCookie(policy),
  };
}

/** The HTTP routes: /media, /art and POST /upload (with the token), /export (its link), the page and its
 *  assets (the token cookie). */
function requestHandler(deps: {
  db: Db;
  media: MediaServices;
  exports: ExportLinks;
  uploads: Uploads;
  policy: AccessPolicy;
  rendererDir: string;
  log: (line: string) => void;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { db, policy, rendererDir } = deps;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // An export's link is its own credential (single-use, short-lived): no app token in a URL that a
    // browser keeps in its download history.
    const exported = url.pathname.match(/^\/export\/([^/]+)$/);
    const problem = exported ? checkPlace(req, policy) : checkAccess(req, url, policy);
    if (problem) return sendError(res, problem.status, problem.reason);
    if (url.pathname === '/upload') {
      allowOrigin(req, res); // the desktop shell's page reads the answer from its own origin
      if (req.method !== 'POST') return sendError(res, 405, 'POST a file to /upload');
      return deps.uploads.receive(req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendError(res, 405, `${req.method} is not supported`);
    if (exported) return deps.exports.serve(db, req, res, exported[1]!);
    const media = url.pathname.match(/^\/media\/([^/]+)$/);
    if (media) {
      allowOrigin(req, res);
      return serveMedia(db, deps.media, req, res, media[1]!, url.searchParams.get('start'));
    }
    const art = url.pathname.match(/^\/art\/([^/]+)$/);
    if (art) return serveArt(db, req, res, art[1]!);
    if (url.pathname === '/rpc') return sendError(res, 426, '/rpc is a WebSocket endpoint');
    // The page sets the token cookie, which admits only the page and its assets (/media, /art and /rpc need
    // the token itself: the renderer adds it); the page removes ?token= from the address bar.
    return serveStatic(rendererDir, req, res, url.pathname, {
      headers: pageHeaders(policy),
      transform: (html) =>
        html.replace(
          /<head>|<!doctype html>/i,
          (tag) => `${tag}<meta name="sleeve-token" content="${policy.token}">`,
        ),
    });
  };
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      deps.log(`request ${req.url} failed: ${err instanceof Error ? err.message : String(err)}`);
      sendError(res, 500, 'internal error');
    });
  };
}

/** /rpc's WebSocket upgrade, with the token; anything else refused before a socket is made. */
function upgradeHandler(policy: AccessPolicy, wss: WebSocketServer, rpc: RpcHub) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const problem =
      url.pathname === '/rpc' ? checkAccess(req, url, policy) : { status: 404, reason: 'not found' };
    if (problem) {
      // Node removed its own error listener before 'upgrade': a reset here must not crash the backend.
      socket.on('error', () => socket.destroy());
      socket.end(
        `HTTP/1.1 ${problem.status} ${problem.status === 401 ? 'Unauthorized' : problem.status === 403 ? 'Forbidden' : 'Not Found'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${problem.reason}\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => rpc.attach(ws));
  };
}

/** The HTTP server with its routes and /rpc's upgrade, listening (the policy given its port). */
async function listening(routes: Parameters<typeof requestHandler>[0], rpc: RpcHub, port: number) {
  const http = createServer(requestHandler(routes));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  http.on('upgrade', upgradeHandler(routes.policy, wss, rpc));
  routes.policy.port = await listen(http, port);
  return { http, wss };
}

/** Listens on 127.0.0.1 (`port` 0: any free one); the port it got. */
async function listen(http: Server, port: number): Promise<number> {
  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => {
      http.off('error', reject);
      resolveListen();
    });
  });
  return (http.address() as AddressInfo).port;
}

/**
 * Edits from the CLI or another process show up without a reload: the library's version followed (with
 * the playlists', which the app lists and the CLI may change). During a scan it changes constantly: at
 * most one event a second, unless forced (the user's own edit), keeps clients from re-querying all the time.
 */
function followVersion(
  db: Db,
  everyMs: number,
  log: (line: string) => void,
  changed: (version: number) => void,
) {
  const watched = () => libraryVersion(db) + playlistsVersion(db);
  let version = watched();
  let lastEvent = 0;
  const announce = (force: boolean) => {
    try {
      const now = watched();
      if (now === version || (!force && performance.now() - lastEvent < MIN_EVENT_MS)) return;
      version = now;
      lastEvent = performance.now();
      changed(version);
    } catch (err) {
      log(`library watch failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const timer = setInterval(() => announce(false), everyMs);
  timer.unref();
  return { announce, stop: () => clearInterval(timer) };
}
