// A Picard tagging script as a tag tool: run over each track as Picard would (script-context.ts), the
// fields it leaves different are the tool's changes; a field it unset or deleted is cleared. Hidden
// variables (%_name%) are the script's own, never saved; performers set as `performer:role` are saved as
// the library keeps them, "Name (role)".

import { isValidTagKey } from '../../../shared/fields.ts';
import type { ScriptContext } from '../../../shared/tagger-script/context.ts';
import { compileScript, runScript } from '../../../shared/tagger-script/evaluate.ts';
import { ScriptError } from '../../../shared/tagger-script/parser.ts';
import { trackScriptContext } from '../../../shared/tagger-script/track-context.ts';
import { EditError } from '../edits.ts';
import type { FileItem } from '../list.ts';

/** The fields a context holds as the library keeps them (lower-cased keys). */
function fieldsOf(context: ScriptContext): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, values] of context.entries()) {
    if (key.startsWith('~')) continue;
    if (!key.toLowerCase().startsWith('performer:')) {
      out.set(key.toLowerCase(), values);
      continue;
    }
    const role = key.slice('performer:'.length);
    const credited = values.map((name) => (role ? `${name} (${role})` : name));
    out.set('performer', [...(out.get('performer') ?? []), ...credited]);
  }
  return out;
}

export function scriptStep(script: string): (file: FileItem) => Record<string, string[]> | string {
  try {
    compileScript(script);
  } catch (err) {
    if (err instanceof ScriptError) throw new EditError(`the script: ${err.message}`);
    throw err;
  }
  return (file) => {
    const context = trackScriptContext(Object.entries(file.tags), file);
    const before = fieldsOf(context);
    try {
      runScript(script, context);
    } catch (err) {
      if (err instanceof ScriptError) return `the script: ${err.message}`;
      throw err;
    }
    const after = fieldsOf(context);
    // Saved under the file's own spelling of a field it has.
    const spelled = new Map(Object.keys(file.tags).map((k) => [k.toLowerCase(), k]));
    const changed: Record<string, string[]> = {};
    for (const [key, values] of after) {
      if (JSON.stringify(values) === JSON.stringify(before.get(key) ?? [])) continue;
      if (!isValidTagKey(key)) return `the script sets "${key}", which is no field name`;
      changed[spelled.get(key) ?? key] = values;
    }
    for (const key of before.keys()) if (!after.has(key)) changed[spelled.get(key) ?? key] = [];
    return changed;
  };
}
