// Settings glibc and Node read only as a process starts, for the commands that need other than the
// defaults: the process re-executes itself with them (process.execve keeps the pid). Where there is no
// execve, or the setting is already there, the command runs as it is.

/**
 * A long-running server churns through many medium-sized buffers. Under glibc's dynamic mmap threshold the
 * freed ones stay in per-thread malloc arenas (measured: ~0.5 KB per indexed document at 1M documents); a
 * fixed threshold returns them to the system.
 */
export function reexecWithSteadyMalloc(): void {
  if (process.platform !== 'linux' || process.env.MALLOC_MMAP_THRESHOLD_ !== undefined) return;
  reexec([], { MALLOC_MMAP_THRESHOLD_: '131072' });
}

function reexec(flags: readonly string[], env: Readonly<Record<string, string>>): void {
  process.execve?.(
    process.execPath,
    [process.execPath, ...process.execArgv, ...flags, ...process.argv.slice(1)],
    { ...process.env, ...env },
  );
}
