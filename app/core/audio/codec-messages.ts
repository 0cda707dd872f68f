// What a decoder says about the data while it decodes: FFmpeg's messages about damaged data, from the
// scan's decoder (native/decoder.c keeps them per decode) or from the ffmpeg command. Printed raw, they
// would land in the middle of `sleeve scan --json`'s JSON lines and be lost for the file they are about;
// kept here, they become the file's warning (see the scan's analysis).
import { formatDuration } from '../../shared/fields.ts';

/** Distinct messages kept per decode, and the length each is cut to: a file damaged throughout says
 *  the same few things thousands of times. */
const MAX_DISTINCT = 5;
const MAX_LENGTH = 200;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/** One decode's messages: distinct lines with how often each came, bounded. */
export class CodecMessages {
  readonly #counts = new Map<string, number>();
  /** How far into the audio each message first came, when the decoder said. */
  readonly #firstAt = new Map<string, number>();
  #last: string | undefined;
  #total = 0;
  #others = 0;

  /** Adds printed text, a message a line, said `at` seconds into the audio when known. FFmpeg's "Last
   *  message repeated N times" counts for the line before it; the addresses FFmpeg prints
   *  ("[aac @ 0x55d…]") are dropped so repeats group. */
  add(text: string, at?: number): void {
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
      const key = line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line;
      const seen = this.#counts.get(key);
      if (seen !== undefined) this.#counts.set(key, seen + 1);
      else if (this.#counts.size < MAX_DISTINCT) {
        this.#counts.set(key, 1);
        if (at !== undefined) this.#firstAt.set(key, at);
      } else {
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

  /** The messages on one line ("…corrupted (12 times, the first at 1:05); …"), or undefined when there
   *  were none. */
  summary(): string | undefined {
    if (this.#total === 0) return undefined;
    const parts = [...this.#counts].map(([line, n]) => {
      const at = this.#firstAt.get(line);
      const where = at === undefined ? '' : `${n > 1 ? 'the first ' : ''}at ${formatDuration(at)}`;
      const notes = [n > 1 ? `${n} times` : '', where].filter(Boolean).join(', ');
      return notes ? `${line} (${notes})` : line;
    });
    if (this.#others > 0) parts.push(`and ${this.#others} other messages`);
    return parts.join('; ');
  }
}
