// Generates the fixture library once per run (≈1 s) into .cache; tests copy it before changing anything.
// Every temporary folder of the run lives under one root, removed when the run ends: tests make theirs
// with tempDir(), and TMPDIR points there for the test workers and every process they start (the CLI,
// mount daemons, Chromium's profile).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { mountTable } from '../kit/mount-table.ts';
import { makeFixtureLibrary } from './fixtures/library.ts';
import { MADE_ROOT } from './fixtures/made.ts';
import { tempFolder } from './fixtures/temp-dir.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    fixtureRoot: string;
    tempRoot: string;
  }
}

// Bump when library.ts changes what it generates.
const FIXTURE_VERSION = 2;

/** Mount points at or under `root`, deepest first. */
function mountsUnder(root: string): string[] {
  return mountTable()
    .map((m) => m.path)
    .filter((p) => p === root || p.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
}

/** Where the logs of daemons that ended unannounced are kept for a look after the run. */
const DAEMON_LOGS = join(process.cwd(), '.cache', 'daemon-logs');

const SANITIZER_REPORT = /runtime error:|ERROR: AddressSanitizer|UndefinedBehaviorSanitizer/;

/**
 * Under `npm run test:sanitize`: the mount daemons' logs that hold a sanitizer report, copied where the
 * launcher looks (UBSan inside ASan writes to stderr, which is a daemon's log, whatever log_path says).
 */
function keepSanitizerReports(root: string, into: string): void {
  const logs = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.log'));
  for (const [i, path] of logs.entries()) {
    const text = readFileSync(join(root, path), 'utf8');
    if (SANITIZER_REPORT.test(text)) writeFileSync(join(into, `daemon-${i}.log`), text);
  }
}

/**
 * A mount daemon's log whose last line is not its unmounting on a signal (tests stop daemons with
 * `sleeve umount`, a SIGTERM): the daemon died, or its mount ended under it (a test then sees
 * ECONNABORTED or a vanished mount). Kept in DAEMON_LOGS, as the temporary root is removed.
 */
function keepUnfinishedDaemonLogs(root: string): void {
  // find(1): it follows no symbolic link and goes on past unreadable folders (tests make both).
  const found = spawnSync('find', [root, '-path', '*/mounts/*.log', '-type', 'f'], { encoding: 'utf8' });
  const logs = found.stdout.split('\n').filter(Boolean);
  for (const path of logs) {
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    if (/ unmounting .* \((SIGTERM|SIGINT)\)$/.test(lines.at(-1) ?? '')) continue;
    mkdirSync(DAEMON_LOGS, { recursive: true });
    const to = join(DAEMON_LOGS, `${Date.now()}-${path.slice(root.length + 1).replace(/\//g, '_')}`);
    writeFileSync(to, lines.join('\n'));
    // Its end printed too: a CI run's .cache is gone with its machine.
    console.warn(
      `a mount daemon's log ends without its unmounting (did it die?): kept at ${to}; its last lines:\n${lines.slice(-25).join('\n')}`,
    );
  }
}

/** A folder of kept files: those no run used for 30 days (for made.ts' files, their command or inputs
 *  changed; each use touches its file), then the least recently used beyond `maxBytes`. */
function prune(dir: string, maxBytes: number): void {
  const before = Date.now() - 30 * 24 * 3600_000;
  const kept = (existsSync(dir) ? readdirSync(dir) : [])
    .map((entry) => {
      const path = join(dir, entry);
      const { size, mtimeMs } = statSync(path);
      return { path, size, mtimeMs };
    })
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  let bytes = 0;
  for (const file of kept) {
    bytes += file.size;
    if (file.mtimeMs < before || bytes > maxBytes) rmSync(file.path, { force: true });
  }
}

/** Node's compile cache of other Node versions than this run's (the project pins one; an upgrade leaves
 *  the old one's entries unused). */
function pruneCompileCache(cache: string): void {
  for (const entry of existsSync(cache) ? readdirSync(cache) : [])
    if (!entry.startsWith(`${process.version}-`))
      rmSync(join(cache, entry), { recursive: true, force: true });
}

/** Removes the run's temporary root; a mount a test left behind is unmounted first, never deleted through. */
function removeTempRoot(root: string): void {
  for (const mount of mountsUnder(root)) {
    console.warn(`a test left a mount behind (a test bug): unmounting ${mount}`);
    spawnSync('fusermount3', ['-uz', mount]);
  }
  const reports = process.env.SLEEVE_SANITIZER_REPORTS;
  if (reports) keepSanitizerReports(root, reports);
  keepUnfinishedDaemonLogs(root);
  rmSync(root, { recursive: true, force: true });
}

export default function setup(project: TestProject): () => void {
  const tempRoot = tempFolder(tmpdir(), 'sleeve-test-');
  chmodSync(tempRoot, 0o1777); // like /tmp: tests run the CLI as another user too
  process.env.TMPDIR = tempRoot;
  // As the CLI keeps it (app/cli/sleeve.js), for every process of the run: the test workers' own worker
  // processes (a scan's analysis) load compiled, not type-stripped again at each start. Kept between runs
  // (Node checks each entry against its source), so that the processes that start before the first of
  // their kind has written it load compiled too.
  const compileCache = join(process.cwd(), '.cache', 'node-compile-cache');
  process.env.NODE_COMPILE_CACHE ||= compileCache;
  pruneCompileCache(compileCache);
  // As the launcher sets it (app/cli/sleeve.js), for the backends the tests run in their own processes,
  // whose scans load LanceDB on a thread.
  process.env.LANCEDB_LOG ??= 'error';
  project.provide('tempRoot', tempRoot);
  const root = join(process.cwd(), '.cache', `fixtures-v${FIXTURE_VERSION}`);
  if (!existsSync(root)) {
    const tmp = `${root}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    makeFixtureLibrary(tmp);
    renameSync(tmp, root);
  }
  project.provide('fixtureRoot', root);
  prune(MADE_ROOT, 2 * 1024 ** 3);
  prune(DAEMON_LOGS, 64 * 1024 ** 2);
  return () => removeTempRoot(tempRoot);
}
