// A reporter that closes the run with each project's share of it: files, tests, the time from its first
// file's start to its last file's end (vitest runs the projects one after another), and the summed
// time of its files; then one plain "N passed, N failed" line for whoever reads only the last lines.
import type { Reporter, TestModule } from 'vitest/node';

interface Span {
  first: number;
  last: number;
  files: number;
  fileSeconds: number;
}

export default class ProjectDurations implements Reporter {
  readonly #started = new Map<TestModule, number>();
  readonly #spans = new Map<string, Span>();

  onTestModuleStart(module: TestModule): void {
    this.#started.set(module, performance.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const now = performance.now();
    const name = module.project.name || 'root';
    const span = this.#spans.get(name) ?? {
      first: Number.POSITIVE_INFINITY,
      last: 0,
      files: 0,
      fileSeconds: 0,
    };
    span.first = Math.min(span.first, this.#started.get(module) ?? now);
    span.last = Math.max(span.last, now);
    span.files += 1;
    span.fileSeconds += module.diagnostic().duration / 1000;
    this.#spans.set(name, span);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, { passed: number; failed: number; skipped: number }>();
    for (const module of modules) {
      const name = module.project.name || 'root';
      const c = counts.get(name) ?? { passed: 0, failed: 0, skipped: 0 };
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') c.passed += 1;
        else if (state === 'failed') c.failed += 1;
        else c.skipped += 1;
      }
      // A file that failed outside its tests (an import, a hook) counts as a failure.
      if (module.state() === 'failed' && c.failed === 0) c.failed += 1;
      counts.set(name, c);
    }
    const lines = ['', 'projects (wall time from first start to last end; files run side by side):'];
    const total = { passed: 0, failed: 0, skipped: 0 };
    for (const [name, span] of this.#spans) {
      const c = counts.get(name) ?? { passed: 0, failed: 0, skipped: 0 };
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
      const wall = ((span.last - span.first) / 1000).toFixed(1);
      lines.push(
        `  ${name.padEnd(12)} ${String(span.files).padStart(3)} files  ${String(c.passed + c.failed + c.skipped).padStart(4)} tests  ${wall.padStart(6)} s wall  ${span.fileSeconds.toFixed(1).padStart(6)} s in files`,
      );
    }
    lines.push(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
    console.log(lines.join('\n'));
  }
}
