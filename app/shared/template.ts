// Templates with beets' syntax, shared by `sleeve ls -f` and the mount's path templates: `$field` or
// `${field}`, functions `%name{arg,...}` (beets' %if, %ifdef, %lower, %upper, %capitalize, %title, %left,
// %right, %first, %asciify, %aunique, %sunique, %time, and Picard's %num), and
// `$$` `$%` `$,` `${` `$}` for those characters. A template is parsed once into a tree and rendered per
// item; an invalid template is a TemplateError naming the position. Pure (runs in the renderer too).

import { UserError } from '../../kit/user-error.ts';
import { beetsTime } from './beets-time.ts';
import { sleeveFieldName } from './fields.ts';
import { paddedNumber } from './track-numbers.ts';

export class TemplateError extends UserError {
  override name = 'TemplateError';
  readonly reason: string;
  /** 0-based index into the template. */
  readonly position: number;
  constructor(reason: string, position: number) {
    super('bad_request', `${reason} at position ${position + 1} of the template`, {
      start: position,
      length: 1,
    });
    this.reason = reason;
    this.position = position;
  }
}

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'call'; readonly name: FunctionName; readonly args: readonly Node[][] };

/** Evaluated argument count, as [min, max]. */
const FUNCTIONS = {
  if: [2, 3],
  lower: [1, 1],
  upper: [1, 1],
  left: [2, 2],
  right: [2, 2],
  capitalize: [1, 1],
  title: [1, 1],
  ifdef: [1, 3],
  first: [1, 4],
  num: [2, 2],
  asciify: [1, 1],
  aunique: [1, 3],
  sunique: [1, 3],
  time: [2, 2],
} as const;
type FunctionName = keyof typeof FUNCTIONS;

const isFunction = (name: string): name is FunctionName => Object.hasOwn(FUNCTIONS, name);

/** %aunique{keys,disambiguators,bracket} and %sunique{…}: the library derives what tells an album's
 *  releases apart, and a track on no album from others of its artist and title, by beets' default keys and
 *  the disambiguators Sleeve has fields for (app/core/library/album-years.ts), so those two may be given
 *  only as beets' defaults (or left empty); the brackets are the template's. Each shows a field of the
 *  file's derived values (fields.ts: ALBUM_FIELDS), and says in words what it tells apart by. */
export const UNIQUE_FUNCTIONS = {
  aunique: {
    field: 'albumunique',
    keys: ['albumartist album'],
    disambiguators: [
      'albumtype year label catalognum albumdisambig releasegroupdisambig',
      'albumtype year label catalognum',
    ],
    what: 'albums',
    by: ['album artist and album', 'release type, year, label and catalog number'],
  },
  sunique: {
    field: 'singletonunique',
    keys: ['artist title'],
    disambiguators: ['year trackdisambig', 'year'],
    what: 'tracks on no album',
    by: ['artist and title', 'year'],
  },
} as const;
const UNIQUE = UNIQUE_FUNCTIONS;
export type UniqueName = keyof typeof UNIQUE;
const isUnique = (name: FunctionName): name is UniqueName => Object.hasOwn(UNIQUE, name);
const NAME = /[A-Za-z0-9_]/;
/** `${...}` names may also hold `:` (as in `${txxx:mood}`). */
const BRACED_NAME = /[A-Za-z0-9_:]/;

/** What rendering some functions needs beyond the template: %asciify's transliteration (unidecode's
 *  tables, which the core loads; the renderer only checks templates, and never loads them). */
export interface RenderHelpers {
  readonly asciify: (text: string) => string;
}

const NO_HELPERS: RenderHelpers = {
  asciify: () => {
    throw new Error('%asciify rendered without a transliteration (RenderHelpers)');
  },
};

/** A field's value(s); absent fields are empty. */
export type FieldLookup = (field: string) => string | readonly string[] | null | undefined;

export class Template {
  readonly source: string;
  readonly #nodes: readonly Node[];

  constructor(source: string) {
    this.source = source;
    this.#nodes = new Parser(source).sequence(false);
  }

  /** The text for one item; multi-valued fields are joined with `separator` (which %first splits on). */
  render(lookup: FieldLookup, separator = ', ', helpers = NO_HELPERS): string {
    const field = (name: string): string => {
      const v = lookup(name);
      return v === null || v === undefined ? '' : typeof v === 'string' ? v : v.join(separator);
    };
    return evaluate(this.#nodes, { field, separator, helpers });
  }

  /** The names of the fields the template may look up, as written. */
  fields(): Set<string> {
    const names = new Set<string>();
    const visit = (nodes: readonly Node[]) => {
      for (const node of nodes) {
        if (node.kind === 'field') names.add(node.name);
        else if (node.kind === 'call') {
          if (isUnique(node.name)) names.add(UNIQUE[node.name].field);
          for (const arg of node.args) visit(arg);
        }
      }
    };
    visit(this.#nodes);
    return names;
  }

  /** The fields %ifdef asks about (named as text: a field no track has is no mistake there). */
  probed(): Set<string> {
    const names = new Set<string>();
    const visit = (nodes: readonly Node[]) => {
      for (const node of nodes) {
        if (node.kind !== 'call') continue;
        const named = node.name === 'ifdef' ? node.args[0] : undefined;
        if (named?.every((n) => n.kind === 'text'))
          names.add(
            fieldNamed(
              named
                .map((n) => n.text)
                .join('')
                .trim(),
            ),
          );
        for (const arg of node.args) visit(arg);
      }
    };
    visit(this.#nodes);
    return names;
  }
}

/** A field as a template names it: beets' names as a query reads them (`$track` is `$tracknumber`,
 *  `$length` `$duration`, `%ifdef{genres}` asks of `genre`), any other as typed. */
function fieldNamed(name: string): string {
  const sleeve = sleeveFieldName(name.toLowerCase());
  return sleeve === name.toLowerCase() ? name : sleeve;
}

class Parser {
  #at = 0;
  readonly #s: string;
  constructor(source: string) {
    this.#s = source;
  }

  /** Nodes up to the end, or (inside an argument) up to an unescaped `,` or `}`. */
  sequence(inArgument: boolean): Node[] {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', text });
      text = '';
    };
    const s = this.#s;
    while (this.#at < s.length) {
      const c = s[this.#at]!;
      if (inArgument && (c === ',' || c === '}')) break;
      if (c === '$') {
        const next = s[this.#at + 1];
        // beets' escapes, `$$`, `$%`, `$,`, `$}`: the character itself.
        if (next !== undefined && '$%,}'.includes(next)) {
          text += next;
          this.#at += 2;
          continue;
        }
        // A `$` that opens no field (`a $ b`, `${ b`, `${}`) is kept as it is, as beets keeps it.
        if (next === undefined || (next === '{' ? !this.#braceField() : !NAME.test(next))) {
          text += c;
          this.#at++;
          continue;
        }
        flush();
        nodes.push(this.#field());
      } else if (c === '%' && this.#opensCall()) {
        // (A `%` that opens no call, `100%`, `%upper $a`, %time's `%Y`, is text, as beets keeps it.)
        flush();
        nodes.push(this.#call());
      } else {
        text += c;
        this.#at++;
      }
    }
    flush();
    return nodes;
  }

  /** Whether `${` at the cursor opens a `${name}` field (else it is text). */
  #braceField(): boolean {
    return /^\$\{[A-Za-z0-9_:]+\}/.test(this.#s.slice(this.#at, this.#at + 260));
  }

  /** `$name` or `${name}` at the cursor (sequence() has seen that one is there). */
  #field(): Node {
    this.#at++; // $
    const braced = this.#s[this.#at] === '{';
    if (braced) this.#at++;
    const name = this.#name(braced ? BRACED_NAME : NAME);
    if (braced) this.#at++; // }
    return { kind: 'field', name: fieldNamed(name) };
  }

  /** Whether the `%` at the cursor opens a call: a name, then `{`. */
  #opensCall(): boolean {
    return /^%[A-Za-z0-9_]+\{/.test(this.#s.slice(this.#at, this.#at + 64));
  }

  /** `%name{args}` at the cursor (#opensCall: a name, then `{`). */
  #call(): Node {
    const start = this.#at;
    this.#at++; // %
    const name = this.#name(NAME);
    if (!isFunction(name)) throw new TemplateError(`unknown function %${name}`, start);
    this.#at++; // {
    const args: Node[][] = [];
    for (;;) {
      args.push(this.sequence(true));
      const c = this.#s[this.#at];
      if (c === undefined) throw new TemplateError(`unclosed %${name}{`, start);
      this.#at++;
      if (c === '}') break;
    }
    const [min, max] = FUNCTIONS[name];
    if (args.length < min || args.length > max)
      throw new TemplateError(
        `%${name} takes ${min === max ? min : `${min} to ${max}`} argument${max > 1 ? 's' : ''}, not ${args.length}`,
        start,
      );
    if (isUnique(name)) checkUnique(name, args, start);
    return { kind: 'call', name, args };
  }

  #name(chars: RegExp): string {
    const start = this.#at;
    while (this.#at < this.#s.length && chars.test(this.#s[this.#at]!)) this.#at++;
    return this.#s.slice(start, this.#at);
  }
}

/** Refuses %aunique's or %sunique's keys or disambiguators other than beets' defaults: the library
 *  derives by those. */
function checkUnique(name: UniqueName, args: readonly Node[][], start: number): void {
  const unique = UNIQUE[name];
  [unique.keys, unique.disambiguators].forEach((allowed, i) => {
    const arg = args[i] ?? [];
    const text = arg.every((n) => n.kind === 'text') ? arg.map((n) => n.text).join('') : undefined;
    const words = text?.trim().split(/\s+/).join(' ');
    if (words === '' || (words !== undefined && (allowed as readonly string[]).includes(words))) return;
    throw new TemplateError(
      `%${name} tells ${unique.what} apart by ${unique.by[i]} only (beets' defaults): leave its ${i === 0 ? 'keys' : 'disambiguators'} empty, as in %${name}{}`,
      start,
    );
  });
}

interface Scope {
  readonly field: (name: string) => string;
  readonly separator: string;
  readonly helpers: RenderHelpers;
}

function evaluate(nodes: readonly Node[], scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'field') out += scope.field(node.name);
    else out += call(node.name, node.args, scope);
  }
  return out;
}

function call(name: FunctionName, args: readonly Node[][], scope: Scope): string {
  const arg = (i: number): string => (args[i] ? evaluate(args[i], scope) : '');
  switch (name) {
    case 'if':
      // beets: false when empty, "0" or "false"; only the chosen branch is evaluated.
      return truthy(arg(0)) ? arg(1) : arg(2);
    case 'lower':
      return arg(0).toLowerCase();
    case 'upper':
      return arg(0).toUpperCase();
    case 'left':
      return [...arg(0)].slice(0, Math.max(0, Number.parseInt(arg(1), 10) || 0)).join('');
    case 'right': {
      // beets: text[-n:], so 0 (or no number) is the whole text, as in Python.
      const n = Number.parseInt(arg(1), 10) || 0;
      const chars = [...arg(0)];
      return chars.slice(n > 0 ? Math.max(0, chars.length - n) : 0).join('');
    }
    case 'asciify':
      return scope.helpers.asciify(arg(0));
    case 'capitalize': {
      // Python's str.capitalize: the first character upper-cased, the rest lower-cased.
      const [first = '', ...rest] = [...arg(0)];
      return first.toUpperCase() + rest.join('').toLowerCase();
    }
    case 'title':
      // Python's string.capwords: each word capitalized, runs of white space made one space.
      return arg(0)
        .trim()
        .split(/\s+/u)
        .filter((w) => w !== '')
        .map((w) => {
          const [first = '', ...rest] = [...w];
          return first.toUpperCase() + rest.join('').toLowerCase();
        })
        .join(' ');
    case 'ifdef': {
      // beets: the field's value, or `then` when the track has the field; else `otherwise`.
      const value = scope.field(fieldNamed(arg(0).trim()));
      if (value === '') return arg(2);
      return args[1] && arg(1) !== '' ? arg(1) : value;
    }
    case 'first': {
      // %first{text[,count[,skip[,separator]]]}: the first count items of a separated list, after skip.
      const count = args[1] ? Number.parseInt(arg(1), 10) || 1 : 1;
      const skip = args[2] ? Number.parseInt(arg(2), 10) || 0 : 0;
      const separator = args[3] ? arg(3) : scope.separator;
      return arg(0)
        .split(separator)
        .slice(skip, skip + count)
        .join(separator);
    }
    case 'aunique':
    case 'sunique': {
      // beets: " [text]" when the album's releases (or the tracks on no album) need telling apart, else
      // nothing; brackets of two characters, or none.
      const text = scope.field(UNIQUE[name].field);
      const bracket = args[2] ? arg(2) : '[]';
      const [open, close] = [...bracket].length === 2 ? [...bracket] : ['', ''];
      return text === '' ? '' : ` ${open}${text}${close}`;
    }
    case 'time':
      // %time{$added,%Y}: a date as beets shows it ($added, $mtime), written anew as strftime does.
      return beetsTime(arg(0), arg(1));
    case 'num':
      // %num{$tracknumber,2}: the number zero-padded ("5" and "05/12" → "05"); text that is no number as it is.
      return paddedNumber(arg(0), Math.min(Math.max(0, Number.parseInt(arg(1), 10) || 0), 10));
  }
}

/** beets' %if: a number is false when it is zero ("0", "00" — a padded track number that is missing), text
 *  when it is empty or "false". */
const truthy = (v: string): boolean => {
  const t = v.trim();
  if (/^[-+]?\d+$/.test(t)) return Number(t) !== 0;
  return t !== '' && t.toLowerCase() !== 'false';
};
