// A beets user's path formats (`paths:` in beets' config) as a mount's layout. beets names a track by the
// first format whose query it matches, in the config's order, else by `default`; `comp` and `singleton`
// are the queries `comp:true` and `singleton:true`. Imported once (`sleeve mount --import-beets-config`):
// beets' field names become Sleeve's (the field table's `beets`), its padded numbers (`$track`, `$disc`:
// two digits, "00" when missing) stay padded, and the formats are kept as `beets:` and their JSON, each query in Sleeve's
// language (as beets', field names aside) and matched per track as the mount builds its tree
// (track-match.ts). What Sleeve cannot do as beets would is said at import, never dropped silently.
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../../kit/user-error.ts';
import { BEETS_FIELD_NAMES } from '../../shared/fields.ts';
import { parseQuery, type Query } from '../../shared/query.ts';
import { Template } from '../../shared/template.ts';
import type { PathSource } from './path-source.ts';
import { matchesQuery, queryTagKeys, unsupportedTerm } from './track-match.ts';

export const BEETS_PATHS = 'beets:';

/** beets' numbers it pads to two digits in a path (library.py: types.PaddedInt(2)). */
const PADDED = new Set(['track', 'tracktotal', 'disc', 'disctotal']);

/** beets' shorthand keys of `paths:` (ui/__init__.py: PF_KEY_QUERIES), as Sleeve's queries. */
const SHORTHAND: Record<string, string> = {
  comp: 'compilation:1',
  'comp:true': 'compilation:1',
  'comp:false': '^compilation:1',
  singleton: '^album:',
  'singleton:true': '^album:',
  'singleton:false': 'album:',
};

/** One format: a query (none for `default`) and its template, both in Sleeve's words. */
type Format = readonly [query: string | null, template: string];

/** A beets template in Sleeve's words: its field names translated, its padded numbers padded. */
function sleeveTemplate(text: string): string {
  return text.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, _, braced, bare) => {
    const name = (braced ?? bare) as string | undefined;
    if (name === undefined) return whole; // `$$`
    const sleeve = BEETS_FIELD_NAMES.get(name) ?? name;
    // beets shows a number it lacks as 0: "00".
    return PADDED.has(name) ? `%if{$${sleeve},%num{$${sleeve},2},00}` : `\${${sleeve}}`;
  });
}

/** A beets query in Sleeve's words: `field:` names translated (a free word stays as it is). */
function sleeveQuery(text: string): string {
  const shorthand = SHORTHAND[text.trim()];
  if (shorthand) return shorthand;
  return text.replace(/(^|[\s^,])([A-Za-z_]+):/g, (whole, before: string, name: string) => {
    const sleeve = BEETS_FIELD_NAMES.get(name);
    return sleeve ? `${before}${sleeve}:` : whole;
  });
}

/** beets' config keys that change its paths in ways Sleeve does not follow, and what Sleeve does instead. */
const NOT_FOLLOWED: Record<string, string> = {
  replace: 'its own replacements (beets\' defaults: / \\ < > : " ? * | and control characters)',
  asciify_paths: 'names as they are (no ASCII transliteration)',
  path_sep_replace: '"_" for a "/" in a value',
  max_filename_length: 'names of at most 255 bytes',
};

/** The layout a beets config's `paths:` gives, and what of it Sleeve does otherwise (said to the user). */
export function beetsConfigLayout(yamlText: string): { source: string; notes: string[] } {
  let config: unknown;
  try {
    config = parseYaml(yamlText, { maxAliasCount: 100 });
  } catch (err) {
    throw new UserError('bad_request', `the beets config is not YAML: ${(err as Error).message}`);
  }
  const paths = (config as { paths?: unknown } | null)?.paths;
  if (typeof paths !== 'object' || paths === null || Array.isArray(paths))
    throw new UserError('bad_request', 'the beets config has no `paths:` section (a key: format mapping)');
  const notes: string[] = [];
  const formats: Format[] = Object.entries(paths).map(([key, value]) => {
    if (typeof value !== 'string')
      throw new UserError('bad_request', `the path format for "${key}" is not text`);
    let template = value;
    if (/%aunique\{[^}]*\}/.test(template)) {
      template = template.replace(/%aunique\{[^}]*\}/g, '');
      notes.push(
        `"${key}": %aunique{} is left out (Sleeve does not tell apart two albums of one name by one artist: they share a folder)`,
      );
    }
    return [key === 'default' ? null : sleeveQuery(key), sleeveTemplate(template)];
  });
  if (!formats.some(([query]) => query === null))
    throw new UserError('bad_request', "the beets config's `paths:` has no `default` format");
  for (const [key, instead] of Object.entries(NOT_FOLLOWED))
    if ((config as Record<string, unknown>)[key] !== undefined)
      notes.push(`${key}: not followed; Sleeve uses ${instead}`);
  const source = BEETS_PATHS + JSON.stringify(formats);
  new BeetsPaths(source.slice(BEETS_PATHS.length)); // every format checked now, with its key named
  return { source, notes };
}

/** The formats of a `beets:` layout, parsed once; each track's is picked per render. */
export class BeetsPaths {
  readonly #formats: Array<{ readonly query: Query; readonly template: Template }> = [];
  readonly #default: Template;

  constructor(json: string) {
    let formats: unknown;
    try {
      formats = JSON.parse(json);
    } catch {
      formats = undefined;
    }
    if (!Array.isArray(formats) || !formats.every(isFormat))
      throw new UserError('bad_request', 'a beets layout is a list of [query, template] pairs');
    let fallback: Template | undefined;
    for (const [query, text] of formats) {
      const what = query === null ? 'the default format' : `the format for "${query}"`;
      const template = named(what, () => new Template(text));
      if (query === null) {
        fallback ??= template;
        continue;
      }
      const parsed = named(what, () => parseQuery(query));
      const refused = unsupportedTerm(parsed);
      if (refused) throw new UserError('bad_request', `${what}: ${refused}`);
      this.#formats.push({ query: parsed, template });
    }
    if (!fallback) throw new UserError('bad_request', 'a beets layout needs a default format');
    this.#default = fallback;
  }

  templates(): Template[] {
    return [...this.#formats.map((f) => f.template), this.#default];
  }

  /** The tag keys its queries read; null: every one (a query with a free word reads them all). */
  queryKeys(): string[] | null {
    const keys = new Set<string>();
    for (const f of this.#formats) {
      const read = queryTagKeys(f.query);
      if (read === null) return null;
      for (const k of read) keys.add(k);
    }
    return [...keys];
  }

  /** The template of the first format whose query the track matches, else the default. */
  pick(track: PathSource): Template {
    return this.#formats.find((f) => matchesQuery(f.query, track))?.template ?? this.#default;
  }
}

function isFormat(x: unknown): x is Format {
  return (
    Array.isArray(x) &&
    x.length === 2 &&
    (x[0] === null || typeof x[0] === 'string') &&
    typeof x[1] === 'string'
  );
}

/** `make()`, its refusal prefixed with which format it is about. */
function named<T>(what: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof UserError) throw new UserError('bad_request', `${what}: ${err.message}`);
    throw err;
  }
}
