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

/** Parses `script` against the functions known (by name, with how many arguments each takes). */
export function parseScript(script: string, functions: ReadonlyMap<string, Arity>): ScriptExpression {
  let pos = 0;
  let x = 1;
  let y = 1;
  let prev = { x: 1, y: 1 };
  const place = (name?: string) => `${y}:${x}${name === undefined ? '' : `:$${name}`}`;
  const eof = (): never => {
    throw new ScriptError(`${place()}: Unexpected end of script`);
  };
  const unexpected = (ch: string): never => {
    throw new ScriptError(`${place()}: Unexpected character '${ch}'`);
  };
  const read = (): string | undefined => {
    const ch = script[pos];
    if (ch === undefined) return undefined;
    pos++;
    prev = { x, y };
    if (ch === '\n') {
      x = 1;
      y++;
    } else x++;
    return ch;
  };
  const unread = () => {
    pos--;
    ({ x, y } = prev);
  };

  const escaped = (): string => {
    const ch = read();
    if (ch === 'n') return '\n';
    if (ch === 't') return '\t';
    if (ch === 'u') {
      let code = '';
      for (let i = 0; i < 4; i++) code += read() ?? eof();
      if (!/^[0-9a-fA-F]{4}$/.test(code))
        throw new ScriptError(`${place()}: Invalid unicode character '\\u${code}'`);
      return String.fromCharCode(Number.parseInt(code, 16));
    }
    if (ch === undefined) return eof();
    if (!'$%(),\\'.includes(ch)) return unexpected(ch);
    return ch;
  };

  const text = (top: boolean): ScriptNode => {
    let out = '';
    for (;;) {
      const ch = read();
      if (ch === '\\') out += escaped();
      else if (ch === undefined) break;
      else if (!top && ch === '(') unexpected(ch);
      else if (ch === '$' || ch === '%' || (!top && (ch === ',' || ch === ')'))) {
        unread();
        break;
      } else out += ch;
    }
    return { kind: 'text', text: out };
  };

  const variable = (): ScriptNode => {
    const begin = pos;
    for (;;) {
      const ch = read();
      if (ch === '%') return { kind: 'variable', name: script.slice(begin, pos - 1) };
      if (ch === undefined) eof();
      else if (!isIdentifier(ch) && ch !== ':') unexpected(ch);
    }
  };

  const fn = (): ScriptNode => {
    const begin = pos;
    const column = x - 1;
    const line = y;
    for (;;) {
      const ch = read();
      if (ch === '(') {
        const name = script.slice(begin, pos - 1);
        const at = `${line}:${column}:$${name}`;
        const arity = functions.get(name);
        if (!arity) throw new ScriptError(`${at}: Unknown function '$${name}'`);
        const args = argumentsOf();
        const wrong = wrongCount(name, arity, args.length);
        if (wrong) throw new ScriptError(`${at}: ${wrong}`);
        return { kind: 'function', name, args, at };
      }
      if (ch === undefined) eof();
      else if (!isIdentifier(ch)) unexpected(ch);
    }
  };

  const expression = (top: boolean): { nodes: ScriptNode[]; end: string | undefined } => {
    const nodes: ScriptNode[] = [];
    for (;;) {
      const ch = read();
      if (ch === undefined) {
        if (top) return { nodes, end: ch };
        eof();
      } else if (!top && (ch === ',' || ch === ')')) return { nodes, end: ch };
      else if (ch === '$') nodes.push(fn());
      else if (ch === '%') nodes.push(variable());
      else {
        unread();
        nodes.push(text(top));
      }
    }
  };

  const argumentsOf = (): ScriptExpression[] => {
    const args: ScriptExpression[] = [];
    for (;;) {
      const { nodes, end } = expression(false);
      args.push(nodes);
      // Only an empty first argument is the same as none.
      if (end === ')') return args.length === 1 && nodes.length === 0 ? [] : args;
    }
  };

  return expression(true).nodes;
}
