// `sleeve token [--rotate]`: the app's address with its access token (kept per Sleeve home, so it survives
// restarts); --rotate replaces the token, for when the address was shared or leaked.

import { accessToken, lastPort } from '../../server/access-secret.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = "sleeve token [--rotate]   the app's address and token; --rotate makes a new token";

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { rotate: { type: 'boolean', default: false } },
  });
  if (positionals.length > 0) throw new UsageError('token takes no arguments');
  const token = accessToken(ctx.home, values.rotate);
  const port = lastPort(ctx.home);
  ctx.print(port ? `http://127.0.0.1:${port}/?token=${token}` : token);
  if (values.rotate)
    ctx.warn(
      'a new token: a running sleeve serve keeps the old one until it is restarted; open tabs then need the new address',
    );
  else if (!port)
    ctx.warn('sleeve serve has not run yet: the address (its port) is known after its first start');
  return 0;
}
