// Whether a process still runs, for the records that name their writer's pid (a daemon's save journal,
// a mount's registry entry, an edit still being written), and when it started.
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

/** Clock ticks a second in /proc's times (Linux's USER_HZ: 100 on every architecture Node runs on). */
const TICKS_A_SECOND = 100;
let bootMs: number | undefined;

/** When process `pid` started (epoch ms, up to a second early: the boot time is in whole seconds), or
 *  undefined where /proc does not say (the process gone, another system). */
export function processStartedAt(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Field 22, counted after the command's closing parenthesis (field 2 may hold spaces).
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    bootMs ??= Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))?.[1]) * 1000;
    return Number.isFinite(ticks) && bootMs > 0 ? bootMs + (ticks * 1000) / TICKS_A_SECOND : undefined;
  } catch {
    return undefined;
  }
}
