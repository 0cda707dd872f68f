// Builds the bundles kit/package-bundles.ts serves, each once per installed version (run at install and by
// `npm test`; a no-op when they are there). `--if-possible`: without rolldown (an install without the
// development tools) it says so and leaves the packages to load as published.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUNDLED, bundleFile } from '../../kit/package-bundles.ts';

const ifPossible = process.argv.includes('--if-possible');
const missing = BUNDLED.flatMap((pkg) => {
  const file = bundleFile(pkg);
  return file && !existsSync(file) ? [{ pkg, file }] : [];
});
if (missing.length > 0) {
  let build: typeof import('rolldown').build;
  try {
    ({ build } = await import('rolldown'));
  } catch {
    const why = `rolldown is not installed: ${missing.map((m) => m.pkg).join(', ')} will load as published`;
    if (!ifPossible) throw new Error(why);
    console.warn(`sleeve: ${why} (about 50 ms more at each start)`);
    process.exit(0);
  }
  for (const { pkg, file } of missing) {
    mkdirSync(dirname(file), { recursive: true });
    // Beside the bundle, so that the package resolves from node_modules; renamed into place when whole.
    const entry = join(dirname(file), `${pkg}.entry-${process.pid}.mjs`);
    const built = `${file}.${process.pid}`;
    writeFileSync(entry, `export * from '${pkg}';\n`);
    try {
      await build({
        input: entry,
        platform: 'node',
        logLevel: 'silent',
        output: { file: built, format: 'esm' },
      });
      renameSync(built, file);
    } finally {
      rmSync(entry, { force: true });
      rmSync(built, { force: true });
    }
  }
}
