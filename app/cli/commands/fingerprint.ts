import { toFingerprintString } from '../../core/fingerprint/fingerprint-codec.ts';
import { rawItems, storedFingerprints } from '../../core/fingerprint/fingerprint-store.ts';
import { matchingIds } from '../../core/library/list.ts';
import type { Context } from '../context.ts';
import { CliError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';

const PAGE = 500;

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
  let missing = 0;
  const json: object[] = [];
  // A page at a time: a query matching the whole library never loads every fingerprint at once.
  for (let i = 0; i < ids.length; i += PAGE) {
    const page = storedFingerprints(ctx.db, ids.slice(i, i + PAGE));
    if (byId && page.length === 0) throw new CliError(`there is no file with id ${query}`);
    for (const fp of page) {
      const { id, path } = fp;
      if (!fp.data) {
        missing++;
        const reason = fp.error ?? 'not fingerprinted yet (run sleeve scan)';
        if (values.json) json.push({ id, path, status: fp.status ?? 'none', error: reason });
        else ctx.warn(`${id} ${path}: ${reason}`);
        continue;
      }
      const fingerprint = values.raw ? Array.from(rawItems(fp.data)) : toFingerprintString(fp.data);
      if (values.json) {
        json.push({ id, path, status: fp.status, duration: fp.duration, fingerprint });
        continue;
      }
      if (ids.length > 1) ctx.print(`FILE=${path}`);
      ctx.print(`DURATION=${Math.trunc(fp.duration ?? 0)}`);
      ctx.print(`FINGERPRINT=${Array.isArray(fingerprint) ? fingerprint.join(',') : fingerprint}`);
      if (ids.length > 1) ctx.print();
    }
  }
  if (values.json) ctx.print(JSON.stringify(byId ? json[0] : json, null, 2));
  return missing > 0 && missing === ids.length ? 1 : 0;
}
