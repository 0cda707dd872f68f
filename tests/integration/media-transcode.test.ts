// /media/:id for formats the browser cannot play: transcoded by Debian's ffmpeg as they stream, from
// `?start=`, ffmpeg stopped when the client goes away (before its first byte too) and bounded in number,
// each process counted until it has exited; a hung one killed past its deadline; and each failure named
// for its cause. Files the browser plays keep their byte ranges.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  closeSync,
  constants,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAC, firstBytes, MAX_TRANSCODES, TranscodeSlots } from '../../app/server/transcode.ts';
import { processAlive } from '../../kit/process-alive.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { makeWav } from '../fixtures/library.ts';
import { makeTranscodable, type Transcodable } from '../fixtures/transcodable.ts';
import { sleeveHere, tempDir } from '../helpers.ts';

const SECONDS = 8;
/** Bytes per second of the sources' audio decoded to 16-bit stereo. */
const PCM_RATE = 44100 * 4;

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

describe('transcoded media', () => {
  let music: string;
  let files: Transcodable;
  let longAiff: string;
  let backend: TestBackend;
  const ids = new Map<string, number>();

  const open = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<{ res: IncomingMessage; close(): void }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: backend.server.port,
          path,
          method,
          headers: { Authorization: `Bearer ${backend.server.token}`, ...headers },
        },
        (res) => resolve({ res, close: () => req.destroy() }),
      );
      req.on('error', reject);
      req.end();
    });
  const get = async (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> => {
    const { res } = await open(path, headers, method);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) };
  };
  const media = (file: string, query = '') => `/media/${ids.get(file)}${query}`;

  /** What ffprobe says the stream holds, and its length decoded by ffmpeg. */
  const probe = (body: Buffer) => {
    const path = join(tempDir(), 'stream');
    writeFileSync(path, body);
    const stream = JSON.parse(
      execFileSync('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'stream=codec_name,sample_rate,channels',
        '-of',
        'json',
        path,
      ]).toString(),
    ).streams[0] as { codec_name: string; sample_rate: string; channels: number };
    const pcm = execFileSync(
      'ffmpeg',
      ['-v', 'error', '-i', path, '-f', 's16le', '-ac', '2', '-ar', '44100', '-'],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { ...stream, seconds: pcm.length / PCM_RATE };
  };

  /** ffmpeg processes this process started (the in-process backend's) reading `path` as their input:
   *  other test files in this process start ffmpeg too, on their own files. */
  const ffmpegOn = (path: string) =>
    readdirSync('/proc').filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (!stat.includes('(ffmpeg)') || Number(fields[1]) !== process.pid || fields[0] === 'Z')
          return false;
        return readlinkSync(`/proc/${pid}/fd/3`) === path; // its input (app/core/audio/ffmpeg.ts)
      } catch {
        return false; // exited meanwhile
      }
    });

  /** What this process's descriptors name (a file's path, `pipe:[…]`). */
  const openFiles = () =>
    readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/self/fd/${fd}`)];
      } catch {
        return []; // the listing's own descriptor, closed meanwhile
      }
    });

  beforeAll(async () => {
    music = join(tempDir(), 'music');
    files = makeTranscodable(music, SECONDS);
    // Long enough that ffmpeg is still writing when the client goes away.
    longAiff = join(music, 'long.aiff');
    makeWav(longAiff, 440, 300);
    writeFileSync(join(music, 'broken.wv'), 'wvpk but nothing else');
    const home = join(tempDir(), 'home');
    expect(
      sleeveHere(home, ['scan', music, '--no-fingerprint', '--no-embeddings', '--no-loudness']).status,
    ).toBe(0);
    backend = await startBackend(home, tempDir(), { watchMs: 1000 });
    for (const r of backend.db.prepare('SELECT id, path FROM files').all() as Array<{
      id: number;
      path: string;
    }>)
      ids.set(r.path, r.id);
  });

  afterAll(async () => {
    await backend?.close();
  });

  it('serves a file the browser plays as the mount serves it (the original audio), with byte ranges', async () => {
    const original = readFileSync(files.flac);
    const whole = (await get(media(files.flac))).body;
    // The library's header, then the original's audio frames untouched.
    expect(whole.subarray(0, 4).toString()).toBe('fLaC');
    expect(whole.subarray(-4096).equals(original.subarray(-4096))).toBe(true);
    const part = await get(media(files.flac), { Range: 'bytes=10-99' });
    expect(part.status).toBe(206);
    expect(part.headers['content-type']).toBe('audio/flac');
    expect(part.headers['content-range']).toBe(`bytes 10-99/${whole.length}`);
    expect(part.body.equals(whole.subarray(10, 100))).toBe(true);
  });

  it.each([
    ['ALAC', 'alac'],
    ['AIFF', 'aiff'],
    ['WavPack', 'wavpack'],
    ['Musepack', 'musepack'],
  ] as const)('streams %s transcoded to FLAC, the whole track', async (_name, key) => {
    const reply = await get(media(files[key]));
    expect(reply.status).toBe(200);
    expect(reply.headers['accept-ranges']).toBeUndefined();
    expect(reply.headers['content-length']).toBeUndefined();
    const stream = probe(reply.body);
    expect(stream).toMatchObject({ codec_name: 'flac', sample_rate: '44100', channels: 2 });
    expect(stream.seconds).toBeCloseTo(SECONDS, 1);
  });

  it('starts a transcoded stream at ?start= seconds', async () => {
    const reply = await get(media(files.alac, '?start=5.5'));
    expect(reply.status).toBe(200);
    expect(probe(reply.body).seconds).toBeCloseTo(SECONDS - 5.5, 1);
    expect((await get(media(files.alac, '?start=soon'))).status).toBe(400);
  });

  it('answers HEAD for a transcoded stream with its type, without a body', async () => {
    const head = await get(media(files.wavpack), {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('audio/flac');
    expect(head.body.length).toBe(0);
    await expect.poll(() => ffmpegOn(longAiff)).toEqual([]); // started to learn that it would start, then stopped
  });

  it('stops ffmpeg when the client goes away, leaving no pipe or file open', async () => {
    const channels = () =>
      new Set(openFiles().filter((f) => f.startsWith('pipe:') || f.startsWith('socket:')));
    // The file lane's thread (kit/file-lanes.ts) started first: its pipes stay.
    expect((await get(media(files.flac), {}, 'HEAD')).status).toBe(200);
    const before = channels();
    const { res, close } = await open(media(longAiff));
    expect(res.statusCode).toBe(200);
    await new Promise((resolve) => res.once('data', resolve));
    expect(ffmpegOn(longAiff)).toHaveLength(1);
    // The pipes and sockets opened for the stream, ffmpeg's output and the client's connection among them
    // (by identity: a kept thread elsewhere in the process may end meanwhile and close its own).
    const streaming = [...channels()].filter((p) => !before.has(p));
    expect(streaming.length).toBeGreaterThan(0);
    close();
    await expect.poll(() => ffmpegOn(longAiff)).toEqual([]);
    await expect.poll(() => streaming.filter((p) => channels().has(p))).toEqual([]);
    await expect.poll(() => openFiles().filter((f) => f === longAiff)).toEqual([]);
  });

  it(`transcodes at most ${MAX_TRANSCODES} streams at once, and says so`, async () => {
    const streams = await Promise.all(Array.from({ length: MAX_TRANSCODES }, () => open(media(longAiff))));
    expect(streams.map((s) => s.res.statusCode)).toEqual(Array(MAX_TRANSCODES).fill(200));
    const refused = await get(media(files.alac));
    expect(refused.status).toBe(503);
    expect(refused.body.toString()).toMatch(/already transcoding 4 streams/);
    for (const s of streams) s.close();
    await expect.poll(async () => (await get(media(files.alac), {}, 'HEAD')).status).toBe(200);
    await expect.poll(() => ffmpegOn(longAiff)).toEqual([]);
  });

  it('holds the cap when 30 clients leave before the first byte: each ffmpeg killed, counted until it exits', async () => {
    // The ffmpeg processes this process starts, seen as child_process makes them, apart from the
    // transcoder's own count: live from the spawn until their exit.
    const live = new Set<ChildProcess>();
    const pids: number[] = [];
    let peak = 0;
    let spawned: () => void = () => {};
    const seen = (message: unknown) => {
      const child = (message as { process: ChildProcess }).process;
      live.add(child); // before it runs: a peak counted early is never lower
      process.nextTick(() => {
        if (child.spawnfile !== 'ffmpeg') return void live.delete(child);
        peak = Math.max(peak, live.size);
        if (child.pid) pids.push(child.pid);
        child.once('exit', () => live.delete(child));
        spawned();
      });
    };
    subscribe('child_process', seen);
    try {
      const outcomes: Array<number | 'spawned'> = [];
      for (let i = 0; i < 30; i++) {
        const req = request({
          host: '127.0.0.1',
          port: backend.server.port,
          path: media(longAiff),
          headers: { Authorization: `Bearer ${backend.server.token}` },
        });
        req.on('error', () => {}); // it is destroyed below
        const outcome = new Promise<number | 'spawned'>((resolve) => {
          spawned = () => resolve('spawned');
          req.on('response', (res) => resolve(res.statusCode!));
        });
        req.end();
        outcomes.push(await outcome);
        req.destroy(); // gone: its ffmpeg has not written a byte yet
      }
      // Each client either started an ffmpeg or was told the transcodes were all taken.
      expect(outcomes.filter((o) => o !== 'spawned' && o !== 503)).toEqual([]);
      expect(outcomes.filter((o) => o === 'spawned').length).toBeGreaterThanOrEqual(MAX_TRANSCODES);
      await expect.poll(() => live.size).toBe(0);
      expect(peak).toBeLessThanOrEqual(MAX_TRANSCODES);
      expect(pids.filter(processAlive)).toEqual([]);
      expect((await get(media(files.alac), {}, 'HEAD')).status).toBe(200);
    } finally {
      unsubscribe('child_process', seen);
    }
  });

  it('kills ffmpeg on a hung input past the deadline, before its first byte and mid-stream', async () => {
    // A hung input: a FIFO that its writer keeps open and stops writing to (a stalled share's read hangs
    // the same way; its own test is media-stalled-share.test.ts).
    const dir = tempDir();
    const fifo = join(dir, 'hung');
    execFileSync('mkfifo', [fifo]);
    const input = openSync(fifo, constants.O_RDWR); // a writer that never writes: reads wait, never end
    const slots = new TranscodeSlots(1, 1500);
    try {
      const silent = slots.start(input, 0, FLAC)!;
      expect(slots.start(input, 0, FLAC)).toBeUndefined(); // its slot is held while it runs
      expect(await firstBytes(silent, slots.stallMs)).toEqual({
        ok: false,
        cause: 'stalled',
        detail: 'no audio came out within 1.5 s',
      });
      expect(await silent.exited).toBeNull();
      expect(silent.child.signalCode).toBe('SIGKILL');
      expect(slots.running).toBe(0);

      // Two seconds of audio come, then nothing: the stream fails once ffmpeg has written nothing for
      // the deadline while it was read.
      const wav = join(dir, 'two.wav');
      makeWav(wav, 440, 2);
      const streaming = slots.start(input, 0, FLAC)!;
      // Fed while ffmpeg reads it (the FIFO holds 64 KiB): cat ends once ffmpeg has taken it all.
      const feeding = spawn('sh', ['-c', `exec cat "${wav}" > "${fifo}"`], { stdio: 'ignore' });
      const fed = new Promise((resolve) => feeding.on('exit', resolve));
      const started = await firstBytes(streaming, slots.stallMs);
      if (!started.ok) throw new Error(started.detail);
      const rest = { [Symbol.asyncIterator]: () => started.rest };
      await expect(
        (async () => {
          for await (const _ of rest);
        })(),
      ).rejects.toThrow('ffmpeg wrote nothing for 1.5 s');
      expect(await fed).toBe(0);
      expect(await streaming.exited).toBeNull();
      expect(slots.running).toBe(0);
    } finally {
      closeSync(input);
    }
  });

  it('names each cause of failure: missing, unreadable when scanned, no ffmpeg, ffmpeg failed', async () => {
    const scanned = backend.db.prepare("SELECT id, error FROM files WHERE status = 'error'").get() as {
      id: number;
      error: string;
    };
    const unreadable = await get(`/media/${scanned.id}`);
    expect(unreadable.status).toBe(404);
    expect(unreadable.body.toString()).toBe(
      `the file could not be read when it was scanned: ${scanned.error}\n`,
    );

    const path = process.env.PATH;
    process.env.PATH = tempDir(); // an empty folder: no ffmpeg on it
    try {
      const noFfmpeg = await get(media(files.aiff));
      expect(noFfmpeg.status).toBe(503);
      expect(noFfmpeg.body.toString()).toMatch(/cannot play aiff files and ffmpeg.*is not installed/);
    } finally {
      process.env.PATH = path;
    }

    // Damaged after it was scanned: ffmpeg's own reason comes back.
    truncateSync(files.wavpack, 64);
    const failed = await get(media(files.wavpack));
    expect(failed.status).toBe(500);
    expect(failed.body.toString()).toMatch(/^ffmpeg could not convert this wavpack file for the browser: ./);

    // A FIFO in a file's place is not waited on (for a writer that never comes): it is no file.
    rmSync(files.musepack);
    execFileSync('mkfifo', [files.musepack]);
    const fifo = await get(media(files.musepack));
    expect(fifo.status).toBe(404);
    expect(fifo.body.toString()).toBe(`the file is missing: ${files.musepack}\n`);

    renameSync(files.alac, `${files.alac}.gone`);
    const missing = await get(media(files.alac));
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toBe(`the file is missing: ${files.alac}\n`);
  });
});
