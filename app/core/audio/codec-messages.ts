// What decoders print while they decode. The code around a codec may print diagnostics for damaged data
// (npm's libopus wrapper calls console.error for every packet it cannot decode: "libopus -4
// OPUS_INVALID_PACKET: …"), and FFmpeg writes its own on stderr. Printed raw, they would land in the
// middle of `sleeve scan --json`'s JSON lines and be lost for the file they are about. Inside
// `capturingConsole`, console output belongs to that decode's CodecMessages instead (AsyncLocalStorage,
// so concurrent decodes in one thread keep theirs apart); outside, the console behaves as usual. The
// messages become the file's warning (see the scan's analysis).
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';

/** Distinct messages kept per decode, and the length each is cut to: a file damaged throughout says
 *  the same few things thousands of times. */
const MAX_DISTINCT = 5;
const MAX_LENGTH = 200;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/** One decode's messages: distinct lines with how often each came, bounded. */
export class CodecMessages {
  readonly #counts = new Map<string, number>();
  #last: string | undefined;
  #total = 0;
  #others = 0;

  /** Adds printed text, a message a line (each after `prefix`). FFmpeg's "Last message repeated N times" counts for the line
   *  before it; the addresses FFmpeg prints ("[aac @ 0x55d…]") are dropped so repeats group. */
  add(text: string, prefix = ''): void {
    for (const raw of text.split(/\r?\n|\r/)) {
      const line = raw
        .replace(CONTROL, ' ')
        .replace(/ @ 0x[0-9a-f]+\]/gi, ']')
        .replace(/\s+/g, ' ')
        .trim();
      if (!line) continue;
      const repeated = /^Last message repeated (\d+) times?$/.exec(line);
      if (repeated) {
        const n = Number(repeated[1]);
        this.#total += n;
        if (this.#last !== undefined) this.#counts.set(this.#last, this.#counts.get(this.#last)! + n);
        else this.#others += n;
        continue;
      }
      this.#total++;
      const full = prefix + line;
      const key = full.length > MAX_LENGTH ? `${full.slice(0, MAX_LENGTH - 1)}…` : full;
      const seen = this.#counts.get(key);
      if (seen !== undefined) this.#counts.set(key, seen + 1);
      else if (this.#counts.size < MAX_DISTINCT) this.#counts.set(key, 1);
      else {
        this.#others++;
        this.#last = undefined;
        continue;
      }
      this.#last = key;
    }
  }

  /** How many messages came, repeats included. */
  get count(): number {
    return this.#total;
  }

  /** The messages on one line ("…corrupted (12 times); …"), or undefined when there were none. */
  summary(): string | undefined {
    if (this.#total === 0) return undefined;
    const parts = [...this.#counts].map(([line, n]) => (n > 1 ? `${line} (${n} times)` : line));
    if (this.#others > 0) parts.push(`and ${this.#others} other messages`);
    return parts.join('; ');
  }
}

const current = new AsyncLocalStorage<CodecMessages>();
const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
let installed = false;

/** Wraps this thread's console once: a call made inside a capture goes to its CodecMessages. */
function install(): void {
  if (installed) return;
  installed = true;
  for (const name of METHODS) {
    const original = console[name].bind(console);
    console[name] = (...args: unknown[]) => {
      const messages = current.getStore();
      if (messages) messages.add(format(...args));
      else original(...args);
    };
  }
}

/** Runs `fn` (and everything it starts, across awaits) with console output kept in `messages`. */
export function capturingConsole<T>(messages: CodecMessages, fn: () => Promise<T>): Promise<T> {
  install();
  return current.run(messages, fn);
}
