// Packages loaded from their bundles (kit/package-bundles.ts): built by the install's script, taken by the
// launcher's hook and by the mount daemon's (--import), with the exports of the package as published,
// which loads when they are turned off.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLED,
  bundleFile,
  PREFER_BUNDLES_MODULE,
  RECIPES,
  recipeFile,
} from '../../kit/package-bundles.ts';
import { CLI, tempDir } from '../helpers.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const SIMILARITY_TABLE = new URL('../../app/core/similar/similarity-table.ts', import.meta.url).href;

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

/** A use of each bundled package's named exports (a bundle of yaml's CommonJS build had a default alone). */
const USES: Record<(typeof BUNDLED)[number], string> = {
  zod: "const { z } = await import('zod'); z.string().parse('x');",
  yaml: "const { parse } = await import('yaml'); if (parse('a: 1').a !== 1) throw new Error('parse');",
};

/** Where `pkg` resolves in a new Node process started with `flags`, once its named exports were used. */
const resolvedIn = (pkg: keyof typeof USES, flags: readonly string[], env: Record<string, string> = {}) =>
  printed(flags, `${USES[pkg]} console.log(import.meta.resolve('${pkg}'));`, env);

describe('package bundles', () => {
  const bundles = new Map(BUNDLED.map((pkg) => [pkg, pathToFileURL(bundleFile(pkg)!).href]));

  beforeAll(() => {
    const built = spawnSync(process.execPath, ['app/cli/bundle-packages.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
  });

  it.each(BUNDLED)(
    'are what a thread preferring them imports, named and default exports, and the package as published otherwise: %s',
    (pkg) => {
      const bundle = bundles.get(pkg);
      expect(resolvedIn(pkg, ['--import', PREFER_BUNDLES_MODULE])).toBe(bundle);
      // The names the package exports as published (Node adds `module.exports` to a CommonJS one's).
      const names = `const m = await import('${pkg}'); console.log(JSON.stringify([Object.keys(m).filter((k) => k !== 'module.exports'), typeof m.default]));`;
      expect(printed(['--import', PREFER_BUNDLES_MODULE], names)).toBe(printed([], names));
      const published = new RegExp(`node_modules/${pkg}/`);
      expect(resolvedIn(pkg, ['--import', PREFER_BUNDLES_MODULE], { SLEEVE_NO_BUNDLES: '1' })).toMatch(
        published,
      );
      expect(resolvedIn(pkg, [])).toMatch(published);
    },
  );

  it('give LanceDB and the Arrow it checks tables against from one bundle, and as published otherwise', () => {
    // As require() keeps it: its real path (node_modules may be a link, as in a worktree).
    const bundle = realpathSync(recipeFile(RECIPES.find((r) => r.name === 'lance')!)!);
    // A table made with the Arrow lance() gives, as the similarity table makes its rows; then which of
    // LanceDB's and Arrow's files were required: the bundle, or the packages' own modules.
    const probe = (dir: string) => `const { lance } = await import(${JSON.stringify(SIMILARITY_TABLE)});
const { lancedb, arrow } = lance();
const db = await lancedb.connect(${JSON.stringify(dir)});
const table = await db.createTable('t', arrow.tableFromArrays({ id: Int32Array.from([1, 2]) }));
const files = Object.keys((await import('node:module')).createRequire(import.meta.url).cache);
const published = files.filter((f) => /node_modules\\/(apache-arrow|@lancedb\\/lancedb)\\//.test(f));
console.log(JSON.stringify([await table.countRows(), files.includes(${JSON.stringify(bundle)}), published.length > 0]));`;
    expect(printed([], probe(tempDir()))).toBe('[2,true,false]');
    expect(printed([], probe(tempDir()), { SLEEVE_NO_BUNDLES: '1' })).toBe('[2,false,true]');
  });

  it("are what `sleeve` and its mount daemon load; only a beets config's import loads yaml", () => {
    const dir = tempDir();
    const home = join(dir, 'home');
    const music = join(dir, 'music');
    const mnt = join(dir, 'mnt');
    mkdirSync(music);
    // Every module URL of a bundled package that a process loads, whatever resolved it, by process.
    const BUNDLED_URL = new RegExp(`/node_modules/(\\.cache/sleeve-bundles/)?(${BUNDLED.join('|')})[-/]`);
    const loaded = join(dir, 'loaded.txt');
    const logger = join(dir, 'log-loads.mjs');
    writeFileSync(
      logger,
      `import { registerHooks } from 'node:module';\nimport { appendFileSync } from 'node:fs';\n` +
        `registerHooks({ load(url, context, next) { if (${BUNDLED_URL}.test(url)) appendFileSync(${JSON.stringify(loaded)}, process.pid + ' ' + url + '\\n'); return next(url, context); } });\n`,
    );
    const env = { ...process.env, NODE_OPTIONS: `--import ${pathToFileURL(logger).href}` };
    const sleeve = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, '--home', home, ...args], { env, encoding: 'utf8' });
    expect(sleeve('scan', music).status).toBe(0);
    writeFileSync(loaded, '');
    // A layout from a beets config: the one thing in this cycle that reads YAML.
    const beets = join(dir, 'beets.yaml');
    writeFileSync(beets, 'paths:\n  default: $albumartist/$album/$track $title\n');
    const mount = sleeve('mount', mnt, '--import-beets-config', beets);
    expect(mount.status).toBe(0);
    const daemon = /daemon pid (\d+)/.exec(mount.stdout)?.[1];
    expect(sleeve('ls').status).toBe(0);
    const umount = sleeve('umount', mnt);
    expect(umount.status).toBe(0);
    const loads = readFileSync(loaded, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]);
    expect(new Set(loads.map(([, url]) => url))).toEqual(new Set(bundles.values()));
    // zod (the mounts' registry): in the command, its daemon and umount, each from its bundle. yaml only in
    // `sleeve mount`, reading the config: the daemon serving its layout, `ls` printing paths and `sleeve
    // umount` (the same command module) load no YAML parser (beets-config.ts).
    const pids = (pkg: (typeof BUNDLED)[number]) =>
      new Set(loads.filter(([, url]) => url === bundles.get(pkg)).map(([p]) => p));
    expect(pids('zod')).toEqual(new Set([String(mount.pid), daemon, String(umount.pid)]));
    expect(pids('yaml')).toEqual(new Set([String(mount.pid)]));
  }, 60_000);
});
