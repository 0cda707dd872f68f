// Covers at the size a client asks for (getCoverArt's `size`): ffmpeg scales the stored picture to fit
// a square of that side, as a JPEG, at most MAX_RESIZES at once (past that the stored picture is sent as
// it is: a phone scrolling a grid must not start an ffmpeg per tile); the results kept in a small cache
// bounded in bytes, by the picture's hash and the size.
import { spawn } from 'node:child_process';

const MAX_RESIZES = 2;
const DEADLINE_MS = 10_000;
/** Largest picture ffmpeg is asked to write, and the cache's bound. */
const MAX_OUTPUT = 8 * 1024 * 1024;
const CACHE_BYTES = 32 * 1024 * 1024;

/** The picture `data` scaled to fit size×size (JPEG), or undefined when ffmpeg fails or is missing. */
function scaled(data: Buffer, size: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const child = spawn(
      'ffmpeg',
      [
        '-nostdin',
        '-v',
        'error',
        '-i',
        'pipe:0',
        '-vf',
        `scale=${size}:${size}:force_original_aspect_ratio=decrease`,
        '-frames:v',
        '1',
        '-q:v',
        '3',
        '-f',
        'image2',
        '-c:v',
        'mjpeg',
        'pipe:1',
      ],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    const chunks: Buffer[] = [];
    let bytes = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
      if (bytes > MAX_OUTPUT) child.kill('SIGKILL');
      else chunks.push(d);
    });
    child.on('error', () => {}); // no ffmpeg: 'close' follows with no output
    child.stdin.on('error', () => {}); // ffmpeg gone before it read all of it
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 && bytes > 0 && bytes <= MAX_OUTPUT ? Buffer.concat(chunks) : undefined);
    });
    child.stdin.end(data);
  });
}

export class CoverSizes {
  #running = 0;
  #cacheBytes = 0;
  readonly #cache = new Map<string, Buffer>();

  /** The picture at `size`, or undefined: send it as stored (too busy, or it could not be scaled). */
  async resized(hash: string, data: Buffer, size: number): Promise<Buffer | undefined> {
    const key = `${hash}/${size}`;
    const hit = this.#cache.get(key);
    if (hit) {
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit;
    }
    if (this.#running >= MAX_RESIZES) return undefined;
    this.#running++;
    try {
      const out = await scaled(data, size);
      if (out) this.#keep(key, out);
      return out;
    } finally {
      this.#running--;
    }
  }

  #keep(key: string, data: Buffer): void {
    this.#cache.set(key, data);
    this.#cacheBytes += data.length;
    for (const [old, value] of this.#cache) {
      if (this.#cacheBytes <= CACHE_BYTES) break;
      this.#cache.delete(old);
      this.#cacheBytes -= value.length;
    }
  }
}
