// `npm run test:sanitize`: the FUSE binding and the index's native search built with AddressSanitizer and
// UndefinedBehaviorSanitizer, and the tests that mount (concurrent readers, write-back, full rewrites,
// malformed replies, unmount, cover art read from the library) and that search (damaged and random
// blocks, batches of queries) run against them.
// Node is not built with ASan, so its runtime is preloaded into the test processes and every process they
// start (the mount daemons load the sanitized binding through SLEEVE_FUSE_SANITIZED, every index its
// search through SLEEVE_INDEX_SANITIZED). A finding aborts the process that made it and is written to a
// report file; any report fails the run, since an abort inside
// a daemon may show in a test only as a confusing EIO, or not at all.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBinding } from '../fuse/native/build.ts';
import { buildSearch } from '../index-engine/native/build.ts';

const TESTS = [
  'tests/unit/fuse/native-binding.test.ts',
  'tests/integration/fuse-mount.test.ts',
  'tests/integration/fuse-ahead.test.ts', // layouts built ahead, handed to the binding
  'tests/integration/fuse-first-read.test.ts', // a header's rest stored into the kernel's cache
  'tests/integration/fuse-kept-pages.test.ts', // the files' page entries let go past the limit
  'tests/integration/fuse-rewrite.test.ts',
  'tests/integration/fuse-ogg.test.ts',
  'tests/integration/fuse-iff.test.ts',
  'tests/integration/fuse-wavpack.test.ts',
  'tests/integration/fuse-rewind.test.ts',
  'tests/integration/fuse-stale-listing.test.ts', // what a listing gave from a replaced tree taken back
  'tests/integration/fuse-watchers.test.ts', // the echo thread's operations and the pending tree
  'tests/integration/fuse-told-names.test.ts', // the names the echo told of, gone or found before the publish
  'tests/integration/fuse-repack-compare.test.ts', // a tree made from the last, compared where rebuilt
  'tests/integration/fuse-servers.test.ts', // listings while a tree is pending, as mpd and minidlna make them
  'tests/integration/cover-art.test.ts', // pictures read from the library into reads' buffers
  'tests/integration/fuse-stalled-share.test.ts', // calls on a stopped share's originals counted, refused
  'tests/integration/server-engines.test.ts',
  'tests/unit/index/codecs.test.ts', // the posting scan over damaged and random blocks
  'tests/unit/index/segments.test.ts',
  'tests/unit/index/fingerprint-index.test.ts', // batches of queries sharing terms
];

buildBinding(true);
buildSearch(true);
const reports = mkdtempSync(join(tmpdir(), 'sleeve-sanitize-'));
const runtime = (name: string) =>
  execFileSync('gcc', [`-print-file-name=${name}`], { encoding: 'utf8' }).trim();
const env = {
  ...process.env,
  SLEEVE_FUSE_SANITIZED: '1',
  SLEEVE_INDEX_SANITIZED: '1',
  SLEEVE_SANITIZER_REPORTS: reports, // tests/global-setup.ts copies daemons' logs with a report here
  LD_PRELOAD: runtime('libasan.so'),
  // Leak checks are off: Node and V8 keep memory until exit by design, and would drown real findings.
  // A small quarantine of freed memory (ASan's default is 256 MiB): the mount's memory-bound test measures
  // the daemon's growth, and use-after-free within the last 32 MiB freed is still caught.
  ASAN_OPTIONS: `detect_leaks=0:abort_on_error=1:quarantine_size_mb=32:log_path=${join(reports, 'asan')}`,
  UBSAN_OPTIONS: `halt_on_error=1:print_stacktrace=1:log_path=${join(reports, 'ubsan')}`,
};
const vitest = join(import.meta.dirname, '../node_modules/vitest/vitest.mjs');
const run = spawnSync(process.execPath, [vitest, 'run', ...TESTS], { env, stdio: 'inherit' });
const found = readdirSync(reports);
for (const name of found) console.error(`\n${name}:\n${readFileSync(join(reports, name), 'utf8')}`);
rmSync(reports, { recursive: true, force: true });
if (found.length > 0) console.error(`test:sanitize: ${found.length} sanitizer report(s), above`);
process.exit(found.length > 0 ? 1 : (run.status ?? 1));
