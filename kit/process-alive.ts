// Whether a process still runs, for the records that name their writer's pid (a daemon's save journal,
// a mount's registry entry, an edit still being written), when it started, and who it is.
import { existsSync, readFileSync } from 'node:fs';

/** Process `pid`'s /proc/PID/stat fields from the third on (field 2, its command, may hold spaces). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Whether process `pid` runs: on Linux a killed process nobody reaped yet (a zombie) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    return !/^[ZX]/.test(statFields(pid)[0] ?? '');
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
let boot: { readonly ms: number; readonly id: string } | undefined;

/** When process `pid` started, in clock ticks since the boot (field 22); undefined where /proc does not
 *  say (the process gone, another system). */
function startTicks(pid: number): number | undefined {
  try {
    const ticks = Number(statFields(pid)[19]);
    boot ??= {
      ms: Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))?.[1]) * 1000,
      id: readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim(),
    };
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** When process `pid` started (epoch ms, up to a second early: the boot time is in whole seconds). */
export function processStartedAt(pid: number): number | undefined {
  const ticks = startTicks(pid);
  return ticks !== undefined && boot && boot.ms > 0 ? boot.ms + (ticks * 1000) / TICKS_A_SECOND : undefined;
}

/** Process `pid` as no other process of any boot is, "boot:pid@ticks" (a pid is given again; the boot time
 *  in epoch ms moves when the clock is stepped, ticks since the boot do not). */
export function processIdentity(pid: number): string | undefined {
  const ticks = startTicks(pid);
  return ticks !== undefined && boot ? `${boot.id}:${pid}@${ticks}` : undefined;
}
