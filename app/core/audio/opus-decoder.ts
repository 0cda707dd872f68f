// Ogg Opus through the WebAssembly libopus from npm (ogg-opus-decoder). The file is read in chunks and
// decoding stops as soon as the sink has enough. Pages whose checksum fails are counted in the decode's
// messages (the npm decoder does not check them); what it prints about packets it cannot decode is
// captured there too (decode.ts).
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
    const emit = (out: Decoded): boolean => {
      firstError ??= out.errors[0]?.message;
      if (out.samplesDecoded === 0) return true;
      produced += out.samplesDecoded;
      const n = out.samplesDecoded;
      return sink({ sampleRate: out.sampleRate, planes: out.channelData.map((c) => floatToS16(c, n)) });
    };
    while (pos < end) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(CHUNK, end - pos), pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      pages.push(buffer.subarray(0, bytesRead));
      if (!emit(await decoder.decode(buffer.subarray(0, bytesRead)))) return;
    }
    // The last page's packets come out only on flush.
    if (!emit(await decoder.flush())) return;
    if (produced === 0)
      throw new DecodeError(`cannot decode the audio${firstError ? `: ${firstError}` : ''}`);
  } finally {
    const damaged = pages.message();
    if (damaged) messages?.add(damaged);
    await file.close();
    decoder.free();
  }
}
