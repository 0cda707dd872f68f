// Python's regular expressions (its `re` module, text patterns) as JavaScript's, for Picard's $rsearch,
// $rreplace and $performer(/…/) and a beets config's `replace:`. JavaScript's `u` mode is stricter and its
// classes narrower, so a pattern is translated: Python's word and digit classes of every script, its escapes
// of any punctuation, its braces that are no quantifier, its named groups, `\A` and `\Z`, its leading flags.

/** Python's word characters in a text pattern (str.isalnum(), and "_"): every letter and number, where
 *  JavaScript's `\w` knows ASCII's. */
const WORD = '\\p{L}\\p{N}_';
/** Python's classes of Unicode text, as JavaScript writes them: outside a set, and inside one (`[\w-]`). */
const CLASSES: Record<string, readonly [outside: string, inside?: string]> = {
  w: [`[${WORD}]`, WORD],
  W: [`[^${WORD}]`],
  d: ['\\p{Nd}', '\\p{Nd}'],
  D: ['\\P{Nd}', '\\P{Nd}'],
  b: [`(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`],
  // Never in an empty text (Python before 3.14; Debian 12 has 3.11).
  B: [`(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}])(?:(?<=[\\s\\S])|(?=[\\s\\S])))`],
  A: ['(?<![\\s\\S])'],
  Z: ['(?![\\s\\S])'],
};
/** Python's leading flags JavaScript has (`a`: ASCII classes, as JavaScript's own; `u`: the default). */
const FLAGS: Record<string, string> = { i: 'i', m: 'm', s: 's', a: '', u: '' };
/** A quantifier in braces, as Python reads one (`{,3}` is `{0,3}`). */
const QUANTIFIER = /^\{(\d*)(,?)(\d*)\}/;

/** Python's `pattern` as a JavaScript source and flags (`u` and those given), or why it cannot be. */
export function pyRegexSource(pattern: string, flags = 'u'): { source: string; flags: string } {
  let rest = pattern;
  let all = flags;
  let ascii = false;
  // Global flags at the start: `(?i)`, `(?ms)`.
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(rest); m; m = /^\(\?([aiLmsux]+)\)/.exec(rest)) {
    for (const f of m[1]!) {
      if (!(f in FLAGS)) throw new SyntaxError(`the flag (?${f}) has no JavaScript counterpart`);
      if (f === 'a') ascii = true;
      if (!all.includes(FLAGS[f]!)) all += FLAGS[f];
    }
    rest = rest.slice(m[0].length);
  }
  return { source: translated(rest, ascii), flags: all };
}

/** The pattern's body in JavaScript's words (see the module's comment). */
function translated(pattern: string, ascii: boolean): string {
  let out = '';
  /** Where the set being read began (after its `[` and any `^`), or -1 outside one. */
  let set = -1;
  /** Where its members begin in the pattern: a "]" there is one of them. */
  let setFrom = -1;
  /** The set being read holds `\W`, which JavaScript's sets cannot hold but as ASCII (`u` mode). */
  let nonWord = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    const inSet = set >= 0;
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      if (inSet && next === 'W' && !ascii) {
        nonWord = true;
        continue;
      }
      const unicode = ascii && 'wWdDbB'.includes(next) ? undefined : CLASSES[next]?.[inSet ? 1 : 0];
      // Python takes any punctuation escaped as itself; JavaScript's `u` mode only its own syntax.
      out +=
        unicode ?? (/[\p{L}\p{N}]/u.test(next) ? `\\${next}` : `\\u{${next.codePointAt(0)!.toString(16)}}`);
      continue;
    }
    if (inSet) {
      if (ch === ']' && i === setFrom)
        out += '\\]'; // first in a set, Python's "]" is one of it
      else if (ch === ']') {
        out = nonWord ? withNonWord(out, set) : out + ch;
        set = -1;
        nonWord = false;
      } else out += ch === '[' ? '\\[' : ch;
      continue;
    }
    if (ch === '[') {
      out += ch;
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      set = out.length;
      setFrom = i + 1;
    } else if (ch === '{' || ch === '}') {
      const q = ch === '{' ? QUANTIFIER.exec(pattern.slice(i)) : null;
      if (q && (q[1] !== '' || q[3] !== '')) {
        out += `{${q[1] || (q[2] ? '0' : '')}${q[2]}${q[3]}}`;
        i += q[0].length - 1;
      } else out += `\\${ch}`; // no quantifier: the brace itself, as Python reads it
    } else if (pattern.startsWith('(?#', i)) {
      const end = pattern.indexOf(')', i);
      i = end < 0 ? pattern.length : end; // a comment
    } else if (pattern.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (pattern.startsWith('(?P=', i)) {
      const end = pattern.indexOf(')', i);
      out += `\\k<${pattern.slice(i + 4, end)}>`;
      i = end < 0 ? pattern.length : end;
    } else out += ch;
  }
  return out;
}

/** The set that `out` ends with (its members from `members`, after its `[` or `[^`) and that held `\W`, as
 *  a group: its members or a non-word character, or (negated) a word character that is none of them. */
function withNonWord(out: string, members: number): string {
  const negated = out[members - 1] === '^';
  const body = out.slice(members);
  const start = members - (negated ? 2 : 1);
  return `${out.slice(0, start)}${negated ? `(?:(?![${body}])[${WORD}])` : `(?:[${body}]|[^${WORD}])`}`;
}

/** Python's `pattern` as a JavaScript RegExp; undefined when it cannot be one (`why` is told the reason). */
export function pyRegex(pattern: string, flags = 'u', why?: (reason: string) => void): RegExp | undefined {
  try {
    const js = pyRegexSource(pattern, flags);
    return new RegExp(js.source, js.flags);
  } catch (err) {
    why?.((err as Error).message.replace(/^Invalid regular expression: /, ''));
    return undefined;
  }
}

/** re.sub's replacement: `\1`, `\g<1>`, `\g<name>` for groups, `\n` and `\\`; `$` taken as it is. */
export function pyReplacement(template: string): (match: RegExpExecArray) => string {
  return (m) =>
    template.replace(
      /\\(?:g<(\w+)>|(\d{1,2})|(.))/gs,
      (_, name: string | undefined, num: string | undefined, ch: string | undefined) => {
        if (name !== undefined) return (/^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name]) ?? '';
        if (num !== undefined) return m[Number(num)] ?? '';
        return ch === 'n' ? '\n' : ch === 't' ? '\t' : ch === '\\' ? '\\' : `\\${ch}`;
      },
    );
}

/** re.sub(pattern, replacement, ·), made once for many texts. */
export function pySubber(pattern: RegExp, replacement: string): (text: string) => string {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const replace = pyReplacement(replacement);
  return (text) => {
    let out = '';
    let last = 0;
    for (const m of text.matchAll(re)) {
      out += text.slice(last, m.index) + replace(m as RegExpExecArray);
      last = m.index + m[0].length;
    }
    return out + text.slice(last);
  };
}

/** re.sub(pattern, replacement, text). */
export const pySub = (pattern: RegExp, replacement: string, text: string): string =>
  pySubber(pattern, replacement)(text);
