// The options before the command (--home, --index-url, --help, --version), read by main and by the
// launcher, which chooses the process's settings by command before anything else loads.
import { UsageError } from './errors.ts';

/** Global options come before the command: --home DIR (or --home=DIR), --index-url URL, --help, --version. */
export function splitGlobal(argv: readonly string[]): {
  home?: string;
  indexUrl?: string;
  rest: string[];
  help: boolean;
  version: boolean;
} {
  let home: string | undefined;
  let indexUrl: string | undefined;
  let i = 0;
  let wantHelp = false;
  let wantVersion = false;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--home') {
      home = argv[++i];
      if (home === undefined) throw new UsageError('--home needs a DIR');
    } else if (a.startsWith('--home=')) home = a.slice('--home='.length);
    else if (a === '--index-url') {
      indexUrl = argv[++i];
      if (indexUrl === undefined) throw new UsageError('--index-url needs a URL');
    } else if (a.startsWith('--index-url=')) indexUrl = a.slice('--index-url='.length);
    else if (a === '--help' || a === '-h') wantHelp = true;
    else if (a === '--version' || a === '-V') wantVersion = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else break;
  }
  if (indexUrl !== undefined && !/^https?:\/\/[^/]/.test(indexUrl))
    throw new UsageError(`--index-url ${indexUrl}: give an http:// or https:// address`);
  return { home, indexUrl, rest: argv.slice(i), help: wantHelp, version: wantVersion };
}

/** The command and its first argument; none when the global options are wrong (main says why). */
export function commandOf(argv: readonly string[]): readonly string[] {
  try {
    return splitGlobal(argv).rest.slice(0, 2);
  } catch {
    return [];
  }
}
