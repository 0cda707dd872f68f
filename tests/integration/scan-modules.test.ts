// What a scan loads before it reads a file is time every scan pays (BENCHMARKS.md, scan: half of a warm
// 1,000-file scan is its fixed cost). The scan command's modules leave out what only some scans use: the
// validator (zod, its bundle 0.65 MB: about 30 ms to load), which the fingerprint index's manifest needs
// once an index is opened, not to ask whether one is there. A command that opens no library (`--version`,
// help, a usage error) loads none of the library's modules.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

/** The command, and the pipeline it loads once its arguments are read. */
const SCAN = ['../../app/cli/commands/scan.ts', '../../app/core/scan/pipeline.ts'].map(
  (m) => new URL(m, import.meta.url).href,
);
const PREFER_BUNDLES = new URL('../../kit/prefer-bundles.ts', import.meta.url).href;

it('the scan command loads no validator', () => {
  const probe = `import { registerHooks } from 'node:module';
const urls = [];
registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });
for (const m of ${JSON.stringify(SCAN)}) await import(m);
console.log(JSON.stringify({ loaded: urls.length, zod: urls.filter((u) => /[/]zod[-/]/.test(u)) }));`;
  const r = spawnSync(process.execPath, ['--import', PREFER_BUNDLES, '--input-type=module', '-e', probe], {
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  const { loaded, zod } = JSON.parse(r.stdout) as { loaded: number; zod: string[] };
  expect(loaded).toBeGreaterThan(100); // the hook saw the scan's modules
  expect(zod).toEqual([]);
});

it('`sleeve --version` loads none of the library’s modules', () => {
  const hook = `data:text/javascript,${encodeURIComponent(`import { registerHooks } from 'node:module';
const urls = [];
registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });
process.on('exit', () => process.stderr.write(JSON.stringify(urls)));`)}`;
  const cli = new URL('../../app/cli/sleeve.js', import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['--import', hook, cli, '--version'], { encoding: 'utf8' });
  expect(r.stdout).toMatch(/^sleeve \S+\n$/);
  const urls = JSON.parse(r.stderr) as string[];
  expect(urls.some((u) => u.endsWith('/app/cli/main.ts'))).toBe(true); // the hook saw the command's modules
  expect(urls.filter((u) => /\/app\/core\/|better-sqlite3/.test(u))).toEqual([]);
});
