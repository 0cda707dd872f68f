// MPEG audio through Sleeve's own WebAssembly build of minimp3 (codecs/mp3.c), a frame at a time over the
// file's audio byte range (no ID3v2 before it, no ID3v1/APE after), with FFmpeg's gapless start.
// minimp3 skips bytes that are not audio silently; a long run of them (a file damaged in the middle) is
// said in the decode's messages, which become the file's warning.
import { open } from 'node:fs/promises';
import { formatDuration } from '../../shared/fields.ts';
import { parseMpegFrameHeader } from '../media/mpeg-frame.ts';
import { CodecInput, instantiateCodec, pumpFrames, type StreamCodec } from './codec-input.ts';
import type { CodecMessages } from './codec-messages.ts';
import { type AudioSource, DecodeError, type PcmSink } from './pcm.ts';

/** Skipped bytes said as damage: a few stray bytes between frames are common and harmless. */
const JUNK_REPORTED = 4096;

/** minimp3 checks a frame against the ones after it before trusting it: keep several in the window. */
const LOOKAHEAD = 32 * 1024;

export async function decodeMp3(source: AudioSource, sink: PcmSink, messages: CodecMessages): Promise<void> {
  const file = await open(source.path, 'r');
  try {
    // A fresh instance starts zeroed, which is minimp3's initial state (mp3dec_init only clears it).
    // decode_frame's bytes consumed include junk skipped before a frame.
    const k = instantiateCodec<StreamCodec>('mp3');
    const end = source.audioEnd ?? (await file.stat()).size;
    const input = new CodecInput(file, k, source.audioStart ?? 0, end);
    const junk = new JunkRuns(messages);
    const take = junk.take.bind(junk);
    if ((await pumpFrames(k, input, LOOKAHEAD, sink, take)) === 0)
      throw new DecodeError('no decodable MPEG audio frames');
    junk.end();
  } finally {
    await file.close();
  }
}

/** How many of the `consumed` bytes from `at` minimp3 skipped before the frame it decoded: 0 when a
 *  frame of exactly that length starts at `at`; else where one begins that ends where the frame did (0
 *  when none does: a free-format frame, which the header parser does not size). */
function junkBefore(bytes: Uint8Array, at: number, consumed: number): number {
  if (parseMpegFrameHeader(bytes, at)?.frameLength === consumed) return 0;
  for (let j = at + 1; j < at + consumed - 4; j++)
    if (parseMpegFrameHeader(bytes, j)?.frameLength === at + consumed - j) return j - at;
  return 0;
}

/** Runs of skipped bytes, each said once it ends: "200 KB that are not MPEG audio skipped at 1:32". */
class JunkRuns {
  readonly #messages: CodecMessages;
  #rate = 0;
  #run = 0;
  #at = 0;

  constructor(messages: CodecMessages) {
    this.#messages = messages;
  }

  /** One decode call: what it consumed from `input.at`, whether it gave audio, the samples before it. */
  take(input: CodecInput, consumed: number, decoded: boolean, produced: number): void {
    const skipped = decoded ? junkBefore(input.bytes, input.at, consumed) : consumed;
    if (skipped > 0 && this.#run === 0) this.#at = produced;
    this.#run += skipped;
    if (!decoded) return;
    this.#rate ||= parseMpegFrameHeader(input.bytes, input.at + skipped)?.sampleRate ?? 0;
    this.end();
  }

  /** Says the run under way, if it is long enough to be damage. */
  end(): void {
    if (this.#run >= JUNK_REPORTED && this.#rate > 0)
      this.#messages.add(
        `${Math.round(this.#run / 1024)} KB that are not MPEG audio skipped at ${formatDuration(this.#at / this.#rate)}`,
      );
    this.#run = 0;
  }
}
