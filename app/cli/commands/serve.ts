import { parseArgs } from 'node:util';
import { openWithDesktop } from '../../kit/desktop-open.ts';
import { startServer } from '../../server/server.ts';
import type { Context } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';

export const usage = 'sleeve serve [--port P] [--open] [--json] [--origin ORIGIN]';

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

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '0' },
      open: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      // The desktop shell's page (app://sleeve) is another origin than the backend's own.
      origin: { type: 'string', multiple: true, default: [] },
    },
  });
  if (positionals.length > 0) throw new UsageError('serve takes no arguments');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port must be a whole number from 0 (any free port) to 65535');
  const server = await startServer({
    db: ctx.db,
    home: ctx.home,
    config: ctx.config,
    port,
    extraOrigins: values.origin.map(checkedOrigin),
    log: (line) => ctx.warn(line),
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use; try --port 0`);
    throw err;
  });
  if (values.json) ctx.print(JSON.stringify({ url: server.url, port: server.port, token: server.token }));
  else {
    ctx.print(`Sleeve is running at ${server.url}`);
    ctx.print('Only this machine can connect, with the token in the URL. Ctrl-C stops it.');
  }
  if (values.open) {
    // A failure only means the user opens the printed URL.
    const failed = await openWithDesktop(server.url);
    if (failed) ctx.warn(`could not open a browser (${failed.message}); open the URL above`);
  }
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  ctx.warn('stopping…');
  await server.close();
  return 0;
}
