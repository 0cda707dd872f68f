// Anything the WebAssembly decoders do not cover (M4A/AAC/ALAC, WavPack, …) goes through the `ffmpeg`
// command when it is installed (ffmpeg.ts): it decodes to 16-bit PCM at the file's own rate and channel
// count.
import type { CodecMessages } from './codec-messages.ts';
import { ffmpegReason, runFfmpeg } from './ffmpeg.ts';
import { type AudioSource, DecodeError, type PcmSink } from './pcm.ts';

export async function decodeWithFfmpeg(
  source: AudioSource,
  maxSeconds: number,
  sink: PcmSink,
  messages?: CodecMessages,
): Promise<void> {
  const { sampleRate, channels } = source;
  if (!sampleRate || !channels) throw new DecodeError('unknown sample rate or channel count');
  let ffmpeg: ReturnType<typeof runFfmpeg>;
  try {
    const limit = Number.isFinite(maxSeconds) ? ['-t', String(maxSeconds)] : [];
    ffmpeg = runFfmpeg(source.path, [], ['-map', '0:a:0', ...limit, '-f', 's16le', '-']);
  } catch (err) {
    throw new DecodeError(`cannot open it: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const { child } = ffmpeg;
  const frameBytes = 2 * channels;
  let carry = Buffer.alloc(0);
  let produced = 0;
  let wanted = true;
  try {
    for await (const data of child.stdout! as AsyncIterable<Buffer>) {
      if (!wanted) continue;
      const bytes = carry.length ? Buffer.concat([carry, data]) : data;
      const frames = Math.floor(bytes.length / frameBytes);
      carry = Buffer.from(bytes.subarray(frames * frameBytes));
      if (frames === 0) continue;
      const planes = Array.from({ length: channels }, () => new Int16Array(frames));
      for (let i = 0; i < frames; i++)
        for (let c = 0; c < channels; c++) planes[c]![i] = bytes.readInt16LE((i * channels + c) * 2);
      produced += frames;
      wanted = sink({ sampleRate, planes });
      if (!wanted) child.kill();
    }
    const code = await ffmpeg.exited;
    if (code === 'not installed')
      throw new DecodeError(`needs ffmpeg to decode ${source.format} (install ffmpeg and scan again)`);
    if (wanted && code !== 0)
      throw new DecodeError(`ffmpeg could not decode it: ${ffmpegReason(ffmpeg, code)}`);
    if (produced === 0) throw new DecodeError('no audio samples');
    // Decoded, maybe around damaged frames: what ffmpeg said about them is this decode's to report.
    messages?.add(ffmpeg.said());
  } finally {
    child.kill();
  }
}
