// The player's stream of a file the browser cannot play as it is (app/shared/playable.ts): ffmpeg decodes
// it from a time offset (the player seeks by asking again with `?start=`) and writes FLAC to the response
// as it goes: no length, no byte ranges. FLAC for lossy sources too: no second lossy generation, and the
// least CPU of the choices measured (`npm run bench -- media`, BENCHMARKS.md); the size does not matter
// on 127.0.0.1. ffmpeg is killed when the client goes away (a seek closes the old request), before its
// first byte too, and when it writes nothing for TRANSCODE_STALL_MS while it is read (a hung input); at
// most `limit` processes run at once, each counted until it has exited.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { type Ffmpeg, ffmpegReason, runFfmpeg } from '../core/audio/ffmpeg.ts';

/** What ffmpeg writes (to a pipe: nothing may need a seekable output) and its MIME type. */
export interface Output {
  readonly mime: string;
  readonly args: readonly string[];
}

/** Level 0: the encoder's fastest setting; the bytes only cross a socket. The source's bit depth kept. */
export const FLAC: Output = {
  mime: 'audio/flac',
  args: ['-c:a', 'flac', '-compression_level', '0', '-f', 'flac'],
};

/** Transcodes running at once: a player's two elements, a seek's overlap, another window. */
export const MAX_TRANSCODES = 4;

/** How long ffmpeg may go without output while it is read (its first bytes included) before it is
 *  killed: a hung input (a stalled share) must not hold a transcode's slot for ever. */
export const TRANSCODE_STALL_MS = 10_000;

export type Started =
  | {
      readonly ok: true;
      /** ffmpeg's output: its first chunk already read, then the rest. */
      readonly first: Buffer;
      readonly rest: AsyncIterator<Buffer>;
    }
  | {
      readonly ok: false;
      readonly cause: 'not installed' | 'failed' | 'stalled';
      readonly detail: string;
    };

/** The iterator's next chunk, or 'stalled' when none comes within `ms`. */
async function nextWithin(
  rest: AsyncIterator<Buffer>,
  ms: number,
): Promise<IteratorResult<Buffer> | 'stalled'> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<'stalled'>((resolve) => {
    timer = setTimeout(() => resolve('stalled'), ms);
  });
  try {
    return await Promise.race([rest.next(), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for ffmpeg's first bytes: the stream, or why there is none (ffmpeg killed past `stallMs`). */
export async function firstBytes(ffmpeg: Ffmpeg, stallMs: number): Promise<Started> {
  const rest = ffmpeg.child.stdout![Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await nextWithin(rest, stallMs);
  if (first === 'stalled') {
    ffmpeg.stop();
    return { ok: false, cause: 'stalled', detail: `no audio came out within ${stallMs / 1000} s` };
  }
  if (!first.done) return { ok: true, first: first.value, rest: withDeadline(ffmpeg, rest, stallMs) };
  const code = await ffmpeg.exited;
  if (code === 'not installed') return { ok: false, cause: 'not installed', detail: '' };
  return {
    ok: false,
    cause: 'failed',
    detail: code === 0 ? 'no audio came out' : ffmpegReason(ffmpeg, code),
  };
}

/** The rest of ffmpeg's output; ffmpeg killed and the stream failed when a chunk asked for takes longer
 *  than `stallMs` (a wait for the reader is not counted: only the time a chunk is asked for). */
async function* withDeadline(
  ffmpeg: Ffmpeg,
  rest: AsyncIterator<Buffer>,
  stallMs: number,
): AsyncGenerator<Buffer> {
  for (;;) {
    const next = await nextWithin(rest, stallMs);
    if (next === 'stalled') {
      ffmpeg.stop();
      throw new Error(`ffmpeg wrote nothing for ${stallMs / 1000} s`);
    }
    if (next.done) return;
    yield next.value;
  }
}

/** ffmpeg on the open file `input` from `startS` seconds, writing `output` (its first audio stream, no
 *  tags) to its stdout. */
export function transcode(input: number, startS: number, output: Output): Ffmpeg {
  return runFfmpeg(input, startS > 0 ? ['-ss', String(startS)] : [], [
    '-map',
    '0:a:0',
    '-map_metadata',
    '-1',
    ...output.args,
    '-',
  ]);
}

/** Why a transcode did not start, in the words the player shows. */
function refusal(format: string, started: Extract<Started, { ok: false }>): [number, string] {
  switch (started.cause) {
    case 'not installed':
      return [
        503,
        `the browser cannot play ${format} files and ffmpeg, which converts them, is not installed`,
      ];
    case 'failed':
      return [500, `ffmpeg could not convert this ${format} file for the browser: ${started.detail}`];
    case 'stalled':
      return [
        504,
        `ffmpeg was stopped converting this ${format} file: ${started.detail} (is its disk or share answering?)`,
      ];
  }
}

/** The ffmpeg processes of one backend, at most `limit` at once. A process holds its slot until it has
 *  exited, whatever ended it: a stopped one still runs until the kernel has ended it. */
export class TranscodeSlots {
  #running = 0;
  readonly limit: number;
  readonly stallMs: number;
  constructor(limit = MAX_TRANSCODES, stallMs = TRANSCODE_STALL_MS) {
    this.limit = limit;
    this.stallMs = stallMs;
  }

  /** ffmpeg processes running now. */
  get running(): number {
    return this.#running;
  }

  /** Starts ffmpeg on the open file `input` from `startS` seconds, writing `output`; undefined when
   *  `limit` are running. */
  start(input: number, startS: number, output: Output): Ffmpeg | undefined {
    if (this.#running >= this.limit) return undefined;
    const ffmpeg = transcode(input, startS, output);
    this.#running++;
    void ffmpeg.exited.then(() => this.#running--);
    return ffmpeg;
  }
}

/** Zero bytes written at a time to pad a stream out to its declared length. */
const PADDING = Buffer.alloc(64 * 1024);

/** `chunks` as exactly `length` bytes: cut there, or padded with zero bytes after their end. */
async function* exactly(chunks: AsyncIterable<Buffer>, length: number): AsyncGenerator<Buffer> {
  let left = length;
  for await (const chunk of chunks) {
    if (chunk.length >= left) {
      if (left > 0) yield chunk.subarray(0, left);
      left = 0;
      continue; // read to the end: ffmpeg's exit is still checked
    }
    left -= chunk.length;
    yield chunk;
  }
  for (; left > 0; left -= PADDING.length) yield PADDING.subarray(0, Math.min(left, PADDING.length));
}

/**
 * Streams the open file `source.input` as `source.output` from `startS` seconds. Failures before the first byte are
 * answered with the reason (`fail`); after it, the response is cut (the element reports an error). A
 * client gone before or after the first byte stops its ffmpeg.
 */
export async function serveTranscoded(
  req: IncomingMessage,
  res: ServerResponse,
  source: {
    readonly input: number;
    /** Its format as the library names it, for the reasons. */
    readonly format: string;
    readonly startS: number;
    /** What ffmpeg writes: FLAC for the app's player, what a Subsonic client asked for. */
    readonly output: Output;
    /** The body's length, declared as Content-Length (a Subsonic client's estimateContentLength): ffmpeg's
     *  output is cut there or padded to it with zero bytes, so the body is what the header says. Only for
     *  an output whose size is known closely and whose decoders skip zeros (the caller's choice). */
    readonly length?: number;
  },
  slots: TranscodeSlots,
  headers: Record<string, string>,
  fail: (status: number, reason: string) => void,
): Promise<void> {
  if (res.destroyed) return; // gone while the file was opened
  const ffmpeg = slots.start(source.input, source.startS, source.output);
  if (!ffmpeg)
    return fail(503, `Sleeve is already transcoding ${slots.limit} streams: stop one and try again`);
  const stop = () => ffmpeg.stop();
  res.on('close', stop);
  try {
    const started = await firstBytes(ffmpeg, slots.stallMs);
    if (!started.ok) return fail(...refusal(source.format, started));
    if (res.destroyed) return;
    const length = source.length;
    res.writeHead(200, {
      ...headers,
      'Content-Type': source.output.mime,
      ...(length === undefined ? {} : { 'Content-Length': String(length) }),
    });
    if (req.method === 'HEAD') return void res.end();
    const { exited } = ffmpeg;
    const body = async function* () {
      yield started.first;
      yield* { [Symbol.asyncIterator]: () => started.rest };
      // A transcode ffmpeg cut short must not look like the track's end.
      if ((await exited) !== 0) throw new Error('ffmpeg stopped before the end');
    };
    await pipeline(length === undefined ? body() : exactly(body(), length), res);
  } catch {
    res.destroy(); // the client went away, or ffmpeg failed or stalled mid-stream
  } finally {
    res.off('close', stop);
    ffmpeg.stop();
  }
}
