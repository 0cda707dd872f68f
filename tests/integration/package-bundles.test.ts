// Packages loaded from their bundles (kit/package-bundles.ts): built by the install's script, taken by the
// launcher's hook and by the mount daemon's (--import), as published when turned off.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFile, PREFER_BUNDLES_MODULE } from '../../kit/package-bundles.ts';
import { CLI, tempDir } from '../helpers.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** What `probe` (a module) prints in a new Node process started with `flags`; it may print nothing else. */
function printed(flags: readonly string[], probe: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', probe], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  return r.stdout.trim();
}

/** Where `zod` resolves in a new Node process started with `flags`, and whether it parses. */
const zodIn = (flags: readonly string[], env: Record<string, string> = {}) =>
  printed(
    flags,
    "const { z } = await import('zod'); z.string().parse('x'); console.log(import.meta.resolve('zod'));",
    env,
  );

describe('package bundles', () => {
  const bundle = pathToFileURL(bundleFile('zod')!).href;

  beforeAll(() => {
    const built = spawnSync(process.execPath, ['app/cli/bundle-packages.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
  });

  it('are what a thread preferring them imports, default export and all, and the package as published otherwise', () => {
    expect(zodIn(['--import', PREFER_BUNDLES_MODULE])).toBe(bundle);
    const both = "const m = await import('zod'); console.log(m.default === m.z, import.meta.resolve('zod'));";
    expect(printed(['--import', PREFER_BUNDLES_MODULE], both)).toBe(`true ${bundle}`);
    expect(zodIn(['--import', PREFER_BUNDLES_MODULE], { SLEEVE_NO_BUNDLES: '1' })).toMatch(
      /node_modules\/zod\/index\.js$/,
    );
    expect(zodIn([])).toMatch(/node_modules\/zod\/index\.js$/);
  });

  it('are what `sleeve` and its mount daemon load', () => {
    const dir = tempDir();
    const home = join(dir, 'home');
    const music = join(dir, 'music');
    const mnt = join(dir, 'mnt');
    mkdirSync(music);
    // Every module URL with zod in it that a process loads, whatever resolved it.
    const loaded = join(dir, 'loaded.txt');
    const logger = join(dir, 'log-loads.mjs');
    writeFileSync(
      logger,
      `import { registerHooks } from 'node:module';\nimport { appendFileSync } from 'node:fs';\n` +
        `registerHooks({ load(url, context, next) { if (url.includes('zod')) appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, context); } });\n`,
    );
    const env = { ...process.env, NODE_OPTIONS: `--import ${pathToFileURL(logger).href}` };
    const sleeve = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, '--home', home, ...args], { env, encoding: 'utf8' });
    expect(sleeve('scan', music).status).toBe(0);
    writeFileSync(loaded, '');
    expect(sleeve('mount', mnt).status).toBe(0); // the command and the daemon it starts (zod: the registry)
    expect(sleeve('umount', mnt).status).toBe(0);
    const urls = readFileSync(loaded, 'utf8').split('\n').filter(Boolean);
    expect(new Set(urls)).toEqual(new Set([bundle]));
    expect(urls.length).toBeGreaterThanOrEqual(3); // mount, the daemon, umount
  }, 60_000);
});
