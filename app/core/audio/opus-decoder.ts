// Ogg Opus through the WebAssembly libopus from npm (ogg-opus-decoder). The file is read in chunks and
// decoding stops as soon as the sink has enough. Pages whose checksum fails are counted in the decode's
// messages (the npm decoder does not check them); what it prints about packets it cannot decode is
// captured there too (decode.ts). The header's output gain, which the npm decoder ignores, is applied
// as RFC 7845 says a player must (FFmpeg does): loudness and fingerprints are of what is heard.
import { open } from 'node:fs/promises';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import type { CodecMessages } from './codec-messages.ts';
import { OggPageChecker } from './ogg-checksum.ts';
import { type AudioSource, DecodeError, floatToS16, type PcmSink } from './pcm.ts';

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

const CHUNK = 256 * 1024;

/**
 * What makes an identification header one no decoder may accept (RFC 7845, section 5.1), or undefined.
 * npm's decoder trusts it: 32 channels without a mapping table ended in a TypeError inside its parser.
 */
export function opusHeadProblem(head: Uint8Array): string | undefined {
  const version = head[8]!;
  const channels = head[9]!;
  const family = head[18]!;
  if (version >= 16) return `version ${version >> 4}.${version & 15}, which this decoder does not know`;
  if (channels === 0) return 'no channels';
  if (family === 0) return channels > 2 ? `${channels} channels without a channel mapping` : undefined;
  if (head.length < 21 + channels) return 'its channel mapping table is cut short';
  const streams = head[19]!;
  const coupled = head[20]!;
  if (streams === 0 || coupled > streams || streams + coupled > 255)
    return `${streams} streams of which ${coupled} coupled`;
  if (family === 1 && channels > 8) return `${channels} channels in mapping family 1 (at most 8)`;
  for (let c = 0; c < channels; c++) {
    const index = head[21 + c]!;
    if (index !== 255 && index >= streams + coupled)
      return `channel ${c} mapped to stream channel ${index} of ${streams + coupled}`;
  }
  return undefined;
}

/** The identification header's output gain as a factor (a Q7.8 number of dB, RFC 7845 section 5.1). */
export function outputGain(head: Uint8Array): number {
  const q78 = new DataView(head.buffer, head.byteOffset, head.byteLength).getInt16(16, true);
  return 10 ** (q78 / 256 / 20);
}

/** npm's Ogg parser follows damaged pages into its own TypeErrors (a page numbered 0 mid-stream is
 *  taken for the identification header, and packets after it come out undefined). */
async function followed<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError)
      throw new DecodeError("its Ogg pages are damaged past what npm's Opus decoder can follow");
    throw err;
  }
}

export async function decodeOpus(
  source: AudioSource,
  sink: PcmSink,
  messages?: CodecMessages,
): Promise<void> {
  const file = await open(source.path, 'r');
  const decoder = new OggOpusDecoder();
  const pages = new OggPageChecker();
  try {
    await decoder.ready;
    const end = (await file.stat()).size;
    const buffer = new Uint8Array(CHUNK);
    let pos = 0;
    let produced = 0;
    let firstError: string | undefined;
    let gain = 1;
    const emit = (out: Decoded): boolean => {
      firstError ??= out.errors[0]?.message;
      if (out.samplesDecoded === 0) return true;
      produced += out.samplesDecoded;
      const n = out.samplesDecoded;
      if (gain !== 1) for (const c of out.channelData) for (let i = 0; i < n; i++) c[i]! *= gain;
      return sink({ sampleRate: out.sampleRate, planes: out.channelData.map((c) => floatToS16(c, n)) });
    };
    while (pos < end) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(CHUNK, end - pos), pos);
      if (bytesRead === 0) break;
      if (pos === 0) {
        const head = Buffer.from(buffer.buffer, 0, bytesRead);
        const at = head.indexOf('OpusHead');
        const problem = at >= 0 && at + 19 <= bytesRead ? opusHeadProblem(head.subarray(at)) : undefined;
        if (problem) throw new DecodeError(`an impossible Opus header: ${problem}`);
        if (at >= 0 && at + 18 <= bytesRead) gain = outputGain(head.subarray(at));
      }
      pos += bytesRead;
      pages.push(buffer.subarray(0, bytesRead));
      // The typings say decode is synchronous; the code is async (and may throw either way).
      if (!emit(await followed(() => decoder.decode(buffer.subarray(0, bytesRead))))) return;
    }
    // The last page's packets come out only on flush.
    if (!emit(await followed(() => decoder.flush()))) return;
    if (produced === 0)
      throw new DecodeError(`cannot decode the audio${firstError ? `: ${firstError}` : ''}`);
  } finally {
    const damaged = pages.message();
    if (damaged) messages?.add(damaged);
    await file.close();
    decoder.free();
  }
}
