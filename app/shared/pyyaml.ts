// YAML as Python's PyYAML reads it, for files Python tools write or read: beets' config, Picard's script
// packages. That is YAML 1.1 (`yes` and `on` are true, `0o17` is text), with one difference from the `yaml`
// package's 1.1 schema: PyYAML's resolver takes `y` and `n` as text, not booleans.
import { type Document, isAlias, isMap, isScalar, parseDocument, type ScalarTag, type Tags } from 'yaml';

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
  return {
    value: doc.toJS({ maxAliasCount: 100 }),
    keysOf: (key) => {
      const given = doc.get(key, true);
      const node = isAlias(given) ? given.resolve(doc) : given;
      return isMap(node) ? node.items.map((p) => asKey(isScalar(p.key) ? p.key.value : p.key)) : undefined;
    },
  };
}

/** A key as the document's value names it (a null key is ""). */
const asKey = (key: unknown): string => (key === null || key === undefined ? '' : String(key));

/** The document's value (readPyYaml). */
export const parsePyYaml = (text: string): unknown => readPyYaml(text).value;
