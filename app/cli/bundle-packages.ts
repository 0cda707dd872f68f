// Builds the bundles kit/package-bundles.ts serves, each once per installed version and recipe (run at
// install and by `npm test`; a no-op when they are there). `--if-possible`: a bundle that cannot be built
// (no rolldown, an install without the development tools; a read-only node_modules) is said and left out,
// and its packages load as published.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type BundleRecipe, RECIPES, recipeFile } from '../../kit/package-bundles.ts';

const ifPossible = process.argv.includes('--if-possible');

async function build(recipe: BundleRecipe, file: string): Promise<void> {
  const { build: bundle } = await import('rolldown');
  mkdirSync(dirname(file), { recursive: true });
  // Beside the bundle, so that the packages resolve from node_modules; renamed into place when whole.
  const entry = join(
    dirname(file),
    `${recipe.name.replace('/', '+')}.entry-${process.pid}.${recipe.format === 'esm' ? 'mjs' : 'cjs'}`,
  );
  const built = `${file}.${process.pid}`;
  writeFileSync(entry, recipe.entry);
  try {
    await bundle({
      input: entry,
      // An ES module bundle resolves with its recipe's conditions alone (`node` would add its own); a
      // CommonJS one as Node requires.
      platform: recipe.conditions ? 'neutral' : 'node',
      ...(recipe.conditions ? { resolve: { conditionNames: [...recipe.conditions] } } : {}),
      external: recipe.external.map((pattern) => new RegExp(pattern)),
      logLevel: 'silent',
      output: { file: built, format: recipe.format },
    });
    renameSync(built, file);
    // Bundles of other versions or recipes are no one's any more.
    const kept = basename(file);
    const extension = kept.slice(kept.lastIndexOf('.'));
    for (const name of readdirSync(dirname(file)))
      if (name.startsWith(`${recipe.name}-`) && name.endsWith(extension) && name !== kept)
        rmSync(join(dirname(file), name), { force: true });
  } finally {
    rmSync(entry, { force: true });
    rmSync(built, { force: true });
  }
}

for (const recipe of RECIPES) {
  const file = recipeFile(recipe);
  if (!file || existsSync(file)) continue;
  try {
    await build(recipe, file);
  } catch (err) {
    if (!ifPossible) throw err;
    console.warn(
      `sleeve: ${recipe.packages.join(' and ')} will load as published (slower at each start): ${(err as Error).message}`,
    );
  }
}
