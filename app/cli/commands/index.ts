import { resolve } from 'node:path';
import { IndexEngine } from '../../../index-engine/engine-client.ts';
import { isLoopback } from '../../../index-engine/http/access.ts';
import { createIndexServer } from '../../../index-engine/http/server.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';
import { stopSignal } from '../stop-signal.ts';

export const usage = 'sleeve index serve --dir DIR [--host 127.0.0.1] --port PORT [--token TOKEN]';

/** Serves every index under DIR over acoustid-index's HTTP API until SIGTERM/SIGINT, then flushes. */
export async function run(ctx: Context, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'serve') throw new UsageError(sub ? `unknown index command "${sub}"` : 'missing index command');
  const { values } = parseArgs({
    args: rest,
    options: {
      dir: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      token: { type: 'string' },
    },
  });
  if (!values.dir) throw new UsageError('--dir DIR is required');
  const port = Number(values.port);
  if (values.port === undefined || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port must be a TCP port number (0 picks a free one)');

  // Beyond loopback anyone on the network could write: only with a token.
  if (!isLoopback(values.host) && !values.token)
    throw new UsageError(`--host ${values.host} is reachable from other machines: give --token TOKEN too`);
  if (values.token !== undefined && values.token.length < 16)
    throw new UsageError('--token must be at least 16 characters');
  const dir = resolve(values.dir);
  // This process only serves: the engine runs in its thread (no copy of each request to a worker's).
  const engine = await IndexEngine.open(dir, { thread: 'caller' });
  const server = createIndexServer(engine, { token: values.token });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, values.host, () => ok());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const stopped = stopSignal();
  ctx.print(`sleeve index: serving ${dir} on http://${values.host}:${actualPort}`);
  await stopped;
  await new Promise<void>((done) => {
    server.close(() => done());
    server.closeIdleConnections();
  });
  await engine.close();
  ctx.warn('sleeve index: flushed and stopped');
  return 0;
}
