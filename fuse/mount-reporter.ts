// The daemon's side of its report (mount-registry.ts): files served, saves waiting and the latest problems, kept in memory
// and written at most four times a second, so a burst of EIOs or refreshes costs one write. A problem that
// repeats is one entry with its count. The backend and the CLI read the report; nobody parses the daemon's
// log. With it, the kernel's requests by kind.
import { writeMountReport } from '../app/core/mounts/mount-registry.ts';
import type { RequestCounts } from './native-binding.ts';

const SHOWN_PROBLEMS = 20;
const WRITE_EVERY_MS = 250;

interface Problem {
  readonly line: string;
  readonly firstAt: number;
  lastAt: number;
  count: number;
}

const stamp = (ms: number) => new Date(ms).toISOString();

export class MountReporter {
  readonly #home: string;
  readonly #mountpoint: string;
  #files = 0;
  #pendingSaves = 0;
  #builtAhead = 0;
  /** Oldest first; one entry per distinct line. */
  readonly #problems: Problem[] = [];
  readonly #writeFailed: (err: Error) => void;
  #timer: NodeJS.Timeout | undefined;
  readonly #requests: () => RequestCounts;

  /** `requests`: the binding's request counts. `writeFailed`: told when the report cannot be written (a
   *  full disk): for the log, not the report, whose next write would fail the same way. */
  constructor(
    home: string,
    mountpoint: string,
    requests: () => RequestCounts,
    writeFailed: (err: Error) => void,
  ) {
    this.#home = home;
    this.#mountpoint = mountpoint;
    this.#requests = requests;
    this.#writeFailed = writeFailed;
  }

  serving(files: number): void {
    this.#files = files;
    this.#schedule();
  }

  pendingSaves(count: number): void {
    this.#pendingSaves = count;
    this.#schedule();
  }

  builtAhead(count: number): void {
    this.#builtAhead += count;
    this.#schedule();
  }

  problem(line: string): void {
    const now = Date.now();
    const at = this.#problems.findIndex((p) => p.line === line);
    const problem = at < 0 ? { line, firstAt: now, lastAt: now, count: 0 } : this.#problems.splice(at, 1)[0]!;
    problem.lastAt = now;
    problem.count++;
    this.#problems.push(problem);
    if (this.#problems.length > SHOWN_PROBLEMS) this.#problems.shift();
    this.#schedule();
  }

  /** Writes what is pending now (at start, and before the daemon exits); a failure goes to writeFailed. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      writeMountReport(this.#home, this.#mountpoint, {
        files: this.#files,
        pendingSaves: this.#pendingSaves,
        builtAhead: this.#builtAhead,
        problems: this.#problems.map((p) =>
          p.count === 1
            ? `${stamp(p.lastAt)} ${p.line}`
            : `${stamp(p.lastAt)} ${p.line} (${p.count} times since ${stamp(p.firstAt)})`,
        ),
        requests: { ...this.#requests() },
        updatedAt: Date.now(),
      });
    } catch (err) {
      this.#writeFailed(err as Error);
    }
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => this.flush(), WRITE_EVERY_MS).unref();
  }
}
