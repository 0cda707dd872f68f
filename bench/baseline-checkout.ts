// A benchmark's baseline in the same run: Sleeve at an earlier commit, checked out into a temporary git
// worktree that shares this checkout's node_modules, with a synthetic library written by that commit's own
// code (its schema may be older than this checkout's, which that code would refuse).
import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { SYNTHETIC_FLAC_KEPT } from '../tests/fixtures/tagged-library.ts';
import { benchTempDir } from './temp-dir.ts';

const REPO = new URL('..', import.meta.url).pathname;

export function baselineCheckout(
  ref: string,
  prefix: string,
): {
  sleeveJs: string;
  library(home: string, tracks: number): void;
  /** Builds the checkout's own FUSE binding, for its `sleeve mount`. */
  buildBinding(): void;
  remove(): void;
} {
  const dir = join(benchTempDir(prefix), 'baseline');
  execFileSync('git', ['-C', REPO, 'worktree', 'add', '--detach', dir, ref], { stdio: 'ignore' });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  // A commit with the SQLite stable-plans extension runs 5-20x slower per query without it.
  const stablePlans = join(dir, 'app/core/db/native/build.ts');
  if (existsSync(stablePlans)) execFileSync(process.execPath, [stablePlans], { stdio: 'ignore' });
  // The synthetic library's module moved from bench/ to tests/fixtures/ at one point.
  const generator = ['tests/fixtures/synthetic-library.ts', 'bench/synthetic-library.ts']
    .map((p) => join(dir, p))
    .find((p) => existsSync(p));
  if (!generator) throw new Error(`${ref} has no synthetic library to build its own`);
  return {
    sleeveJs: join(dir, 'app/cli/sleeve.js'),
    library: (home, tracks) => {
      const url = JSON.stringify(pathToFileURL(generator).href);
      const call = `(await import(${url})).syntheticLibrary(${JSON.stringify(home)}, ${tracks});`;
      execFileSync(process.execPath, ['--input-type=module', '-e', call], { stdio: 'inherit' });
      // Older generators left out the FLAC blocks the scan records (its mount then read every file to
      // size it, and logged each as missing): recorded as this checkout's generator records them.
      const db = new Database(join(home, 'library.db'));
      db.prepare(
        "UPDATE files SET flac_kept_bytes = ?, flac_vendor = ? WHERE format = 'flac' AND flac_kept_bytes IS NULL",
      ).run(SYNTHETIC_FLAC_KEPT.bytes, SYNTHETIC_FLAC_KEPT.vendor);
      db.close();
    },
    buildBinding: () =>
      execFileSync(process.execPath, [join(dir, 'fuse/native/build.ts')], { stdio: 'ignore' }),
    remove: () =>
      execFileSync('git', ['-C', REPO, 'worktree', 'remove', '--force', dir], { stdio: 'ignore' }),
  };
}
