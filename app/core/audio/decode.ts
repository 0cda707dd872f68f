// Decodes the start of a track to 16-bit PCM: Sleeve's own WebAssembly decoders for FLAC, MPEG audio and
// Ogg Vorbis (codecs/), npm's WebAssembly libopus for Opus, a built-in reader for WAV and AIFF, and
// `ffmpeg` for everything else (and for FLAC deeper than 24 bits). What a decoder prints is kept in the
// decode's CodecMessages, never written to the process's output.
import { isPlausible } from '../media/plausible.ts';
import { CodecMessages, capturingConsole } from './codec-messages.ts';
import { decodeWithFfmpeg } from './ffmpeg-decoder.ts';
import { decodeFlac, UnsupportedFlac } from './flac-decoder.ts';
import { decodeMp3 } from './mp3-decoder.ts';
import { decodeOggVorbis } from './ogg-vorbis-decoder.ts';
import { type AudioSource, DecodeError, type PcmSink } from './pcm.ts';
import { decodePcmFile } from './pcm-file.ts';

/** What a WebAssembly trap throws (missing from @types/node's WebAssembly namespace). */
const WasmRuntimeError = (WebAssembly as unknown as { RuntimeError: ErrorConstructor }).RuntimeError;

/** Streams decoded blocks to `sink` until it declines more or `maxSeconds` of audio have been offered.
 *  What the decoder prints meanwhile (damaged packets, FFmpeg's complaints) goes to `messages`. */
export async function decodeAudio(
  source: AudioSource,
  maxSeconds: number,
  sink: PcmSink,
  messages = new CodecMessages(),
): Promise<void> {
  try {
    return await capturingConsole(messages, () => decodeWith(source, maxSeconds, steady(sink), messages));
  } catch (err) {
    // A trap (out-of-bounds access, stack overflow) stays inside the WebAssembly instance; the data did it.
    if (err instanceof WasmRuntimeError)
      throw new DecodeError(`the ${source.format} decoder failed on this data (${err.message})`);
    throw err;
  }
}

/** A stream keeps the rate and channel count of its first block: a block with others comes from a
 *  damaged frame header (a real file does not change mid-stream), so it is dropped, not passed on. A first
 *  block whose rate or channel count no audio has (a WAV header saying 8 MHz) ends the decode. */
function steady(sink: PcmSink): PcmSink {
  let rate = 0;
  let channels = 0;
  return (block) => {
    if (rate === 0) {
      [rate, channels] = [block.sampleRate, block.planes.length];
      if (!Number.isInteger(rate) || !isPlausible('sampleRate', rate) || !isPlausible('channels', channels))
        throw new DecodeError(
          `the audio stream claims an impossible format: ${rate} Hz, ${channels} channel${channels === 1 ? '' : 's'}`,
        );
    }
    if (block.sampleRate !== rate || block.planes.length !== channels) return true;
    return sink(block);
  };
}

function decodeWith(
  source: AudioSource,
  maxSeconds: number,
  sink: PcmSink,
  messages: CodecMessages,
): Promise<void> {
  switch (source.format) {
    case 'flac':
      return decodeFlac(source, sink, messages).catch((err: unknown) => {
        if (!(err instanceof UnsupportedFlac)) throw err;
        return decodeWithFfmpeg(source, maxSeconds, sink, messages).catch((ffmpegErr: unknown) => {
          const why = ffmpegErr instanceof Error ? ffmpegErr.message : String(ffmpegErr);
          throw new DecodeError(`${err.message} is beyond Sleeve's decoder, and ffmpeg failed: ${why}`);
        });
      });
    case 'mp3':
      return decodeMp3(source, sink, messages);
    case 'ogg-vorbis':
      return decodeOggVorbis(source, sink);
    case 'opus':
      // Loaded only for Opus: npm's decoder is 74 modules every reader thread would load otherwise.
      return import('./opus-decoder.ts').then(({ decodeOpus }) => decodeOpus(source, sink, messages));
    case 'wav':
    case 'aiff':
      return decodePcmFile(source, sink);
    default:
      return decodeWithFfmpeg(source, maxSeconds, sink, messages);
  }
}
