// MPEG audio through Sleeve's own WebAssembly build of minimp3 (codecs/mp3.c), a frame at a time over the
// file's audio byte range (no ID3v2 before it, no ID3v1/APE after), with FFmpeg's gapless start.
import { open } from 'node:fs/promises';
import { type CodecExports, CodecInput, decodedBlock, instantiateCodec } from './codec-input.ts';
import { type AudioSource, DecodeError, type PcmSink } from './pcm.ts';

interface Mp3Exports extends CodecExports {
  reset(): void;
  /** Bytes consumed (junk before the frame included); 0 when no whole frame is in the window. */
  decode_frame(at: number, len: number): number;
}

/** minimp3 checks a frame against the ones after it before trusting it: keep several in the window. */
const LOOKAHEAD = 32 * 1024;

export async function decodeMp3(source: AudioSource, sink: PcmSink): Promise<void> {
  const file = await open(source.path, 'r');
  try {
    const k = instantiateCodec<Mp3Exports>('mp3');
    k.reset();
    const end = source.audioEnd ?? (await file.stat()).size;
    const input = new CodecInput(file, k, source.audioStart ?? 0, end);
    let produced = 0;
    for (;;) {
      if (input.ahead < LOOKAHEAD && !input.eof && (await input.more())) continue;
      const consumed = k.decode_frame(input.at, input.len);
      if (consumed === 0) break; // no whole frame left
      input.at += consumed;
      const block = decodedBlock(k);
      if (!block) continue;
      produced += block.planes[0]!.length;
      if (!sink(block)) return;
    }
    if (produced === 0) throw new DecodeError('no decodable MPEG audio frames');
  } finally {
    await file.close();
  }
}
