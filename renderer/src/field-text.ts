// A tag editor field's text, apart from its input: the values a typed text holds, the problem with them,
// and the key and label a field goes by. Pure: no DOM, no React.
import { TAG_FIELDS, validateFieldValue } from '../../app/shared/fields.ts';
import type { FieldSummary } from '../../app/shared/rpc-contract.ts';
import { storedNumbers } from '../../app/shared/track-numbers.ts';

const INFO = new Map(TAG_FIELDS.map((f) => [f.name, f]));

/** A typed field: several values (split on ";" or a line break) for multi-valued fields, one otherwise;
 *  empty clears. */
export function parseFieldText(key: string, text: string): string[] {
  const multi = INFO.get(key)?.multi ?? false;
  const parts = multi ? text.split(/[;\n]/) : [text];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** The draft key of a field: Picard fields by their lower-case name, others as the file spells them. */
export function editorKey(f: FieldSummary): string {
  return INFO.has(f.key.toLowerCase()) ? f.key.toLowerCase() : f.key;
}

export function labelOf(key: string): string {
  return INFO.get(key)?.label ?? key;
}

export function problemOf(key: string, text: string): string | undefined {
  for (const v of parseFieldText(key, text)) {
    const problem = validateFieldValue(key, v);
    if (problem) return problem;
  }
  return undefined;
}

/** What a save will do with a typed value it keeps as it is, said before the save: a track or disc
 *  number that reads as none ("abc", "A1") is saved as text, which players sort apart and the mount's
 *  paths show as written. */
export function keptAsText(key: string, text: string): string | undefined {
  const warning = storedNumbers([{ key, values: parseFieldText(key, text) }]).warnings[0];
  return warning && `${warning} (a player may sort it apart, and the mount's paths show it as written)`;
}
