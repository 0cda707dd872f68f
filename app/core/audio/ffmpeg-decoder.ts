// Anything the WebAssembly decoders do not cover (M4A/AAC/ALAC, WavPack, …) goes through the `ffmpeg`
// command when it is installed: it decodes to 16-bit PCM at the file's own rate and channel count. Its
// stderr is read, never inherited: the reason when it fails, the decode's messages when it gets through.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { CodecMessages } from './codec-messages.ts';
import { type AudioSource, DecodeError, type PcmSink } from './pcm.ts';

export async function decodeWithFfmpeg(
  source: AudioSource,
  maxSeconds: number,
  sink: PcmSink,
  messages?: CodecMessages,
): Promise<void> {
  const { sampleRate, channels } = source;
  if (!sampleRate || !channels) throw new DecodeError('unknown sample rate or channel count');
  // ffmpeg gets the file already open, as its fd 3: a path's bytes that are not valid UTF-8 cannot be an
  // argument (arguments are strings), and the file stays the one looked at even if renamed meanwhile.
  let input: number;
  try {
    input = openSync(source.path, 'r');
  } catch (err) {
    throw new DecodeError(`cannot open it: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const inputName = '/dev/fd/3';
  const child = spawn(
    'ffmpeg',
    [
      '-nostdin',
      '-v',
      'error',
      '-i',
      inputName,
      '-map',
      '0:a:0',
      '-t',
      String(maxSeconds),
      '-f',
      's16le',
      '-',
    ],
    { stdio: ['ignore', 'pipe', 'pipe', input] },
  );
  closeSync(input); // the child has its own copy
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 2000) stderr += d.toString();
  });
  // Settles only on 'close' (which follows a spawn 'error' too), never rejects: a rejection raised while
  // stdout is still being read would count as unhandled.
  let spawnError: Error | undefined;
  child.on('error', (err: NodeJS.ErrnoException) => {
    spawnError ??=
      err.code === 'ENOENT'
        ? new DecodeError(`needs ffmpeg to decode ${source.format} (install ffmpeg and scan again)`)
        : err;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
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
    const code = await exited;
    if (spawnError) throw spawnError;
    const said = new CodecMessages();
    said.add(stderr.replaceAll(`${inputName}: `, ''));
    if (wanted && code !== 0)
      throw new DecodeError(`ffmpeg could not decode it: ${said.summary() ?? `exit ${code}`}`);
    if (produced === 0) throw new DecodeError('no audio samples');
    // Decoded, maybe around damaged frames: what ffmpeg said about them is this decode's to report.
    messages?.add(stderr.replaceAll(`${inputName}: `, ''));
  } finally {
    child.kill();
  }
}
