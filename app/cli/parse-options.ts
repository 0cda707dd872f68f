/**
 * Node's parseArgs, except that the word after an option taking a value is that value even when it
 * starts with a dash. Node refuses `--revoke -3xY` as ambiguous, yet the ids Sleeve prints (base64url
 * share ids, key ids) and values a user types (a title "-ing", an offset "-5") may start with one;
 * what a list printed must paste back as it is. A word that is one of the command's own options
 * (`--json`, `-n`) still ends the value, so a forgotten value is still caught.
 */
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export const parseArgs: typeof nodeParseArgs = (config) => {
  if (config?.args === undefined || config.options === undefined) return nodeParseArgs(config);
  return nodeParseArgs({ ...config, args: dashValuesJoined(config.args, config.options) } as typeof config);
};

/** `--name -value` as `--name=-value` for options taking a value, up to a `--`. */
export function dashValuesJoined(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    if (word === '--') return out.concat(args.slice(i));
    const name = valueOptionNamed(word, options);
    const next = args[i + 1] ?? '';
    if (
      name !== undefined &&
      next.length > 1 &&
      next.startsWith('-') &&
      optionNamed(next, options) === undefined
    ) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(word);
  }
  return out;
}

/** The long name of the option `word` is when it takes a value and has none joined to it. */
function valueOptionNamed(word: string, options: Options): string | undefined {
  // `--name=value` and `-nvalue` carry their value already.
  if (word.includes('=') || (!word.startsWith('--') && word.length !== 2)) return undefined;
  const name = optionNamed(word, options);
  return name !== undefined && options[name]?.type === 'string' ? name : undefined;
}

/** The long name of the command's option `word` names (`--name`, `--name=…`, `-n`), if any. */
function optionNamed(word: string, options: Options): string | undefined {
  if (word.startsWith('--')) {
    const name = word.slice(2).split('=')[0] ?? '';
    return Object.hasOwn(options, name) ? name : undefined;
  }
  if (!word.startsWith('-')) return undefined;
  return Object.keys(options).find((key) => options[key]?.short === word[1]);
}
