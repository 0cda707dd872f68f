// YAML as Python's PyYAML reads it, for files Python tools write or read: beets' config, Picard's script
// packages. That is YAML 1.1 (`yes` and `on` are true, `0o17` is text), with one difference from the `yaml`
// package's 1.1 schema: PyYAML's resolver takes `y` and `n` as text, not booleans.
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type ScalarTag,
  type Tags,
} from 'yaml';

const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

const pythonBooleans = (tags: Tags): Tags =>
  tags.map((tag) =>
    typeof tag === 'object' && tag.tag === 'tag:yaml.org,2002:bool'
      ? ({ ...tag, test: tag.identify?.(true) ? TRUE : FALSE } as ScalarTag)
      : tag,
  );

/** A document read: its value, and the keys of a top-level mapping in the order the file gives them (a
 *  JavaScript object puts keys such as "1" first, where Python's dict keeps the file's order). */
export interface PyYaml {
  readonly value: unknown;
  keysOf(key: string): string[] | undefined;
}

/** The document; an alias bomb is refused (at most 100 aliases), as is text that is not YAML. */
export function readPyYaml(text: string): PyYaml {
  const doc: Document = parseDocument(text, { version: '1.1', customTags: pythonBooleans });
  if (doc.errors.length > 0) throw doc.errors[0];
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  return {
    value,
    keysOf: (key) => {
      const mapping = (value as Record<string, unknown> | null)?.[key];
      if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) return undefined;
      const present = Object.keys(mapping);
      const ordered = [...new Set(keysInOrder(doc, doc.get(key, true)))].filter((k) => present.includes(k));
      return [...ordered, ...present.filter((k) => !ordered.includes(k))];
    },
  };
}

/** A mapping's keys as PyYAML orders them: those merged in (`<<: *base`, of a list the last first) before
 *  its own, each in the file's order (a key given twice is where it first is). */
function keysInOrder(doc: Document, given: unknown): string[] {
  const node = isAlias(given) ? given.resolve(doc) : given;
  if (!isMap(node)) return [];
  const merged: string[] = [];
  const own: string[] = [];
  for (const { key, value } of node.items) {
    const name = isScalar(key) ? key.value : key;
    if (typeof name !== 'symbol')
      own.push(asKey(name)); // a merge key is the `yaml` package's symbol
    else if (isSeq(value)) merged.push(...[...value.items].reverse().flatMap((v) => keysInOrder(doc, v)));
    else merged.push(...keysInOrder(doc, value));
  }
  return [...merged, ...own];
}

/** A key as the document's value names it (a null key is ""). */
const asKey = (key: unknown): string => (key === null || key === undefined ? '' : String(key));

/** The document's value (readPyYaml). */
export const parsePyYaml = (text: string): unknown => readPyYaml(text).value;
