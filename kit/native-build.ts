// Compiling Sleeve's small C libraries at `npm install` (the FUSE binding, SQLite's stable-plans
// extension): each is rebuilt only when a source is newer than it, and never left half-written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

// -g: a crash report's stack offsets resolve to lines (addr2line); the code is the same.
export const OPTIMIZED_FLAGS = ['-O2', '-g'];
// -O1 keeps stack traces readable; UB aborts instead of being reported and forgotten.
export const SANITIZED_FLAGS = [
  '-O1',
  '-g',
  '-fno-omit-frame-pointer',
  '-fsanitize=address,undefined',
  '-fno-sanitize-recover=all',
];

export class NativeBuildError extends Error {
  override name = 'NativeBuildError';
}

/** Runs a build tool; its stdout, or a NativeBuildError saying it is missing or what it printed. */
export function runTool(command: string, args: readonly string[]): string {
  const res = spawnSync(command, args, { encoding: 'utf8' });
  if (res.error) throw new NativeBuildError(`${command} is missing: ${res.error.message}`);
  if (res.status !== 0) throw new NativeBuildError(`${command} ${args.join(' ')} failed:\n${res.stderr}`);
  return res.stdout.trim();
}

/** The files of `folder` whose names end with one of `extensions`. */
export function sourcesIn(folder: string, ...extensions: string[]): string[] {
  return readdirSync(folder)
    .filter((name) => extensions.some((ext) => name.endsWith(ext)))
    .map((name) => join(folder, name));
}

/** Whether `output` exists and is newer than every one of `sources`. */
export function isFresh(output: string, sources: readonly string[]): boolean {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return sources.every((source) => statSync(source).mtimeMs <= built);
}

/** Compiles `sources` into the shared object `output` with $CC (else cc), `flags` and then `libraries`
 *  (after the sources, where the linker looks for them): written under a temporary name and renamed, so a
 *  failed or interrupted build never leaves a broken file to load. */
export function compileShared(
  output: string,
  sources: readonly string[],
  flags: readonly string[],
  libraries: readonly string[] = [],
): void {
  mkdirSync(dirname(output), { recursive: true });
  const partial = `${output}.${process.pid}`;
  runTool(process.env.CC ?? 'cc', [
    ...flags,
    '-Wall',
    '-Wextra',
    '-Werror',
    '-fPIC',
    '-shared',
    '-fvisibility=hidden',
    '-o',
    partial,
    ...sources,
    ...libraries,
  ]);
  renameSync(partial, output);
}

/** A build script's entry: builds, and says so when it did; a failure throws (app/cli/native-build.ts runs
 *  every script and says what each one missing costs). */
export function buildFromCommandLine(output: string, build: () => boolean): void {
  if (build()) console.log(`built ${output}`);
}
