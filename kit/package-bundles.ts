// Packages loaded as one file each instead of as published: zod is 95 ES modules, and loading them cost
// each process that uses it (the mount daemon, the commands about mounts, a command reading config.json,
// the backend) about 50 ms of CPU at start (`npm run bench -- start`); yaml is 72 CommonJS modules, 17 ms
// of CPU (2 ms from its bundle) in what reads YAML: a beets config's import, a Picard script package. The
// bundle is the package itself, built at install by rolldown (app/cli/bundle-packages.ts) into
// node_modules/.cache, named by the package's version and by the recipe it is built from, so an upgrade
// or a new recipe is never served an old build. A thread takes it through a resolve hook registered
// before anything imports the package (the launcher's, and the daemon's through --import; worker threads
// resolve the package as published); where no bundle was built (an install without the development
// tools), the package loads as published. Packages required together (LanceDB and the Arrow it checks
// tables against) are one CommonJS bundle, required by path where they are used.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The packages bundled: each imported by its bare name only (no subpath). */
export const BUNDLED = ['zod', 'yaml'] as const;

/** CommonJS packages required together from one bundle, so that they share one copy of what one takes
 *  from the other: LanceDB checks Arrow's classes with instanceof, so the Arrow its caller makes tables
 *  with must be the copy it requires. With Arrow's 134 modules and OpenTelemetry's 51, LanceDB was 211
 *  modules, 90 ms of CPU to require; 40 ms from its bundle. */
export const REQUIRED_TOGETHER = { lance: ['@lancedb/lancedb', 'apache-arrow'] } as const;
export type RequiredGroup = keyof typeof REQUIRED_TOGETHER;

const MODULES = new URL('../node_modules/', import.meta.url);

/** What `node --import` takes (a URL: a path may hold # or %) to use the bundles in a program whose entry
 *  imports them. */
export const PREFER_BUNDLES_MODULE = new URL('./prefer-bundles.ts', import.meta.url).href;

/** How a bundle is built (app/cli/bundle-packages.ts), all of which names its file with the installed
 *  versions of its packages: an upgrade or a new recipe is never served an old build. */
export interface BundleRecipe {
  /** Its file's name begins with this (the package, or the group). */
  readonly name: string;
  readonly packages: readonly string[];
  /** The module it is built from. */
  readonly entry: string;
  readonly format: 'esm' | 'cjs';
  /** The export conditions it resolves packages with; none: Node's. */
  readonly conditions?: readonly string[];
  /** What stays outside it, required where it runs: native addons (`*.node`, and the packages napi-rs
   *  publishes one per platform, `<package>-<platform>`). */
  readonly external: readonly string[];
}

/** A package imported by name: its every export, its default among them, from its ES modules where it
 *  ships both (Node's condition picks yaml's CommonJS build, which bundles to a default export alone,
 *  without the names its importers take). */
const importedRecipe = (pkg: string): BundleRecipe => ({
  name: pkg,
  packages: [pkg],
  entry: `export * from '${pkg}';\nexport { default } from '${pkg}';\n`,
  format: 'esm',
  conditions: ['import', 'default'],
  external: [],
});

/** A group required together: each package's exports, by its name. */
const groupRecipe = (group: RequiredGroup): BundleRecipe => {
  const packages = REQUIRED_TOGETHER[group];
  return {
    name: group,
    packages,
    entry: `module.exports = {\n${packages.map((p) => `  '${p}': require('${p}'),\n`).join('')}};\n`,
    format: 'cjs',
    external: ['\\.node$', ...packages.map((p) => `^${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}-`)],
  };
};

/** Every bundle a checkout builds. */
export const RECIPES: readonly BundleRecipe[] = [
  ...BUNDLED.map(importedRecipe),
  ...(Object.keys(REQUIRED_TOGETHER) as RequiredGroup[]).map(groupRecipe),
];

/** `pkg`'s installed version; undefined when it is not installed. */
function installedVersion(pkg: string): string | undefined {
  try {
    const manifest = readFileSync(new URL(`${pkg}/package.json`, MODULES), 'utf8');
    return (JSON.parse(manifest) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** Where a recipe's bundle for the installed versions is (or would be); undefined when one of its
 *  packages is not installed. */
export function recipeFile(recipe: BundleRecipe): string | undefined {
  const versions = recipe.packages.map(installedVersion);
  if (versions.includes(undefined)) return undefined;
  const hash = createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 8);
  const extension = recipe.format === 'esm' ? 'mjs' : 'cjs';
  return fileURLToPath(
    new URL(`.cache/sleeve-bundles/${recipe.name}-${versions.join('-')}-${hash}.${extension}`, MODULES),
  );
}

/** Where `pkg`'s bundle is (or would be), `pkg` one of BUNDLED. */
export const bundleFile = (pkg: (typeof BUNDLED)[number]): string | undefined =>
  recipeFile(importedRecipe(pkg));

/** Bundles are used unless SLEEVE_NO_BUNDLES=1 (the start-up benchmark's baseline). */
const bundlesOn = (): boolean => process.env.SLEEVE_NO_BUNDLES !== '1';

/** A group's packages by name, from its bundle where one was built, else as published: `require`
 *  (the caller's) resolves them. */
export function requireTogether<G extends RequiredGroup>(
  group: G,
  require: NodeJS.Require,
): Record<(typeof REQUIRED_TOGETHER)[G][number], unknown> {
  const file = bundlesOn() ? recipeFile(groupRecipe(group)) : undefined;
  if (file && existsSync(file)) return require(file);
  return Object.fromEntries(REQUIRED_TOGETHER[group].map((pkg) => [pkg, require(pkg)])) as Record<
    (typeof REQUIRED_TOGETHER)[G][number],
    unknown
  >;
}

/** From now on this thread imports each bundled package from its bundle, where one was built; a package
 *  imported by another package is left to it. SLEEVE_NO_BUNDLES=1: as published (the start-up
 *  benchmark's baseline). */
export function preferBundles(): void {
  if (!bundlesOn()) return;
  const urls = new Map<string, string>();
  for (const pkg of BUNDLED) {
    const file = bundleFile(pkg);
    if (file && existsSync(file)) urls.set(pkg, pathToFileURL(file).href);
  }
  if (urls.size === 0) return;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const url = urls.get(specifier);
      return url && !context.parentURL?.includes('/node_modules/')
        ? { url, format: 'module', shortCircuit: true }
        : nextResolve(specifier, context);
    },
  });
}
