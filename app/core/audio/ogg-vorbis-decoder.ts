// Ogg Vorbis through Sleeve's own WebAssembly build of stb_vorbis (codecs/ogg.c), pushed a window of
// the file at a time, so only what is decoded is read.
import { open } from 'node:fs/promises';
import { CodecInput, instantiateCodec, pumpFrames, type StreamCodec } from './codec-input.ts';
import { type AudioSource, DecodeError, type PcmSink } from './pcm.ts';

interface OggExports extends StreamCodec {
  /** Bytes the Vorbis headers took, 0 when more are needed, or minus stb_vorbis's error code. */
  open(at: number, len: number): number;
}

/** An Ogg page is at most 64 KiB, and a packet may span pages. */
const LOOKAHEAD = 128 * 1024;

export async function decodeOggVorbis(source: AudioSource, sink: PcmSink): Promise<void> {
  const file = await open(source.path, 'r');
  try {
    const k = instantiateCodec<OggExports>('ogg');
    const input = new CodecInput(file, k, 0, (await file.stat()).size);
    await input.fill(LOOKAHEAD);
    // The headers (cover art included) may be longer than the look-ahead: read on until they fit.
    let used = k.open(input.at, input.len);
    while (used === 0 && !input.eof && (await input.more())) used = k.open(input.at, input.len);
    if (used <= 0)
      throw new DecodeError(
        used === 0
          ? 'the Vorbis headers are truncated (or longer than 16 MiB)'
          : `not a readable Ogg Vorbis stream (stb_vorbis error ${-used})`,
      );
    input.at += used;
    if ((await pumpFrames(k, input, LOOKAHEAD, sink)) === 0)
      throw new DecodeError('no decodable Vorbis audio packets');
  } finally {
    await file.close();
  }
}
