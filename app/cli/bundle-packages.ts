// Builds the bundles kit/package-bundles.ts serves, each once per installed version and recipe (run at
// install and by `npm test`; a no-op when they are there). `--if-possible`: a bundle that cannot be built
// (no rolldown, an install without the development tools; a read-only node_modules) is said and left out,
// and its package loads as published.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUNDLE_CONDITIONS, BUNDLED, bundleEntry, bundleFile } from '../../kit/package-bundles.ts';

const ifPossible = process.argv.includes('--if-possible');

async function build(pkg: string, file: string): Promise<void> {
  const { build: bundle } = await import('rolldown');
  mkdirSync(dirname(file), { recursive: true });
  // Beside the bundle, so that the package resolves from node_modules; renamed into place when whole.
  const entry = join(dirname(file), `${pkg}.entry-${process.pid}.mjs`);
  const built = `${file}.${process.pid}`;
  writeFileSync(entry, bundleEntry(pkg));
  try {
    await bundle({
      input: entry,
      platform: 'neutral', // which adds no condition of its own (`node` would)
      resolve: { conditionNames: BUNDLE_CONDITIONS },
      logLevel: 'silent',
      output: { file: built, format: 'esm' },
    });
    renameSync(built, file);
    // Bundles of the package's other versions or recipes are no one's any more.
    for (const name of readdirSync(dirname(file)))
      if (name.startsWith(`${pkg}-`) && name.endsWith('.mjs') && join(dirname(file), name) !== file)
        rmSync(join(dirname(file), name), { force: true });
  } finally {
    rmSync(entry, { force: true });
    rmSync(built, { force: true });
  }
}

for (const pkg of BUNDLED) {
  const file = bundleFile(pkg);
  if (!file || existsSync(file)) continue;
  try {
    await build(pkg, file);
  } catch (err) {
    if (!ifPossible) throw err;
    console.warn(
      `sleeve: ${pkg} will load as published (about 50 ms more at each start): ${(err as Error).message}`,
    );
  }
}
