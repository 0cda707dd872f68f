// The daemon's side of its report (mount-registry.ts): files served, saves waiting and the latest problems, kept in memory
// and written at most four times a second, so a burst of EIOs or refreshes costs one write. The backend and
// the CLI read the report; nobody parses the daemon's log. With it, the kernel's requests by kind.
import { writeMountReport } from '../app/core/mounts/mount-registry.ts';
import type { RequestCounts } from './native-binding.ts';

const SHOWN_PROBLEMS = 20;
const WRITE_EVERY_MS = 250;

export class MountReporter {
  readonly #home: string;
  readonly #mountpoint: string;
  #files = 0;
  #pendingSaves = 0;
  #builtAhead = 0;
  readonly #problems: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #requests: () => RequestCounts;

  constructor(home: string, mountpoint: string, requests: () => RequestCounts) {
    this.#home = home;
    this.#mountpoint = mountpoint;
    this.#requests = requests;
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
    this.#problems.push(`${new Date().toISOString()} ${line}`);
    if (this.#problems.length > SHOWN_PROBLEMS) this.#problems.shift();
    this.#schedule();
  }

  /** Writes what is pending now (at start, and before the daemon exits). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    writeMountReport(this.#home, this.#mountpoint, {
      files: this.#files,
      pendingSaves: this.#pendingSaves,
      builtAhead: this.#builtAhead,
      problems: [...this.#problems],
      requests: { ...this.#requests() },
      updatedAt: Date.now(),
    });
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => this.flush(), WRITE_EVERY_MS).unref();
  }
}
