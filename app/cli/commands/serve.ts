import { openWithDesktop } from '../../../kit/desktop-open.ts';
import { accessToken, lastPort, rememberPort } from '../../server/access-secret.ts';
import { LibraryReader } from '../../server/library-reader.ts';
import { ensureRenderer } from '../../server/renderer-build.ts';
import type { Context } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';
import { stopSignal } from '../stop-signal.ts';

export const usage = `sleeve serve [--port P] [--open] [--json] [--origin ORIGIN] [--no-ui]
  The address and its token stay the same from one start to the next (sleeve token --rotate changes the
  token); a checkout's app page is built first when it is missing or older than its sources`;

/** An origin exactly as a browser sends it: scheme://host[:port], nothing more. */
function checkedOrigin(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const origin = url && url.host !== '' ? `${url.protocol}//${url.host}` : undefined;
  if (origin === undefined || origin !== text)
    throw new UsageError(`--origin ${JSON.stringify(text)} is not an origin (like app://sleeve)`);
  return origin;
}

/** The app's page, built when missing or stale; an error with the command to run when it cannot be. */
async function ensurePage(ctx: Context): Promise<void> {
  const state = await ensureRenderer((line) => ctx.warn(line));
  if (state !== 'ready')
    throw new CliError(
      `the app's page is ${state === 'missing' ? 'not built' : 'older than its sources'}: run "npm run build" in Sleeve's folder, then start again (or serve the API alone with --no-ui)`,
    );
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      // The API alone (a client that brings its own page, or a script).
      'no-ui': { type: 'boolean', default: false },
      open: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      // The desktop shell's page (app://sleeve) is another origin than the backend's own.
      origin: { type: 'string', multiple: true, default: [] },
    },
  });
  if (positionals.length > 0) throw new UsageError('serve takes no arguments');
  const asked = values.port === undefined ? undefined : Number(values.port);
  if (asked !== undefined && (!Number.isInteger(asked) || asked < 0 || asked > 65535))
    throw new UsageError('--port must be a whole number from 0 (any free port) to 65535');
  const origins = values.origin.map(checkedOrigin);
  // A page from elsewhere (the desktop shell's app:// origin) or none at all needs no built page here.
  if (!values['no-ui'] && origins.length === 0) await ensurePage(ctx);
  ctx.derives = false; // the backend's writer thread does it, without holding up its start
  // The reader's thread first, then the backend's modules: on two cores they load side by side, and the
  // first rows a user waits for come from that thread (1M tracks, five starts: median 1.32 → 1.21 s).
  const reader = new LibraryReader(ctx.home.database);
  const { startServer } = await import('../../server/server.ts').catch(async (err: unknown) => {
    await reader.close();
    throw err;
  });
  const start = (port: number) =>
    startServer({
      reader,
      db: ctx.db,
      home: ctx.home,
      config: ctx.config,
      port,
      token: accessToken(ctx.home),
      extraOrigins: origins,
      log: (line) => ctx.warn(line),
    });
  const last = asked === undefined ? lastPort(ctx.home) : undefined;
  const server = await start(asked ?? last ?? 0)
    .catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') throw err;
      if (asked !== undefined) throw new CliError(`port ${asked} is already in use; try --port 0`);
      ctx.warn(`port ${last} (used last time) is taken: serving on another; open tabs need the new address`);
      return start(0);
    })
    .catch(async (err: unknown) => {
      await reader.close();
      throw err;
    });
  rememberPort(ctx.home, server.port);
  const stopped = stopSignal();
  if (values.json) ctx.print(JSON.stringify({ url: server.url, port: server.port, token: server.token }));
  else {
    ctx.print(`Sleeve is running at ${server.url}`);
    ctx.print(
      'Only this machine can connect, with the token in the URL; the address stays the same at the next start. Ctrl-C stops it.',
    );
  }
  if (values.open) {
    // A failure only means the user opens the printed URL.
    const failed = await openWithDesktop(server.url);
    if (failed) ctx.warn(`could not open a browser (${failed.message}); open the URL above`);
  }
  await stopped;
  ctx.warn('stopping…');
  await server.close();
  return 0;
}
