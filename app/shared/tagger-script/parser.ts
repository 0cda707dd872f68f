// TaggerScript, as Picard parses it (picard/script/parser.py): text; `%name%` a variable (letters, digits,
// `_` and `:`); `$name(arg,…)` a function whose arguments are expressions; `\` escapes `$ % ( ) , \`, and
// `\n`, `\t` and `\uXXXX` are a line break, a tab and a character. Parsed once into a tree; functions are
// looked up as they are parsed, so an unknown one is an error at its place, as in Picard.

/** A script's error at its line and column (1-based), worded as Picard words it. */
export class ScriptError extends Error {
  override name = 'ScriptError';
}

export type ScriptNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string }
  | {
      readonly kind: 'function';
      readonly name: string;
      readonly args: readonly ScriptExpression[];
      /** Where it is, for a runtime error's message (`line:column:$name`). */
      readonly at: string;
    };

export type ScriptExpression = readonly ScriptNode[];

const isIdentifier = (ch: string) => /^[\p{L}\p{N}_]$/u.test(ch);

/** How many arguments a function takes: at least `min`, at most `max` (none: any number). */
export interface Arity {
  readonly min: number;
  readonly max?: number;
}

/** Why `count` arguments are wrong for `name`, as Picard says it; undefined when they are right. */
function wrongCount(name: string, { min, max }: Arity, count: number): string | undefined {
  if (count >= min && (max === undefined || count <= max)) return undefined;
  const expected =
    max === undefined ? `at least ${min}` : min === max ? `exactly ${min}` : `between ${min} and ${max}`;
  return `Wrong number of arguments for $${name}: Expected ${expected}, got ${count}`;
}

/** Where the parser is in the script: the next character, and its line and column for errors. */
class Cursor {
  #pos = 0;
  #x = 1;
  #y = 1;
  #prev = { x: 1, y: 1 };

  readonly script: string;

  constructor(script: string) {
    this.script = script;
  }

  get pos(): number {
    return this.#pos;
  }
  get line(): number {
    return this.#y;
  }
  get column(): number {
    return this.#x;
  }

  place(name?: string): string {
    return `${this.#y}:${this.#x}${name === undefined ? '' : `:$${name}`}`;
  }

  eof(): never {
    throw new ScriptError(`${this.place()}: Unexpected end of script`);
  }

  unexpected(ch: string): never {
    throw new ScriptError(`${this.place()}: Unexpected character '${ch}'`);
  }

  read(): string | undefined {
    const ch = this.script[this.#pos];
    if (ch === undefined) return undefined;
    this.#pos++;
    this.#prev = { x: this.#x, y: this.#y };
    if (ch === '\n') {
      this.#x = 1;
      this.#y++;
    } else this.#x++;
    return ch;
  }

  /** Steps back over the character just read (once). */
  unread(): void {
    this.#pos--;
    ({ x: this.#x, y: this.#y } = this.#prev);
  }
}

/** What follows a `\`: a line break, a tab, a `\uXXXX` character or one of `$ % ( ) , \`. */
function escaped(c: Cursor): string {
  const ch = c.read();
  if (ch === 'n') return '\n';
  if (ch === 't') return '\t';
  if (ch === 'u') {
    let code = '';
    for (let i = 0; i < 4; i++) code += c.read() ?? c.eof();
    if (!/^[0-9a-fA-F]{4}$/.test(code))
      throw new ScriptError(`${c.place()}: Invalid unicode character '\\u${code}'`);
    return String.fromCharCode(Number.parseInt(code, 16));
  }
  if (ch === undefined) return c.eof();
  if (!'$%(),\\'.includes(ch)) return c.unexpected(ch);
  return ch;
}

/** Text up to the next variable or function (or, in an argument, the next `,` or `)`). */
function text(c: Cursor, top: boolean): ScriptNode {
  let out = '';
  for (;;) {
    const ch = c.read();
    if (ch === '\\') out += escaped(c);
    else if (ch === undefined) break;
    else if (!top && ch === '(') c.unexpected(ch);
    else if (ch === '$' || ch === '%' || (!top && (ch === ',' || ch === ')'))) {
      c.unread();
      break;
    } else out += ch;
  }
  return { kind: 'text', text: out };
}

/** `%name%`, its first `%` read. */
function variable(c: Cursor): ScriptNode {
  const begin = c.pos;
  for (;;) {
    const ch = c.read();
    if (ch === '%') return { kind: 'variable', name: c.script.slice(begin, c.pos - 1) };
    if (ch === undefined) c.eof();
    else if (!isIdentifier(ch) && ch !== ':') c.unexpected(ch);
  }
}

/** `$name(args…)`, its `$` read: a function known, given as many arguments as it takes. */
function fn(c: Cursor, functions: ReadonlyMap<string, Arity>): ScriptNode {
  const begin = c.pos;
  const column = c.column - 1;
  const line = c.line;
  for (;;) {
    const ch = c.read();
    if (ch === '(') {
      const name = c.script.slice(begin, c.pos - 1);
      const at = `${line}:${column}:$${name}`;
      const arity = functions.get(name);
      if (!arity) throw new ScriptError(`${at}: Unknown function '$${name}'`);
      const args = argumentsOf(c, functions);
      const wrong = wrongCount(name, arity, args.length);
      if (wrong) throw new ScriptError(`${at}: ${wrong}`);
      return { kind: 'function', name, args, at };
    }
    if (ch === undefined) c.eof();
    else if (!isIdentifier(ch)) c.unexpected(ch);
  }
}

/** Nodes up to the script's end (top) or the argument's `,` or `)`, which it says it ended at. */
function expression(
  c: Cursor,
  functions: ReadonlyMap<string, Arity>,
  top: boolean,
): { nodes: ScriptNode[]; end: string | undefined } {
  const nodes: ScriptNode[] = [];
  for (;;) {
    const ch = c.read();
    if (ch === undefined) {
      if (top) return { nodes, end: ch };
      c.eof();
    } else if (!top && (ch === ',' || ch === ')')) return { nodes, end: ch };
    else if (ch === '$') nodes.push(fn(c, functions));
    else if (ch === '%') nodes.push(variable(c));
    else {
      c.unread();
      nodes.push(text(c, top));
    }
  }
}

/** A function's arguments, its `(` read, through its `)`. */
function argumentsOf(c: Cursor, functions: ReadonlyMap<string, Arity>): ScriptExpression[] {
  const args: ScriptExpression[] = [];
  for (;;) {
    const { nodes, end } = expression(c, functions, false);
    args.push(nodes);
    // Only an empty first argument is the same as none.
    if (end === ')') return args.length === 1 && nodes.length === 0 ? [] : args;
  }
}

/** Parses `script` against the functions known (by name, with how many arguments each takes). */
export function parseScript(script: string, functions: ReadonlyMap<string, Arity>): ScriptExpression {
  return expression(new Cursor(script), functions, true).nodes;
}
