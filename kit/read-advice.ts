// Advice to the kernel on how a file will be read (native/read_advice.c: posix_fadvise, which Node lacks),
// for files read in a few places rather than streamed: a scan's probes (file-window.ts) and a file lane's
// opens of an original whose header is built from it (file-lanes.ts). A scan probes each file: its head
// (16 KiB) and its end. Without advice the kernel reads
// ahead of a first read at offset 0 (four times it: 64 KiB) and of reads that follow one another, so a
// scan of 3-minute albums took 86 KiB a file from disk, where it reads 32 KiB; with RANDOM, 38 KiB, in
// the same time within this VM's spread (BENCHMARKS.md, scan).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const READ_ADVICE_ADDON_FILE = fileURLToPath(
  new URL('native/build/sleeve_read_advice.node', import.meta.url),
);

interface ReadAdviceAddon {
  adviseRandom(fd: number): boolean;
}

/** The addon, or null where it is not built (no C compiler, a system without posix_fadvise). */
const addon = load();

function load(): ReadAdviceAddon | null {
  if (!existsSync(READ_ADVICE_ADDON_FILE)) return null;
  try {
    return createRequire(import.meta.url)(READ_ADVICE_ADDON_FILE) as ReadAdviceAddon;
  } catch {
    return null;
  }
}

/** Asks the kernel to read only what each read of `fd` asks for: a probe, not a stream. Advice: without
 *  the addon (or if the kernel declines) reads work as before and bring their readahead; whether taken. */
export function adviseProbes(fd: number): boolean {
  return addon?.adviseRandom(fd) ?? false;
}
