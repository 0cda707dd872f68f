// Settings glibc and Node read only as a process starts, for the commands that need other than the
// defaults: the process re-executes itself with them (process.execve keeps the pid). Where there is no
// execve, or the setting is already there (the `sleeve` command's own line starts Node with the scan's
// flags), the command runs as it is.

import { SCAN_FLAGS } from '../../kit/scan-flags.ts';

const SEMI_SPACE = '--max-semi-space-size';

/**
 * A long-running server churns through many medium-sized buffers. Under glibc's dynamic mmap threshold the
 * freed ones stay in per-thread malloc arenas (measured: ~0.5 KB per indexed document at 1M documents); a
 * fixed threshold returns them to the system. Its HTTP thread parses update bodies of a thousand
 * documents, for which V8 grows the young generation to 64 MiB per semi-space and keeps it for the
 * server's life (measured: 128 MiB of the server's 410 MiB after 200k documents); 16 MiB is no slower.
 * --expose-gc: the engine frees merged-away segments and its pooled pages (engine-host.ts).
 */
export function reexecForIndexServer(): void {
  const flags = [
    ...(hasFlag(SEMI_SPACE) ? [] : [`${SEMI_SPACE}=16`]),
    ...(hasFlag('--expose-gc') ? [] : ['--expose-gc']),
  ];
  const env = steadyMalloc();
  if (flags.length > 0 || env) reexec(flags, env ?? {});
}

/** The allocator setting alone; the benchmarks use it so in-process figures match. */
export function reexecWithSteadyMalloc(): void {
  const env = steadyMalloc();
  if (env) reexec([], env);
}

/** glibc's fixed mmap threshold, unless it is set already (or there is no glibc to read it). */
function steadyMalloc(): Record<string, string> | undefined {
  if (process.platform !== 'linux' || process.env.MALLOC_MMAP_THRESHOLD_ !== undefined) return undefined;
  return { MALLOC_MMAP_THRESHOLD_: '131072' };
}

/**
 * A scan's main thread builds rows of the whole library in bursts (the known files, the tags read), for
 * which V8 grows its young generation up to 64 MiB per semi-space; it then stays resident to the end,
 * through the analysis (measured at 100,000 files: 64–111 MB, for peaks of 280–344 MB); 16 MiB is no
 * slower. --expose-gc: the pipeline collects the rows before the analysis (pipeline.ts).
 */
export function reexecForScan(): void {
  if (hasFlag(SEMI_SPACE)) return;
  reexec(SCAN_FLAGS, {});
}

function hasFlag(flag: string): boolean {
  return (
    process.execArgv.some((a) => a.startsWith(flag)) || (process.env.NODE_OPTIONS?.includes(flag) ?? false)
  );
}

function reexec(flags: readonly string[], env: Readonly<Record<string, string>>): void {
  // Never Electron's binary: given a script it starts the app, not Node (the desktop shell starts its
  // backend with the flags already: main/main.ts).
  if (process.versions.electron) return;
  process.execve?.(
    process.execPath,
    [process.execPath, ...process.execArgv, ...flags, ...process.argv.slice(1)],
    { ...process.env, ...env },
  );
}
