// MPEG audio through Sleeve's own WebAssembly build of minimp3 (codecs/mp3.c), a frame at a time over the
// file's audio byte range (no ID3v2 before it, no ID3v1/APE after), with FFmpeg's gapless start.
import { open } from 'node:fs/promises';
import { CodecInput, instantiateCodec, pumpFrames, type StreamCodec } from './codec-input.ts';
import { type AudioSource, DecodeError, type PcmSink } from './pcm.ts';

/** minimp3 checks a frame against the ones after it before trusting it: keep several in the window. */
const LOOKAHEAD = 32 * 1024;

export async function decodeMp3(source: AudioSource, sink: PcmSink): Promise<void> {
  const file = await open(source.path, 'r');
  try {
    // A fresh instance starts zeroed, which is minimp3's initial state (mp3dec_init only clears it).
    // decode_frame's bytes consumed include junk skipped before a frame.
    const k = instantiateCodec<StreamCodec>('mp3');
    const end = source.audioEnd ?? (await file.stat()).size;
    const input = new CodecInput(file, k, source.audioStart ?? 0, end);
    if ((await pumpFrames(k, input, LOOKAHEAD, sink)) === 0)
      throw new DecodeError('no decodable MPEG audio frames');
  } finally {
    await file.close();
  }
}
