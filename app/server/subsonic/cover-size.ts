// Covers at the size a client asks for (getCoverArt's `size`): ffmpeg scales the stored picture to fit
// a square of that side, as a JPEG, at most MAX_RESIZES at once (past that the stored picture is sent as
// it is: a phone scrolling a grid must not start an ffmpeg per tile); the results kept in a small cache
// bounded in bytes, by the picture's hash and the size. A picture of more than MAX_PIXELS (a 12,000 ×
// 12,000 cover of 581 KB decodes to 576 MB) is sent as it is, and one ffmpeg could not scale is not tried
// again.
import { spawn } from 'node:child_process';

/** Largest side a cover is scaled to: a larger size asked is the picture as stored (binary.ts). */
export const MAX_SIDE = 4096;
const MAX_RESIZES = 2;
const DEADLINE_MS = 10_000;
/** Largest picture ffmpeg is asked to write, and the cache's bound. */
const MAX_OUTPUT = 8 * 1024 * 1024;
const CACHE_BYTES = 32 * 1024 * 1024;
/** Largest picture scaled (pixels): 6,000 × 6,000, past any cover a shop sells, about 150 MB decoded. */
export const MAX_PIXELS = 36_000_000;
/** Pictures that could not be scaled, remembered (a bound, not a policy). */
const MAX_FAILED = 10_000;

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
  readonly #failed = new Set<string>();

  /** The picture at `size`, or undefined: send it as stored (too busy, too large to decode — `pixels`,
   *  its width × height as stored, when known —, or it could not be scaled). */
  async resized(hash: string, data: Buffer, size: number, pixels?: number): Promise<Buffer | undefined> {
    if ((pixels !== undefined && pixels > MAX_PIXELS) || this.#failed.has(hash)) return undefined;
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
      else {
        if (this.#failed.size >= MAX_FAILED) this.#failed.clear();
        this.#failed.add(hash);
      }
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
