/**
 * Node's parseArgs, except that the word after an option taking a value is that value even when it
 * starts with a dash. Node refuses `--revoke -3xY` as ambiguous, yet the ids Sleeve prints (base64url
 * share ids, key ids) and values a user types (a title "-ing", an offset "-5") may start with one;
 * what a list printed must paste back as it is. A word that is one of the command's own options
 * (`--json`, `-n`) still ends the value, so a forgotten value is still caught.
 */
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export const parseArgs: typeof nodeParseArgs = (config) => {
  if (config?.args === undefined || config.options === undefined) return nodeParseArgs(config);
  return nodeParseArgs({ ...config, args: dashValuesJoined(config.args, config.options) } as typeof config);
};

/** `--name -value` as `--name=-value` for options taking a value (`-n -5`, `-yn -5` too), up to a `--`. */
function dashValuesJoined(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    if (word === '--') return out.concat(args.slice(i));
    const taker = valueTaker(word, options);
    const next = args[i + 1] ?? '';
    if (taker && next !== '--' && next.length > 1 && next.startsWith('-') && !isOption(next, options)) {
      out.push(...(taker.before ? [taker.before] : []), `--${taker.name}=${next}`);
      i++;
    } else out.push(word);
  }
  return out;
}

/** The option in `word` that takes the next word as its value, and what comes before it in the word (the
 *  booleans of a group, `-y` of `-yn`): `--name`, `-n`, or a group ending in a short taking a value. */
function valueTaker(word: string, options: Options): { name: string; before?: string } | undefined {
  if (word.startsWith('--')) {
    const name = word.slice(2);
    return Object.hasOwn(options, name) && options[name]?.type === 'string' ? { name } : undefined;
  }
  if (!isShortGroup(word, options)) return undefined;
  const name = shortNamed(word.at(-1)!, options)!;
  if (options[name]?.type !== 'string') return undefined;
  return word.length === 2 ? { name } : { name, before: word.slice(0, -1) };
}

/** Whether `word` is one of the command's options: `--name`, `--name=…`, `-n`, `-n5` (a value joined to
 *  a short taking one), or a group of shorts (`-yn`). Else it is a value (`-5`, `-3xY`, `-you`). */
function isOption(word: string, options: Options): boolean {
  if (word.startsWith('--')) return Object.hasOwn(options, word.slice(2).split('=')[0] ?? '');
  const first = shortNamed(word[1] ?? '', options);
  if (first === undefined) return false;
  return options[first]?.type === 'string' || isShortGroup(word, options);
}

/** `-x…`: every letter a short option, all but the last a boolean (as Node reads a group). */
function isShortGroup(word: string, options: Options): boolean {
  if (!/^-[^-]+$/.test(word)) return false;
  const names = [...word.slice(1)].map((letter) => shortNamed(letter, options));
  return names.every(
    (name, i) => name !== undefined && (i === names.length - 1 || options[name]?.type === 'boolean'),
  );
}

function shortNamed(letter: string, options: Options): string | undefined {
  return Object.keys(options).find((key) => options[key]?.short === letter);
}

/** An option's value as a whole number from `min` to `max`, or `fallback` when it was not given; anything
 *  else ("1.5", "abc", "0" where 1 is the least) is refused naming the option and its range. */
export function wholeNumber(
  what: string,
  text: string | undefined,
  range: { min: number; max: number; fallback: number },
): number {
  if (text === undefined) return range.fallback;
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= range.min && n <= range.max))
    throw new UsageError(
      `${what} must be a whole number from ${range.min} to ${range.max}, not ${JSON.stringify(text)}`,
    );
  return n;
}
