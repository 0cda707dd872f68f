// A beets user's path formats (`paths:` in beets' config) as a mount's layout. beets names a track by the
// first format whose query it matches, in the config's order (its own `default`, `singleton` and `comp`
// after the user's), else by `default`; `comp` and `singleton` are the queries `comp:true` and
// `singleton:true`. Imported once from the config (beets-config.ts), the formats are kept as `beets:` and
// their JSON, each query in Sleeve's language and matched per track as the mount builds its tree
// (track-match.ts), each field rendered by its first value (path-template.ts).
import { UserError } from '../../../kit/user-error.ts';
import type { FileFacts } from '../../shared/fields.ts';
import { parseQuery, type Query } from '../../shared/query.ts';
import { pyRegex, pySubber } from '../../shared/tagger-script/py-regex.ts';
import type { RenderHelpers } from '../../shared/template.ts';
import { Template } from '../../shared/template.ts';
import { asciify } from './asciify.ts';
import { beetsShown, beetsShownReads, type First } from './beets-fields.ts';
import { BEETS_LAST_RESORT, legalized, type Rule } from './beets-legalize.ts';
import type { PathSource } from './path-source.ts';
import { matchesQuery, queryTagKeys, unsupportedTerm } from './track-match.ts';

/** One format: a query (none for `default`) and its template, both in Sleeve's words. */
export type Format = readonly [query: string | null, template: string];

/** The formats of a `beets:` layout, parsed once; each track's is picked per render. The layout is
 *  their list, or `{ formats, replace?: [[pattern, replacement], …], asciify?: true, sep?: text, max?:
 *  bytes }`: the config's `replace:` (beets' own when it sets none), `asciify_paths`, `path_sep_replace` and
 *  `max_filename_length`. */
export class BeetsPaths {
  readonly #formats: Array<{ readonly query: Query; readonly template: Template }> = [];
  readonly #default: Template;
  /** Whether a rendered path is transliterated to ASCII (beets' asciify_paths). */
  readonly asciify: boolean;
  /** What a "/" in a field's value becomes (beets' `path_sep_replace`). */
  readonly sepReplace: string;
  /** beets' `replace:`, applied to each part of a rendered path in order (its sanitize_path). */
  readonly #replace: readonly Rule[];
  /** beets' built-in rules, for the last stage of a cut (beets-legalize.ts). */
  readonly #lastResort: readonly Rule[];
  /** The bytes a name may hold (beets' max_filename_length; 0: no cut of beets'). */
  readonly #max: number;
  /** Whether any rule of `replace:` matches a text (none: the text is as it was), when that can be said in
   *  one pattern; most names match none of beets' own rules. */
  readonly #anyRule: RegExp | undefined;
  /** Parts as `replace:` leaves them: an album's tracks share their folders. */
  readonly #replaced = new Map<string, string>();
  /** %asciify{} as beets writes it under this config (its path_sep_replace). */
  readonly helpers: RenderHelpers;

  constructor(json: string) {
    const { formats, asciify: ascii, replace, sep, max } = layoutOf(json);
    this.#max = max;
    this.#lastResort = BEETS_LAST_RESORT.map(([pattern, replacement]) =>
      pySubber(pyRegex(pattern)!, replacement),
    );
    this.asciify = ascii;
    this.sepReplace = sep;
    this.#replace = replace.map(([pattern, replacement]) => pySubber(pattern, replacement));
    this.#anyRule = anyOf(replace.map(([pattern]) => pattern));
    this.helpers = { asciify: (text) => asciify(text, sep) };
    let fallback: Template | undefined;
    for (const format of formats) {
      const [query] = format;
      const compiled = compileFormat(
        query === null ? 'the default format' : `the format for "${query}"`,
        format,
      );
      if (compiled.query) this.#formats.push({ query: compiled.query, template: compiled.template });
      else fallback ??= compiled.template;
    }
    if (!fallback) throw new UserError('bad_request', 'a beets layout needs a default format');
    this.#default = fallback;
  }

  /** The tags a field beets shows its own way reads (beets-fields.ts); undefined for any other field. */
  shownReads(name: string): readonly string[] | undefined {
    return beetsShownReads(name);
  }

  /** A field as beets shows it where Sleeve shows it otherwise, else undefined (beets-fields.ts). */
  shown(name: string, file: FileFacts, first: First): string | undefined {
    return beetsShown(name, file, first);
  }

  templates(): Template[] {
    return [...this.#formats.map((f) => f.template), this.#default];
  }

  /** The tag keys its queries read. */
  queryKeys(): string[] {
    return [...new Set(this.#formats.flatMap((f) => queryTagKeys(f.query)))];
  }

  /** A rendered path's parts as beets makes them before Sleeve's own sanitizing (the last without the
   *  file's `extension`): the path in NFC (as beets has it on Linux), in ASCII under asciify_paths, each part
   *  as beets' legalize_path leaves it — `replace:` applied in order, and again, as its two stages apply it
   *  (a rule that grows what it matches, `-` to `--`, does so twice there too), each cut to
   *  max_filename_length (beets-legalize.ts). */
  parts(rendered: string, extension: string): string[] {
    const nfc = rendered.normalize('NFC');
    const parts = (this.asciify ? asciify(nfc, this.sepReplace) : nfc).split('/');
    if (this.#max > 0) return legalized(parts, extension, this.#replace, this.#lastResort, this.#max);
    return parts.map((part) => this.#replacedPart(part));
  }

  #replacedPart(part: string): string {
    if (this.#anyRule && !this.#anyRule.test(part)) return part;
    let out = this.#replaced.get(part);
    if (out === undefined) {
      [out] = legalized([part], '', this.#replace, this.#lastResort, 0) as [string];
      if (this.#replaced.size >= REPLACED_KEPT) this.#replaced.clear();
      this.#replaced.set(part, out);
    }
    return out;
  }

  /** The template of the first format whose query the track matches, else the default. */
  pick(track: PathSource): Template {
    return this.#formats.find((f) => matchesQuery(f.query, track))?.template ?? this.#default;
  }
}

/** One pattern matching where any of `patterns` does, or undefined where they cannot be joined (a group
 *  numbered or named in one would be another's). */
function anyOf(patterns: readonly RegExp[]): RegExp | undefined {
  if (patterns.some((p) => /\\\d|\\k</.test(p.source) || p.flags.replace('u', '') !== '')) return undefined;
  try {
    return new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'), 'u');
  } catch {
    return undefined; // a name given twice
  }
}

/** Parts kept as `replace:` left them, at most (a folder's worth of memory each). */
const REPLACED_KEPT = 10_000;

/** A layout's JSON read: its formats and options, checked. */
function layoutOf(json: string): {
  formats: Format[];
  asciify: boolean;
  replace: Array<readonly [RegExp, string]>;
  sep: string;
  max: number;
} {
  let layout: unknown;
  try {
    layout = JSON.parse(json);
  } catch {
    layout = undefined;
  }
  const {
    formats,
    asciify,
    replace = [],
    sep = '_',
    max = 0,
  } = Array.isArray(layout)
    ? { formats: layout as unknown[], asciify: false }
    : ((layout ?? {}) as {
        formats?: unknown;
        asciify?: unknown;
        replace?: unknown;
        sep?: unknown;
        max?: unknown;
      });
  const compiled = Array.isArray(replace) ? replace.map(replacement) : [undefined];
  if (
    !Array.isArray(formats) ||
    !formats.every(isFormat) ||
    compiled.includes(undefined) ||
    typeof sep !== 'string' ||
    typeof max !== 'number' ||
    !Number.isInteger(max) ||
    max < 0
  )
    throw new UserError(
      'bad_request',
      'a beets layout is a list of [query, template] pairs, or { formats: that list, replace: [[pattern, replacement], …], asciify: true, sep: "_", max: bytes }',
    );
  return {
    formats,
    asciify: asciify === true,
    replace: compiled as Array<readonly [RegExp, string]>,
    sep,
    max,
  };
}

/** A `replace:` pair, its pattern compiled as Python's; undefined when it is none. */
function replacement(pair: unknown): readonly [RegExp, string] | undefined {
  if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') return undefined;
  const pattern = pyRegex(pair[0]);
  return pattern && [pattern, pair[1]];
}

function isFormat(x: unknown): x is Format {
  return (
    Array.isArray(x) &&
    x.length === 2 &&
    (x[0] === null || typeof x[0] === 'string') &&
    typeof x[1] === 'string'
  );
}

/** A format's query and template, parsed; a refusal names the format (`what`). */
export function compileFormat(what: string, [query, text]: Format): { query?: Query; template: Template } {
  const template = named(what, () => new Template(text));
  if (query === null) return { template };
  const parsed = named(what, () => parseQuery(query));
  const refused = unsupportedTerm(parsed);
  if (refused) throw new UserError('bad_request', `${what}: ${refused}`);
  return { query: parsed, template };
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
