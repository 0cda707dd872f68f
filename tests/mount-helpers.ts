// What the real-mount tests share: hashes, decoded-audio checksums, finding a served file, waiting for
// the daemon to show a change.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tool } from './helpers.ts';

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** MD5 of the PCM FFmpeg decodes from the file's audio stream. */
export const pcmMd5 = (path: string): string =>
  tool('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a', '-f', 'md5', '-']).toString().trim();

/** The first file under `dir` whose name ends with `suffix` ('' when none does). */
export function findServed(dir: string, suffix: string): string {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const found = findServed(path, suffix);
      if (found) return found;
    } else if (e.name.endsWith(suffix)) return path;
  }
  return '';
}

/** Polls `probe` until it gives a value, or fails naming `what` after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
