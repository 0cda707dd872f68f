// A Picard file naming script as a mount's layout: the path a track gets is what the script evaluates to
// for it, as Picard names files (its script_to_filename): the script's tabs and line breaks dropped, each
// field's "/" made "_" so a value never makes a folder, "/" in the result separating folders. A template
// is a naming script when it begins with `picard:` (`sleeve mount --import-picard-script FILE` writes it);
// one that calls $datetime is refused.
import { UserError } from '../../../kit/user-error.ts';
import type { FileFacts } from '../../shared/fields.ts';
import { TAG_FIELDS } from '../../shared/fields.ts';
import { compileScript, ScriptRun } from '../../shared/tagger-script/evaluate.ts';
import { ScriptError, type ScriptExpression } from '../../shared/tagger-script/parser.ts';
import { trackScriptContext } from '../../shared/tagger-script/track-context.ts';

/** Functions that read a field named by their argument (and $performer, every performer). */
const READERS = new Set(['get', 'get_new', 'get_original', 'copy', 'copymerge', 'cleanmulti']);

/** The fields (tag keys, lower case) a script may read: a path needs only these of a track's tags. A
 *  field named by a computed argument ($get(%x%)) may be any: every field Sleeve knows then. */
function fieldsRead(tree: ScriptExpression, into = new Set<string>()): Set<string> {
  const add = (name: string) => {
    if (name.startsWith('_') || name.startsWith('~')) return; // a hidden variable: the file's, or the script's
    into.add(name.toLowerCase().split(':')[0]!);
  };
  for (const node of tree) {
    if (node.kind === 'variable') add(node.name);
    if (node.kind !== 'function') continue;
    if (node.name === 'performer') into.add('performer');
    if (READERS.has(node.name))
      for (const arg of node.args) {
        if (arg.every((n) => n.kind === 'text'))
          add(arg.map((n) => (n.kind === 'text' ? n.text : '')).join(''));
        else for (const f of TAG_FIELDS) into.add(f.name);
      }
    for (const arg of node.args) fieldsRead(arg, into);
  }
  return into;
}

/** Where the script calls $datetime, if it does: a name made from the clock would change each time the
 *  mount lays its files out, and a player would find its files gone. */
function clockAt(tree: ScriptExpression): string | undefined {
  for (const node of tree) {
    if (node.kind !== 'function') continue;
    if (node.name === 'datetime') return node.at;
    for (const arg of node.args) {
      const at = clockAt(arg);
      if (at) return at;
    }
  }
  return undefined;
}

export class PicardNaming {
  readonly #tree: ScriptExpression;
  readonly #fields: string[];

  constructor(script: string) {
    try {
      this.#tree = compileScript(script.replaceAll('\t', '').replaceAll('\n', ''));
    } catch (err) {
      if (err instanceof ScriptError) throw new UserError('bad_request', `the naming script: ${err.message}`);
      throw err;
    }
    const clock = clockAt(this.#tree);
    if (clock)
      throw new UserError(
        'bad_request',
        `the naming script: ${clock}: a name made from the clock would change each time the mount lays out its files`,
      );
    this.#fields = [...fieldsRead(this.#tree)];
  }

  tagKeys(): string[] {
    return this.#fields;
  }

  /** The track's path as the script names it ("/" between folders), before sanitizing. */
  render(tags: Iterable<readonly [string, readonly string[]]>, file: FileFacts): string {
    const context = trackScriptContext(tags, file, (v) => v.replaceAll('/', '_'));
    return new ScriptRun(context).expression(this.#tree);
  }
}
