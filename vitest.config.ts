// The suite as five projects. unit: in-process, no subprocesses. integration: real files, mounts and
// processes; mount-in-process: the binding mounted in the test's process. e2e: Debian's Chromium, one browser for the run (tests/e2e-setup.ts). Vitest runs them one
// after another (e2e, integration, unit: a project's files WORKERS at a time; both cores stay busy all the
// same, 1 % idle); alone: what needs a quiet machine, after the others. `npm test` runs them all; `npm
// run test:unit` the first.
import { defineConfig } from 'vitest/config';

/**
 * Test files at once: more than cores, as a file spends part of its time waiting (a watcher's debounce, a
 * share's deadline, mpd's delay, a rate limit, Chromium), and two or three waiting at once left a core idle.
 * On the 2-core AMD VM, with each file's CPU as it is now, four keep both cores 97 % busy (three: 92 %) for
 * about 6 % more CPU: 204–246 s in eleven runs, against 217–247 s in six with three (BENCHMARKS.md).
 */
const WORKERS = 4;

/** Tests whose assertions depend on a process being served promptly (which of two requests a backend
 *  answers first, when the first is slow): they run alone, after the others. The rest assert orders and
 *  amounts a busy machine does not change. */
const ALONE = ['tests/integration/rpc-long-queries.test.ts'];

/** Tests that mount the FUSE binding in their own process (its state is the process's: one mount a
 *  process, for as long as it lives), each file in a new worker. */
const MOUNT_IN_PROCESS = [
  'tests/integration/fuse-told-names.test.ts',
  'tests/integration/fuse-repack-compare.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/keep-wasm-code.ts'],
    // A waited-for state (a page's rows, a mount's file) may take seconds on a loaded machine: polls wait
    // up to 15 s for it (vitest's default is 1 s), and still end as soon as it shows. A look every 200 ms
    // (vitest's default is 50): each is a round trip to Chromium or a mount, and the e2e project spent 16 %
    // less CPU (168 → 142 s) for it.
    expect: { poll: { timeout: 15_000, interval: 200 } },
    reporters: ['default', './tests/project-durations.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          pool: 'threads',
          // Unit tests keep nothing between files (each makes its own folders and databases), so a worker
          // reuses the modules it loaded instead of loading them again for every file: 21 → 14 s of CPU.
          isolate: false,
          // …so a spy a failed test left in place is undone before the next file.
          restoreMocks: true,
          maxWorkers: WORKERS,
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [...ALONE, ...MOUNT_IN_PROCESS],
          pool: 'forks',
          // A worker process runs file after file with the modules it loaded (the app's, SQLite's, LanceDB's)
          // instead of a new process loading them for every file (with e2e's the same: a whole run 690 → 620 s
          // of CPU). Each file makes its own folders, homes, mounts and processes and ends them; none mocks a
          // module, and the one that changes process.env puts it back.
          isolate: false,
          maxWorkers: WORKERS,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'mount-in-process',
          include: MOUNT_IN_PROCESS,
          pool: 'forks',
          isolate: true,
          maxWorkers: WORKERS,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e-setup.ts'],
          pool: 'forks',
          isolate: false, // as integration: each file opens its own browser context and backend
          maxWorkers: WORKERS,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
