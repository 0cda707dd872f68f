// A beets user's config read into a mount's layout (`sleeve mount --import-beets-config`): its `paths:`
// formats (beets' field names the template reads itself), its padded numbers kept padded
// ("00" when missing), each query in Sleeve's language; kept as `beets:` and their JSON, which
// beets-paths.ts serves. The config is YAML as beets reads it (PyYAML), and only this import reads it: what
// serves a layout (the mount, the library's readers) never loads a YAML parser. What Sleeve cannot do as
// beets would is said here or refused, never dropped silently.
import { UserError } from '../../../kit/user-error.ts';
import { BEETS_PATHS } from '../../shared/layout-kinds.ts';
import { type PyYaml, readPyYaml } from '../../shared/pyyaml.ts';
import { pyRegex } from '../../shared/tagger-script/py-regex.ts';
import { UNIQUE_FUNCTIONS, type UniqueName } from '../../shared/template.ts';
import { BEETS_LAST_RESORT, BEETS_REPLACE } from './beets-legalize.ts';
import { compileFormat, type Format } from './beets-paths.ts';

/** beets' fields whose path text Sleeve makes from its own: the numbers beets pads (library.py:
 *  types.PaddedInt; a missing one is 0, so "00" and "0000"), and the original year, which beets takes
 *  from the original date (mediafile: TDOR, ORIGINALDATE). */
const DERIVED: Record<string, string> = {
  track: '%if{$tracknumber,%num{$tracknumber,2},00}',
  tracktotal: '%if{$totaltracks,%num{$totaltracks,2},00}',
  disc: '%if{$discnumber,%num{$discnumber,2},00}',
  disctotal: '%if{$totaldiscs,%num{$totaldiscs,2},00}',
  year: '%if{$year,$year,0000}',
  original_year: '%if{$originaldate,%left{$originaldate,4},0000}',
};

/** beets' own `paths:` (config_default.yaml), which its config reads after the user's keys: a user who
 *  sets only `default` still has singletons and compilations named by these. */
const BUILT_IN: ReadonlyArray<readonly [string, string]> = [
  ['default', '$albumartist/$album%aunique{}/$track $title'],
  ['singleton', 'Non-Album/$artist/$title'],
  ['comp', 'Compilations/$album%aunique{}/$track $title'],
];

/** beets' shorthand keys of `paths:` (ui/__init__.py: PF_KEY_QUERIES) as Sleeve's terms (a flag's words,
 *  `comp:yes`, `singleton:no`, a query reads itself). */
const SHORTHAND: Record<string, string> = { comp: 'compilation:1', singleton: '^album:' };

/** A beets template in Sleeve's words: padded numbers padded (the template reads beets' names itself). */
function sleeveTemplate(text: string): string {
  return text.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, _, braced, bare) => {
    const name = (braced ?? bare) as string | undefined;
    return (name !== undefined && DERIVED[name]) || whole; // `$$` as it is
  });
}

/** A beets query in Sleeve's words: a shorthand key as its query; the rest the query language reads as
 *  beets does (its field names, `-` negation, a flag's words). */
const sleeveQuery = (text: string): string => SHORTHAND[text.trim()] ?? text;

/** How words of a beets config or format compare: white space made single spaces ('\0', which is no
 *  default, when the value is not text). */
const words = (v: unknown): string => (typeof v === 'string' ? v.trim().split(/\s+/).join(' ') : '\0');

/** What Sleeve tells apart for beets' %aunique and %sunique, and by what, as notes on a config say it. */
const UNIQUE_WORDS: Record<UniqueName, { readonly of: string; readonly what: string; readonly by: string }> =
  {
    aunique: {
      of: 'albums of one album artist and name',
      what: 'releases',
      by: 'release type, year, label and catalog number',
    },
    sunique: { of: 'tracks on no album of one artist and title', what: 'tracks on no album', by: 'year' },
  };

/** beets' `aunique:` or `sunique:` section: its brackets (escaped for a template; undefined: beets' default
 *  "[]"); keys or disambiguators other than beets' defaults are said not to be followed (Sleeve derives by
 *  those: template.ts, UNIQUE_FUNCTIONS). */
function uniqueBracket(name: UniqueName, config: unknown, notes: string[]): string | undefined {
  const section = (config as Record<string, unknown> | null)?.[name];
  if (typeof section !== 'object' || section === null) return undefined;
  const unique: { keys: readonly string[]; disambiguators: readonly string[] } = UNIQUE_FUNCTIONS[name];
  const { keys, disambiguators, bracket } = section as Record<string, unknown>;
  if (keys !== undefined && !unique.keys.includes(words(keys)))
    notes.push(`${name}.keys: not followed; Sleeve tells apart ${UNIQUE_WORDS[name].of}`);
  if (disambiguators !== undefined && !unique.disambiguators.includes(words(disambiguators)))
    notes.push(
      `${name}.disambiguators: not followed; Sleeve tells ${UNIQUE_WORDS[name].what} apart by ${UNIQUE_WORDS[name].by}, in that order`,
    );
  if (bracket === undefined || bracket === null) return undefined;
  return String(bracket).replace(/[$%,{}]/g, (c) => `$${c}`);
}

/** A format's %aunique or %sunique calls as Sleeve takes them: its keys and disambiguators beets' defaults
 *  (others said not to be followed), its brackets its own, else the config's (`bracket`). */
function sleeveUnique(
  name: UniqueName,
  format: string,
  bracket: string | undefined,
  note: (text: string) => void,
): string {
  const unique: { keys: readonly string[]; disambiguators: readonly string[] } = UNIQUE_FUNCTIONS[name];
  return format.replace(new RegExp(`%${name}\\{([^}]*)\\}`, 'g'), (_, inside: string) => {
    // Split where beets splits arguments: at commas not escaped as `$,`.
    const [keys = '', disambiguators = '', own] = inside.split(/(?<!\$),/);
    if (
      !['', ...unique.keys].includes(words(keys)) ||
      !['', ...unique.disambiguators].includes(words(disambiguators))
    )
      note(
        `%${name}'s own keys and disambiguators: not followed; Sleeve tells apart ${UNIQUE_WORDS[name].of} by ${UNIQUE_WORDS[name].by}`,
      );
    const brackets = own ?? bracket;
    return brackets === undefined ? `%${name}{}` : `%${name}{,,${brackets}}`;
  });
}

/** The layout a beets config's `paths:` gives, and what of it Sleeve does otherwise (said to the user). */
export function beetsConfigLayout(yamlText: string): {
  source: string;
  notes: string[];
  /** Each format's template in Sleeve's words, by its key in the config (for a check that names it). */
  templates: Array<{ key: string; template: string }>;
} {
  let read: PyYaml;
  try {
    read = readPyYaml(yamlText); // as beets reads it: `asciify_paths: yes` is true
  } catch (err) {
    throw new UserError('bad_request', `the beets config is not YAML: ${(err as Error).message}`);
  }
  const config = read.value;
  const paths = (config as { paths?: unknown } | null)?.paths;
  if (typeof paths !== 'object' || paths === null || Array.isArray(paths))
    throw new UserError('bad_request', 'the beets config has no `paths:` section (a key: format mapping)');
  const notes: string[] = [];
  // beets reads its own formats after the user's: those the user did not set still name tracks.
  const keys = read.keysOf('paths')!; // in the file's order: the first format whose query matches names
  const entries = [
    ...keys.map((key) => [key, (paths as Record<string, unknown>)[key]] as const),
    ...BUILT_IN.filter(([key]) => !keys.includes(key)),
  ];
  const brackets = {
    aunique: uniqueBracket('aunique', config, notes),
    sunique: uniqueBracket('sunique', config, notes),
  };
  const note = (text: string) => notes.includes(text) || notes.push(text);
  const formats = entries.map(([key, value]): Format => {
    if (typeof value !== 'string')
      throw new UserError('bad_request', `the path format for "${key}" is not text`);
    const template = sleeveUnique(
      'sunique',
      sleeveUnique('aunique', value, brackets.aunique, note),
      brackets.sunique,
      note,
    );
    const format: Format = [key === 'default' ? null : sleeveQuery(key), sleeveTemplate(template)];
    compileFormat(`the path format for "${key}"`, format); // refused naming the user's own key
    return format;
  });
  // beets transliterates the whole path after rendering it (its `destination`), separators kept, when the
  // option is true as Python sees it: `yes`, but also `n`, which PyYAML reads as text.
  const asciify = pythonTruthy((config as { asciify_paths?: unknown }).asciify_paths);
  const replace = replacements((config as { replace?: unknown }).replace, read.keysOf('replace'));
  // What a "/" in a value becomes: beets' default "_" unless the config says (as text, as beets reads it).
  const sepSetting = (config as { path_sep_replace?: unknown }).path_sep_replace;
  if (sepSetting !== undefined && typeof sepSetting !== 'string')
    throw new UserError('bad_request', '`path_sep_replace:` in the beets config is not text (quote it)');
  const sep = sepSetting ?? '_';
  const max = maxLength((config as { max_filename_length?: unknown }).max_filename_length);
  const layout = {
    formats,
    replace,
    ...(asciify ? { asciify } : {}),
    ...(sep !== '_' ? { sep } : {}),
    ...(max > 0 ? { max } : {}),
  };
  return {
    source: BEETS_PATHS + JSON.stringify(layout),
    notes,
    templates: entries.map(([key], i) => ({ key, template: formats[i]![1] })),
  };
}

/** beets' `replace:` (a regular expression to its replacement, in the file's `order`), checked as Sleeve reads Python's
 *  patterns (py-regex.ts); a replacement Python takes for false (`no`, nothing) is '' as beets has it.
 *  A config without one has beets' own; an empty one, beets' built-in rules (its `replacements or
 *  CHAR_REPLACE`). */
function replacements(
  value: unknown,
  order: readonly string[] | undefined,
): ReadonlyArray<readonly [string, string]> {
  if (value === undefined || value === null) return BEETS_REPLACE;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
    return BEETS_LAST_RESORT;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new UserError(
      'bad_request',
      '`replace:` in the beets config is not a mapping (a pattern: its replacement)',
    );
  return (order ?? []).map((pattern) => {
    const replacement = (value as Record<string, unknown>)[pattern];
    pyRegex(pattern, 'u', (why) => {
      throw new UserError(
        'bad_request',
        `\`replace:\` in the beets config: "${pattern}" cannot be read: ${why}`,
      );
    });
    return [pattern, pythonTruthy(replacement) ? pythonText(replacement) : ''];
  });
}

/** A YAML value as Python's str() writes it (True, 5). */
const pythonText = (value: unknown): string =>
  typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);

/** beets' `max_filename_length`: the bytes a name may hold (0: the file system's, which Sleeve's own 255
 *  bytes are). */
function maxLength(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new UserError(
      'bad_request',
      '`max_filename_length:` in the beets config is not a whole number of bytes',
    );
  return value;
}

/** Whether Python takes `value` (as PyYAML read it) for true. */
function pythonTruthy(value: unknown): boolean {
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}
