// An original read in passes (fuse/original-file.ts): a synchronous reader sees only pages already read;
// a pass that reached others runs again once they are, whatever it made of the failed read.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OriginalFile } from '../../../app/core/served/original-file.ts';
import { FileLanes } from '../../../kit/file-lanes.ts';
import { tempDir } from '../../helpers.ts';

describe('OriginalFile', () => {
  it('runs a pass again until it missed nothing, even one that read around the miss itself', async () => {
    const path = join(tempDir(), 'original.bin');
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) % 251;
    writeFileSync(path, bytes);
    const lanes = new FileLanes(5000);
    const original = await OriginalFile.open(lanes, path, { readHead: true });
    try {
      expect(original.size).toBe(bytes.length);
      // A lenient parser: a read that fails is taken as no bytes.
      const lenient = (at: number) => {
        try {
          return original.read(at, 16);
        } catch {
          return Buffer.alloc(0);
        }
      };
      expect(await original.pass(() => [lenient(10), lenient(200_000), lenient(299_990)])).toEqual([
        bytes.subarray(10, 26),
        bytes.subarray(200_000, 200_016),
        bytes.subarray(299_990),
      ]);
      // Past what the open read of the first page (its first 16 KiB), within it: the page read whole.
      expect(await original.pass(() => [lenient(16_380), lenient(60_000)])).toEqual([
        bytes.subarray(16_380, 16_396),
        bytes.subarray(60_000, 60_016),
      ]);
      // Outside a pass nothing is read: a miss there could not be made good.
      expect(() => original.read(0, 4)).toThrow(`${path} read outside a pass`);
    } finally {
      original.close();
      lanes.close();
    }
  });
});
