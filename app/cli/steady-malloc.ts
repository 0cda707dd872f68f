// A long-running server churns through many medium-sized buffers. Under glibc's dynamic mmap threshold the
// freed ones stay in per-thread malloc arenas (measured: ~0.5 KB per indexed document at 1M documents); a
// fixed threshold returns them to the system. glibc reads it at start-up, so the process re-executes itself
// with it (process.execve keeps the pid). Elsewhere, or when already set, this does nothing.

const MMAP_THRESHOLD = '131072';

export function reexecWithSteadyMalloc(): void {
  if (process.platform !== 'linux' || process.env.MALLOC_MMAP_THRESHOLD_ !== undefined) return;
  process.execve?.(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    ...process.env,
    MALLOC_MMAP_THRESHOLD_: MMAP_THRESHOLD,
  });
}
