// What a scan loads before it reads a file is time every scan pays (BENCHMARKS.md, scan: half of a warm
// 1,000-file scan is its fixed cost). The scan command's modules leave out what only some scans use: the
// validator (zod, its bundle 0.65 MB: about 30 ms to load), which the fingerprint index's manifest needs
// once an index is opened, not to ask whether one is there; the readers, which run on the reader threads
// (the command's thread records what they read); Picard's and beets' naming and the tagger-script language,
// which every scan's default paths do without; the editing a scan does only when a kept copy moves, and the
// query language (about 50 modules in all: 60–70 ms of a rescan on the 2-core VM).
// A command that opens no library (`--version`, help, a usage error) loads none of the library's modules.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

/** The command, and the pipeline it loads once its arguments are read. */
const SCAN = [
  '../../app/cli/commands/scan.ts',
  '../../app/cli/context.ts',
  '../../app/core/scan/pipeline.ts',
].map((m) => new URL(m, import.meta.url).href);
const PREFER_BUNDLES = new URL('../../kit/prefer-bundles.ts', import.meta.url).href;

/** What the scan's own thread leaves to others or to some scans only. */
const LEFT_OUT = {
  validator: /[/]zod[-/]/,
  readers: /\/app\/core\/media\/(read-track|fast-readers)\.ts$/,
  // A scan edits only to carry a user's edits to the copy kept now (prefer-copy.ts); the query language's
  // RE2 engine runs for a query's regular expression, not for a library's opening.
  'editing and the query language': /\/app\/core\/library\/(edits|prefer-copy)\.ts$|\/re2js\//,
  'Picard and beets naming':
    /\/app\/(core\/served\/(picard-naming|beets-paths)|shared\/tagger-script\/[^/]+)\.ts$/,
};

it('the scan command loads no validator, reader, editor, query language or naming but its own', () => {
  const probe = `import { registerHooks } from 'node:module';
const urls = [];
registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });
for (const m of ${JSON.stringify(SCAN)}) await import(m);
console.log(JSON.stringify(urls));`;
  const r = spawnSync(process.execPath, ['--import', PREFER_BUNDLES, '--input-type=module', '-e', probe], {
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  const urls = JSON.parse(r.stdout) as string[];
  expect(urls.length).toBeGreaterThan(100); // the hook saw the scan's modules
  expect(urls.some((u) => u.endsWith('/app/core/served/path-template.ts'))).toBe(true); // …the paths' too
  const loaded = Object.entries(LEFT_OUT).map(([what, re]) => [what, urls.filter((u) => re.test(u))]);
  expect(Object.fromEntries(loaded)).toEqual(Object.fromEntries(Object.keys(LEFT_OUT).map((w) => [w, []])));
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
