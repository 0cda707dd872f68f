// Packages loaded as one file each instead of as published: zod is 95 ES modules, and loading them cost
// each process that uses it (the mount daemon, the commands about mounts, a command reading config.json,
// the backend) about 50 ms of CPU at start (`npm run bench -- start`); yaml is 72 CommonJS modules, 17 ms
// of CPU (2 ms from its bundle) in what reads YAML: a beets config's import, a Picard script package. The
// bundle is the package itself, built at install by rolldown (app/cli/bundle-packages.ts) into
// node_modules/.cache, named by the package's version and by the recipe it is built from, so an upgrade
// or a new recipe is never served an old build. A thread takes it through a resolve hook registered
// before anything imports the package (the launcher's, and the daemon's through --import; worker threads
// resolve the package as published); where no bundle was built (an install without the development
// tools), the package loads as published.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The packages bundled: each imported by its bare name only (no subpath). */
export const BUNDLED = ['zod', 'yaml'] as const;

const MODULES = new URL('../node_modules/', import.meta.url);

/** What `node --import` takes (a URL: a path may hold # or %) to use the bundles in a program whose entry
 *  imports them. */
export const PREFER_BUNDLES_MODULE = new URL('./prefer-bundles.ts', import.meta.url).href;

/** The module a bundle is built from: the package's every export, its default among them. */
export const bundleEntry = (pkg: string): string =>
  `export * from '${pkg}';\nexport { default } from '${pkg}';\n`;

/** The export conditions a bundle is built with: a package's ES modules where it ships both. Node's own
 *  condition picks yaml's CommonJS build, which bundles to a default export alone, without the names its
 *  importers take. */
export const BUNDLE_CONDITIONS = ['import', 'default'];

/** Where `pkg`'s bundle for its installed version is (or would be); undefined when it is not installed. */
export function bundleFile(pkg: string): string | undefined {
  let version: string;
  try {
    const manifest = readFileSync(new URL(`${pkg}/package.json`, MODULES), 'utf8');
    version = (JSON.parse(manifest) as { version: string }).version;
  } catch {
    return undefined;
  }
  const recipe = createHash('sha256')
    .update(bundleEntry(pkg))
    .update(BUNDLE_CONDITIONS.join(','))
    .digest('hex')
    .slice(0, 8);
  return fileURLToPath(new URL(`.cache/sleeve-bundles/${pkg}-${version}-${recipe}.mjs`, MODULES));
}

/** From now on this thread imports each bundled package from its bundle, where one was built; a package
 *  imported by another package is left to it. SLEEVE_NO_BUNDLES=1: as published (the start-up
 *  benchmark's baseline). */
export function preferBundles(): void {
  if (process.env.SLEEVE_NO_BUNDLES === '1') return;
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
