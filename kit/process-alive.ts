// Whether a process still runs, for the records that name their writer's pid (a daemon's save journal,
// a mount's registry entry, an edit still being written).
import { existsSync, readFileSync } from 'node:fs';

/** Whether process `pid` runs: on Linux a killed process nobody reaped yet (a zombie) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self')) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
