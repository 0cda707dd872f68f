// npm run bench -- media [--seconds N]
// The player's streams: how soon the first bytes come and how much CPU a stream costs, for files served as
// they are and for the formats the backend transcodes, in the same run. Sources: N seconds (default 120)
// of synthesized music as FLAC (played as it is), ALAC, AIFF, WavPack and Musepack (tests/fixtures/
// transcodable.ts). For each transcoded source, FLAC (what the backend writes) against WAV for a lossless
// source and Opus 192k for a lossy one:
//   - ffmpeg's own start-up (`ffmpeg -version` until it exits), the floor of every first byte;
//   - first bytes: ffmpeg started until its first chunk, from the start and from the middle (a seek), p50 of 7;
//   - CPU: ffmpeg's user+system time for the whole file, drained as fast as it comes, as a share of one core
//     during playback (CPU seconds / audio seconds), and the bytes per second of audio sent.
// Then the same over HTTP (`/media/:id`, `?start=`) on a backend scanned over the sources: request sent
// until the first body byte, p50 of 7, with the file served as it is for comparison.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Ffmpeg } from '../app/core/audio/ffmpeg.ts';
import { FLAC, firstBytes, type Output, type Started, transcode } from '../app/server/transcode.ts';
import { startBackend } from '../tests/fixtures/backend.ts';
import { makeTranscodable } from '../tests/fixtures/transcodable.ts';
import { cpuSecondsOf, loadMeter, loadText, machine, percentile, scanTagsOnly } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

const RUNS = 7;

/** The backend's output, and the alternatives it was measured against. */
const OUTPUTS: Record<string, Output> = {
  flac: FLAC,
  wav: { mime: 'audio/wav', args: ['-c:a', 'pcm_s16le', '-f', 'wav'] },
  opus: { mime: 'audio/ogg', args: ['-c:a', 'libopus', '-b:a', '192k', '-f', 'ogg'] },
};

const childCpuSeconds = () => cpuSecondsOf('self').children;

const p50 = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** ffmpeg on the file, as the backend starts it, and its first bytes (no deadline: nothing stalls here). */
async function startTranscode(
  file: string,
  startS: number,
  output: Output,
): Promise<{ ffmpeg: Ffmpeg; started: Extract<Started, { ok: true }> }> {
  const input = openSync(file, 'r');
  try {
    const ffmpeg = transcode(input, startS, output);
    const started = await firstBytes(ffmpeg, 60_000);
    if (!started.ok) throw new Error(`${file} → ${output.mime}: ${started.detail}`);
    return { ffmpeg, started };
  } finally {
    closeSync(input);
  }
}

/** ffmpeg started until its first chunk, in ms (ffmpeg killed then). */
async function firstBytesMs(file: string, startS: number, output: Output): Promise<number> {
  const t0 = performance.now();
  const { ffmpeg } = await startTranscode(file, startS, output);
  const ms = performance.now() - t0;
  ffmpeg.stop();
  await ffmpeg.exited;
  return ms;
}

/** `ffmpeg -version` started until it exits, in ms: the start-up every transcode pays first. */
function ffmpegStartupMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('ffmpeg', ['-version'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - t0));
  });
}

/** The whole file transcoded, drained as fast as it comes: ffmpeg's CPU seconds and the bytes written. */
async function wholeTranscode(file: string, output: Output): Promise<{ cpu: number; bytes: number }> {
  const cpu0 = childCpuSeconds();
  const { ffmpeg, started } = await startTranscode(file, 0, output);
  let bytes = started.first.length;
  for (let n = await started.rest.next(); !n.done; n = await started.rest.next()) bytes += n.value.length;
  await ffmpeg.exited;
  return { cpu: childCpuSeconds() - cpu0, bytes };
}

/** GET until the first body byte, in ms; the request is closed then (as a seek closes it). */
function httpFirstByteMs(
  port: number,
  path: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      { host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${token}`, ...headers } },
      (res) => {
        if (res.statusCode !== 200 && res.statusCode !== 206)
          reject(new Error(`${path}: HTTP ${res.statusCode}`));
        res.once('data', () => {
          resolve(performance.now() - t0);
          req.destroy();
        });
      },
    );
    req.on('error', (err) => (err.message === 'socket hang up' ? undefined : reject(err)));
    req.end();
  });
}

export async function main(args: string[]): Promise<void> {
  const secondsArg = args.indexOf('--seconds');
  const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 120;
  console.log(
    `machine: ${machine()}; ffmpeg ${execFileSync('ffmpeg', ['-version']).toString().split(' ')[2]}`,
  );
  const music = join(benchTempDir('sleeve-bench-media-'), 'music');
  const files = makeTranscodable(music, seconds);
  console.log(`sources: ${seconds} s of synthesized music, 44.1 kHz 16-bit stereo, in each format`);

  console.log(
    '\nffmpeg directly: first bytes from 0 s / from the middle (p50 of 7); CPU of one core while playing; bytes per second',
  );
  const load = loadMeter();
  const startups: number[] = [];
  for (let i = 0; i < RUNS; i++) startups.push(await ffmpegStartupMs());
  console.log(`  ffmpeg -version alone (loading ffmpeg and its libraries): ${p50(startups).toFixed(1)} ms`);
  const sources = [
    ['ALAC', files.alac, ['flac', 'wav']],
    ['AIFF', files.aiff, ['flac', 'wav']],
    ['WavPack', files.wavpack, ['flac', 'wav']],
    ['Musepack', files.musepack, ['flac', 'opus']],
  ] as const;
  for (const [name, file, outputs] of sources) {
    for (const output of outputs) {
      const fromStart: number[] = [];
      const fromMiddle: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        fromStart.push(await firstBytesMs(file, 0, OUTPUTS[output]!));
        fromMiddle.push(await firstBytesMs(file, seconds / 2, OUTPUTS[output]!));
      }
      const whole = await wholeTranscode(file, OUTPUTS[output]!);
      console.log(
        `  ${name.padEnd(9)} → ${output.padEnd(5)} first bytes ${p50(fromStart).toFixed(1)} / ${p50(fromMiddle).toFixed(1)} ms · ` +
          `CPU ${((whole.cpu / seconds) * 100).toFixed(2)} % (${whole.cpu.toFixed(2)} s for ${seconds} s) · ` +
          `${(whole.bytes / seconds / 1024).toFixed(0)} KiB/s (${OUTPUTS[output]!.mime})`,
      );
    }
  }
  console.log(`  (${loadText(load())})`);

  const home = join(benchTempDir('sleeve-bench-media-home-'), 'home');
  scanTagsOnly(home, music);
  const backend = await startBackend(home, benchTempDir('sleeve-bench-media-page-'), { watchMs: 1000 });
  try {
    const ids = new Map(
      (backend.db.prepare('SELECT id, path FROM files').all() as Array<{ id: number; path: string }>).map(
        (r) => [r.path, r.id],
      ),
    );
    console.log(
      '\nover HTTP (/media/:id): request until the first body byte, p50 of 7, from 0 s / from the middle' +
        ' (a byte range as it is, ?start= transcoded)',
    );
    const { port, token } = backend.server;
    const flac = `/media/${ids.get(files.flac)}`;
    const middleByte = Math.floor(statSync(files.flac).size / 2);
    const served: Array<[string, string, () => Promise<number>]> = [
      ['FLAC, as it is', flac, () => httpFirstByteMs(port, flac, token, { Range: `bytes=${middleByte}-` })],
      ...sources.map(([name, file]): [string, string, () => Promise<number>] => {
        const path = `/media/${ids.get(file)}`;
        return [`${name} → FLAC`, path, () => httpFirstByteMs(port, `${path}?start=${seconds / 2}`, token)];
      }),
    ];
    const httpLoad = loadMeter();
    for (const [label, path, middle] of served) {
      const fromStart: number[] = [];
      const fromMiddle: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        fromStart.push(await httpFirstByteMs(port, path, token));
        fromMiddle.push(await middle());
      }
      console.log(`  ${label.padEnd(20)} ${p50(fromStart).toFixed(1)} / ${p50(fromMiddle).toFixed(1)} ms`);
    }
    console.log(`  (${loadText(httpLoad())})`);
  } finally {
    await backend.close();
  }
}
