import { isIP } from 'node:net';
import { releasePlaylistsOf } from '../../core/library/playlists.ts';
import { addStation, listStations, removeStation } from '../../core/library/radio-stations.ts';
import { deleteShare, deleteSharesOf, listShares } from '../../core/library/shares.ts';
import { ScanRunner } from '../../server/scan-runner.ts';
import { SimilarityService } from '../../server/similarity-service.ts';
import { announce } from '../../server/subsonic/announce.ts';
import { PASSWORD_LOGINS_SETTING } from '../../server/subsonic/auth.ts';
import { startSubsonic } from '../../server/subsonic/server.ts';
import {
  addKey,
  readUsers,
  removeUser,
  revokeKey,
  setPassword,
  usersPath,
} from '../../server/subsonic/users.ts';
import type { LibraryRead } from '../../server/subsonic/view.ts';
import type { Context } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { pathTemplateOption } from '../format.ts';
import { parseArgs } from '../parse-options.ts';
import { stopSignal } from '../stop-signal.ts';

export const usage = `sleeve subsonic [--port N] [--listen ADDR] [--template T] [--json]
  sleeve subsonic user NAME [--remove]      (the password is read from standard input)
  sleeve subsonic key NAME [--list | --revoke ID]
  sleeve subsonic radio [NAME URL [--homepage URL] | --remove ID]   (internet radio stations clients list)
  sleeve subsonic shares [--revoke ID]      (the public links users made, each user's; revoke any)
  Serves the library to Subsonic clients (phones, desktop players) at http://ADDR:N/rest/ — on
  127.0.0.1 (this machine only) unless --listen names another address (0.0.0.0: every network);
  clients that browse by folder see the folders --template makes (give your mount's)`;

/** Subsonic's own default port. */
const DEFAULT_PORT = 4040;

const loopback = (address: string) => address === 'localhost' || /^127\./.test(address) || address === '::1';

const counted = (n: number, one: string) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`;

/** What clients are served: a song a recording, however many copies the library holds of it. */
const libraryRead = (read: LibraryRead) =>
  `${counted(read.songs, 'song')} on ${counted(read.albums, 'album')} by ${counted(read.artists, 'artist')}`;

/** The first line of standard input: a password stays out of the shell's history and the process list. */
async function firstLine(ctx: Context): Promise<string> {
  let text = '';
  for await (const chunk of ctx.io.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

async function user(ctx: Context, name: string | undefined, remove: boolean): Promise<number> {
  if (!name) throw new UsageError('subsonic user takes a NAME');
  ctx.requireWritable();
  if (remove) {
    removeUser(ctx.home, name);
    const shares = deleteSharesOf(ctx.db, name);
    const playlists = releasePlaylistsOf(ctx.db, name);
    ctx.print(
      `removed the Subsonic user ${name}, their API keys${shares > 0 ? ` and their ${shares} share${shares === 1 ? '' : 's'} (the links show nothing now)` : ''}`,
    );
    if (playlists > 0)
      ctx.print(
        `their ${playlists === 1 ? 'playlist is' : `${playlists} playlists are`} kept, the library's now: every user may change ${playlists === 1 ? 'it' : 'them'}`,
      );
    return 0;
  }
  if (ctx.io.stdin.isTTY) ctx.warn(`the password for ${name}, then Enter (it is shown as you type):`);
  setPassword(ctx.home, name, await firstLine(ctx));
  ctx.print(
    `${name} can log in with this password (token authentication). It is kept as it is, readable by you only, in ${usersPath(ctx.home)}: the protocol's tokens need it. An API key (sleeve subsonic key ${name}) keeps no password.`,
  );
  return 0;
}

function key(ctx: Context, name: string | undefined, list: boolean, revoke: string | undefined): number {
  if (!name) throw new UsageError('subsonic key takes a NAME');
  if (list) {
    const keys = readUsers(usersPath(ctx.home))[name]?.keys ?? [];
    if (keys.length === 0) ctx.warn(`${name} has no API keys`);
    for (const k of keys) ctx.print(`${k.id}  created ${new Date(k.createdAt).toISOString()}`);
    return 0;
  }
  ctx.requireWritable();
  if (revoke !== undefined) {
    revokeKey(ctx.home, name, revoke);
    ctx.print(`revoked ${name}'s API key ${revoke}: it no longer logs in`);
    return 0;
  }
  const made = addKey(ctx.home, name);
  ctx.print(made.key);
  ctx.warn(
    `a new API key for ${name} (id ${made.id}): shown once, kept only as its hash; revoke it with sleeve subsonic key ${name} --revoke ${made.id}`,
  );
  return 0;
}

/** The stations listed; one added (NAME URL); one removed (--remove ID). */
function radio(ctx: Context, args: string[], remove: boolean, homepage: string | undefined): number {
  if (remove) {
    if (args.length !== 1 || !/^[1-9]\d{0,15}$/.test(args[0]!))
      throw new UsageError(
        'subsonic radio --remove takes the ID of one station (sleeve subsonic radio lists them)',
      );
    ctx.requireWritable();
    removeStation(ctx.db, Number(args[0]));
    ctx.print(`removed station ${args[0]}`);
    return 0;
  }
  if (args.length === 0) {
    const stations = listStations(ctx.db);
    if (stations.length === 0) ctx.warn('no stations yet: sleeve subsonic radio NAME URL adds one');
    for (const s of stations)
      ctx.print(`${s.id}  ${s.name}  ${s.streamUrl}${s.homePageUrl ? `  (${s.homePageUrl})` : ''}`);
    return 0;
  }
  if (args.length !== 2)
    throw new UsageError("subsonic radio takes a NAME and the stream's URL (quote a name with spaces)");
  ctx.requireWritable();
  const added = addStation(ctx.db, { name: args[0]!, streamUrl: args[1]!, homePageUrl: homepage });
  ctx.print(`added station ${added.id}: ${added.name}, ${added.streamUrl}`);
  return 0;
}

/** Every user's shares listed, or one revoked (the server's owner may revoke any). */
function shares(ctx: Context, revoke: string | undefined): number {
  if (revoke !== undefined) {
    ctx.requireWritable();
    deleteShare(ctx.db, revoke, undefined);
    ctx.print(`revoked share ${revoke}: its link shows nothing from now on`);
    return 0;
  }
  const all = listShares(ctx.db);
  if (all.length === 0) ctx.warn('no shares: a Subsonic client makes them (createShare)');
  const now = Date.now();
  for (const s of all) {
    const until = new Date(s.expiresAt).toISOString();
    ctx.print(
      `${s.id}  ${s.user}  ${s.entries.length} song${s.entries.length === 1 ? '' : 's'}  ${s.expiresAt <= now ? `expired ${until}` : `until ${until}`}  ${s.visitCount} visit${s.visitCount === 1 ? '' : 's'}  /share/${s.id}${s.description ? `  ${s.description}` : ''}`,
    );
  }
  return 0;
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      listen: { type: 'string' },
      template: { type: 'string' },
      json: { type: 'boolean', default: false },
      remove: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      revoke: { type: 'string' },
      homepage: { type: 'string' },
    },
  });
  const [action, name, ...extra] = positionals;
  if (action === 'radio') return radio(ctx, positionals.slice(1), values.remove, values.homepage);
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}`);
  if (action === 'user') return user(ctx, name, values.remove);
  if (action === 'key') return key(ctx, name, values.list, values.revoke);
  if (action === 'shares') {
    if (name !== undefined) throw new UsageError(`unexpected ${name}: the share to revoke follows --revoke`);
    return shares(ctx, values.revoke);
  }
  if (action !== undefined) throw new UsageError(`"${action}" is not user, key, radio or shares`);
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port must be a whole number from 0 (any free port) to 65535');
  const listen = values.listen ?? '127.0.0.1';
  if (listen !== 'localhost' && isIP(listen) === 0)
    throw new UsageError(
      `--listen ${JSON.stringify(listen)} is not an IP address (like 127.0.0.1 or 0.0.0.0)`,
    );
  const template = pathTemplateOption(ctx.db, values.template);
  const users = Object.keys(readUsers(usersPath(ctx.home)));
  if (users.length === 0)
    ctx.warn('no Subsonic users yet: nobody can log in until sleeve subsonic user NAME or key NAME');
  const log = (line: string) => ctx.warn(line);
  const similarity = new SimilarityService(ctx.db, ctx.home, log);
  const scans = new ScanRunner(ctx.home, ctx.config, {
    progress: () => {},
    finished: (r) => log(`scan finished${r.failure ? `: ${r.failure}` : ''}`),
    waiting: (message) => log(`scan: ${message}`),
  });
  const server = await startSubsonic({
    db: ctx.db,
    home: ctx.home,
    port,
    listen,
    similarity,
    scans,
    log,
    template,
    passwordLogins: ctx.config.subsonic.passwordLogins,
    corsOrigins: ctx.config.subsonic.corsOrigins,
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use; try --port 0`);
    if (err.code === 'EADDRNOTAVAIL') throw new CliError(`${listen} is not an address of this machine`);
    throw err;
  });
  const stopped = stopSignal();
  const shown = listen.includes(':') ? `[${listen}]` : listen;
  const url = `http://${shown}:${server.port}/rest/`;
  const withdraw = announce(ctx.home, { url, listen, port: server.port });
  if (values.json) ctx.print(JSON.stringify({ url, port: server.port, listen }));
  else {
    ctx.print(`Sleeve's Subsonic server is at ${url}`);
    ctx.print(
      loopback(listen)
        ? 'Only this machine can connect (--listen 0.0.0.0 opens it to your network). Ctrl-C stops it.'
        : `Any device that can reach ${listen} may try to log in: users: ${users.join(', ') || 'none yet'}. Ctrl-C stops it.`,
    );
    if (ctx.config.subsonic.passwordLogins)
      ctx.warn(
        `password logins are on (${PASSWORD_LOGINS_SETTING} in config.json): a client sending p= puts the password in every URL it asks, where ${loopback(listen) ? 'logs and proxies' : 'logs, proxies and anyone on your network (plain HTTP)'} can read it`,
      );
    // Clients log in at once; what they browse is answered once the library is read.
    const t0 = performance.now();
    server.ready.then(
      (read) =>
        ctx.print(
          `The library is read: ${libraryRead(read)} in ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
        ),
      () => {},
    );
  }
  await stopped;
  ctx.warn('stopping…');
  withdraw();
  await server.close();
  await scans.stop();
  await similarity.close();
  return 0;
}
