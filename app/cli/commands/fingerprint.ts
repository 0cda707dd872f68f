import { parseArgs } from 'node:util';
import { toFingerprintString } from '../../fingerprint/fingerprint-codec.ts';
import { rawItems, storedFingerprints } from '../../fingerprint/fingerprint-store.ts';
import { getFile, matchingIds } from '../../library/list.ts';
import type { Context } from '../context.ts';
import { CliError } from '../errors.ts';

export const usage = 'sleeve fingerprint [ID | QUERY...] [--raw] [--json]';

/** Prints stored fingerprints the way `fpcalc` does: DURATION= and FINGERPRINT= per file. */
export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, raw: { type: 'boolean', default: false } },
  });
  const query = positionals.join(' ');
  const byId = /^\d+$/.test(query);
  const ids = byId ? [Number(query)] : matchingIds(ctx.db, query);
  if (byId && !getFile(ctx.db, ids[0]!)) throw new CliError(`there is no file with id ${query}`);
  const found = new Map(storedFingerprints(ctx.db, ids).map((f) => [f.fileId, f]));
  let missing = 0;
  const json: object[] = [];
  for (const id of ids) {
    const file = getFile(ctx.db, id)!;
    const fp = found.get(id);
    const duration = Math.trunc(file.duration ?? 0);
    if (!fp?.data) {
      missing++;
      const reason = fp?.error ?? 'not fingerprinted yet (run sleeve scan)';
      if (values.json) json.push({ id, path: file.path, status: fp?.status ?? 'none', error: reason });
      else ctx.warn(`${id} ${file.path}: ${reason}`);
      continue;
    }
    const fingerprint = values.raw ? Array.from(rawItems(fp.data)) : toFingerprintString(fp.data);
    if (values.json) {
      json.push({ id, path: file.path, status: fp.status, duration: file.duration, fingerprint });
      continue;
    }
    if (ids.length > 1) ctx.print(`FILE=${file.path}`);
    ctx.print(`DURATION=${duration}`);
    ctx.print(`FINGERPRINT=${values.raw ? (fingerprint as number[]).join(',') : fingerprint}`);
    if (ids.length > 1) ctx.print();
  }
  if (values.json) ctx.print(JSON.stringify(byId ? json[0] : json, null, 2));
  return missing > 0 && missing === ids.length ? 1 : 0;
}
