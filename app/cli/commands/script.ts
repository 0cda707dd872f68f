// `sleeve script 'EXPR' [QUERY...]`: a TaggerScript (Picard's language) evaluated for each track the query
// lists, as Picard would for that track, or once, over no track, without a query. Nothing is saved: what a
// script sets is shown with --json.
import { once } from 'node:events';
import { iterateFiles } from '../../core/library/list.ts';
import { compileScript, runScript } from '../../shared/tagger-script/evaluate.ts';
import { ScriptError } from '../../shared/tagger-script/parser.ts';
import { trackScriptContext } from '../../shared/tagger-script/track-context.ts';
import { type Context, inert } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = "sleeve script 'EXPR' [QUERY...] [--json] [--all-copies]   (Picard's TaggerScript)";

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, 'all-copies': { type: 'boolean', default: false } },
  });
  const [script, ...words] = positionals;
  if (script === undefined) throw new UsageError(usage);
  try {
    compileScript(script); // a syntax error said once, before any track
    if (words.length === 0) {
      ctx.print(inert(runScript(script)));
      return 0;
    }
    const out = ctx.io.out;
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    const scope = values['all-copies'] ? 'library' : 'recordings';
    for (const item of iterateFiles(ctx.db, words.join(' '), scope)) {
      const context = trackScriptContext(Object.entries(item.tags), item);
      const result = runScript(script, context);
      await write(
        values.json
          ? `${JSON.stringify({ id: item.id, path: item.path, result, fields: Object.fromEntries(context.entries()) })}\n`
          : `${item.id}  ${inert(result)}\n`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof ScriptError) throw new CliError(`script: ${err.message}`);
    throw err;
  }
}
