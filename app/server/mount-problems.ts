// What a mount's daemon reports as a problem (a save refused: a damaged tag, a value no field takes; an
// EIO), told to the app as it comes. A tagger learns of a refused save only from close()'s error, which
// metaflac and kid3-cli ignore: without this the user would believe their edit saved. The backend looks
// at each mount's report (written by its daemon at most four times a second) once a second.
import { listMounts, mountReportTime, readMountReport } from '../core/mounts/mount-registry.ts';

/** A problem as the report words it: its time, then the line ("EIO /…: write rejected, nothing changed: …"),
 *  and when it repeated, how often since when. */
const STAMPED = /^\S+ (.*?)(?: \(\d+ times since \S+\))?$/;

export interface MountProblem {
  readonly mountpoint: string;
  /** The daemon's line, without its time. */
  readonly problem: string;
}

/** The same problem (a stalled share's EIO on every read) is told again at most this often. */
const RETOLD_AFTER_MS = 60_000;

export class MountProblems {
  readonly #home: string;
  /** When each problem, by its words, was last told. */
  readonly #told = new Map<string, number>();
  readonly #tell: (problem: MountProblem) => void;
  /** Per mount point: its report's time and the problems it held then (each repeat is a line of its own). */
  readonly #seen = new Map<string, { at: number | undefined; lines: ReadonlySet<string> }>();
  readonly #timer: NodeJS.Timeout;

  /** What the mounts report now is known already: only what comes later is told. */
  constructor(home: string, tell: (problem: MountProblem) => void, everyMs = 1000) {
    this.#home = home;
    this.#tell = tell;
    this.#look(false);
    this.#timer = setInterval(() => this.#look(true), everyMs).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #look(telling: boolean): void {
    const mounts = listMounts(this.#home).mounts.map((m) => m.mountpoint);
    for (const mountpoint of this.#seen.keys())
      if (!mounts.includes(mountpoint)) this.#seen.delete(mountpoint);
    for (const mountpoint of mounts) {
      const at = mountReportTime(this.#home, mountpoint);
      const held = this.#seen.get(mountpoint);
      if (held && held.at === at) continue;
      const lines = new Set(readMountReport(this.#home, mountpoint)?.problems ?? []);
      this.#seen.set(mountpoint, { at, lines });
      if (!telling) continue;
      for (const line of lines)
        if (!held?.lines.has(line)) this.#once({ mountpoint, problem: STAMPED.exec(line)?.[1] ?? line });
    }
  }

  /** Tells a problem unless the same was told within RETOLD_AFTER_MS. */
  #once(problem: MountProblem): void {
    const now = Date.now();
    for (const [words, at] of this.#told) if (now - at >= RETOLD_AFTER_MS) this.#told.delete(words);
    const words = `${problem.mountpoint}\n${problem.problem}`;
    if (this.#told.has(words)) return;
    this.#told.set(words, now);
    this.#tell(problem);
  }
}
