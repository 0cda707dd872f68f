// YAML as Python's PyYAML reads it, for files Python tools write or read: beets' config, Picard's script
// packages. That is YAML 1.1 (`yes` and `on` are true, `0o17` is text), with one difference from the `yaml`
// package's 1.1 schema: PyYAML's resolver takes `y` and `n` as text, not booleans.
import { parse, type ScalarTag, type Tags } from 'yaml';

const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

const pythonBooleans = (tags: Tags): Tags =>
  tags.map((tag) =>
    typeof tag === 'object' && tag.tag === 'tag:yaml.org,2002:bool'
      ? ({ ...tag, test: tag.identify?.(true) ? TRUE : FALSE } as ScalarTag)
      : tag,
  );

/** The document; an alias bomb is refused (at most 100 aliases), as is text that is not YAML. */
export function parsePyYaml(text: string): unknown {
  return parse(text, { version: '1.1', maxAliasCount: 100, customTags: pythonBooleans });
}
