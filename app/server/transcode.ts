// The player's stream of a file the browser cannot play as it is (app/shared/playable.ts): ffmpeg decodes
// it from a time offset (the player seeks by asking again with `?start=`) and writes FLAC to the response
// as it goes: no length, no byte ranges. FLAC for lossy sources too: no second lossy generation, and the
// least CPU of the choices measured (`npm run bench -- media`, BENCHMARKS.md); the size does not matter
// on 127.0.0.1. ffmpeg stops when the client goes away (a seek closes the old request), and at most
// `limit` run at once.
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

export type Started =
  | {
      readonly ok: true;
      readonly ffmpeg: Ffmpeg;
      /** ffmpeg's output: its first chunk already read, then the rest. */
      readonly first: Buffer;
      readonly rest: AsyncIterator<Buffer>;
    }
  | {
      readonly ok: false;
      readonly cause: 'not installed' | 'failed';
      readonly detail: string;
    };

/** Starts ffmpeg on the open file `input` from `startS` seconds and waits for its first bytes: the
 *  stream, or why there is none. */
export async function startTranscode(input: number, startS: number, output: Output): Promise<Started> {
  const ffmpeg = runFfmpeg(input, startS > 0 ? ['-ss', String(startS)] : [], [
    '-map',
    '0:a:0',
    '-map_metadata',
    '-1',
    ...output.args,
    '-',
  ]);
  const rest = ffmpeg.child.stdout![Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await rest.next();
  if (!first.done) return { ok: true, ffmpeg, first: first.value, rest };
  const code = await ffmpeg.exited;
  if (code === 'not installed') return { ok: false, cause: 'not installed', detail: '' };
  return {
    ok: false,
    cause: 'failed',
    detail: code === 0 ? 'no audio came out' : ffmpegReason(ffmpeg, code),
  };
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
  }
}

/** Counts the transcodes running (one per backend). */
export class TranscodeSlots {
  #running = 0;
  readonly limit: number;
  constructor(limit = MAX_TRANSCODES) {
    this.limit = limit;
  }
  /** A slot, released once when the returned function is called; undefined when all are taken. */
  take(): (() => void) | undefined {
    if (this.#running >= this.limit) return undefined;
    this.#running++;
    let released = false;
    return () => {
      if (!released) this.#running--;
      released = true;
    };
  }
}

/**
 * Streams the open file `source.input` as FLAC from `startS` seconds. Failures before the first byte are
 * answered with the reason (`fail`); after it, the response is cut (the element reports an error).
 */
export async function serveTranscoded(
  req: IncomingMessage,
  res: ServerResponse,
  source: {
    readonly input: number;
    /** Its format as the library names it, for the reasons. */
    readonly format: string;
    readonly startS: number;
  },
  slots: TranscodeSlots,
  headers: Record<string, string>,
  fail: (status: number, reason: string) => void,
): Promise<void> {
  const release = slots.take();
  if (!release)
    return fail(503, `Sleeve is already transcoding ${slots.limit} streams: stop one and try again`);
  let ffmpeg: Ffmpeg | undefined;
  let gone = false;
  res.on('close', () => {
    gone = true;
    ffmpeg?.stop();
    release();
  });
  try {
    const started = await startTranscode(source.input, source.startS, FLAC);
    if (!started.ok) return fail(...refusal(source.format, started));
    ffmpeg = started.ffmpeg;
    if (gone) return;
    res.writeHead(200, { ...headers, 'Content-Type': FLAC.mime });
    if (req.method === 'HEAD') return void res.end();
    const { exited } = ffmpeg;
    await pipeline(async function* () {
      yield started.first;
      yield* { [Symbol.asyncIterator]: () => started.rest };
      // A transcode ffmpeg cut short must not look like the track's end.
      if ((await exited) !== 0) throw new Error('ffmpeg stopped before the end');
    }, res);
  } catch {
    res.destroy(); // the client went away, or ffmpeg failed mid-stream
  } finally {
    ffmpeg?.stop();
    release();
  }
}
