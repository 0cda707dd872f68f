// Packages loaded as one file each instead of as published: zod is 95 ES modules, and loading them cost
// every Sleeve process (each command, mount daemon and backend) about 50 ms of CPU at start, a fifth of a
// `sleeve ls` (`npm run bench -- start`). The bundle is the package itself, built at install by rolldown
// (app/cli/bundle-packages.ts) into node_modules/.cache, named by the package's version, so an upgrade is
// never served an old build. A process takes it through a resolve hook registered before anything imports
// the package; where no bundle was built (an install without the development tools), the package loads as
// published.
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The packages bundled: each imported by its bare name only (no subpath). */
export const BUNDLED = ['zod'] as const;

const MODULES = new URL('../node_modules/', import.meta.url);

/** What `node --import` takes to use the bundles in a program whose entry imports them. */
export const PREFER_BUNDLES_MODULE = fileURLToPath(new URL('./prefer-bundles.ts', import.meta.url));

/** Where `pkg`'s bundle for its installed version is (or would be); undefined when it is not installed. */
export function bundleFile(pkg: string): string | undefined {
  let version: string;
  try {
    const manifest = readFileSync(new URL(`${pkg}/package.json`, MODULES), 'utf8');
    version = (JSON.parse(manifest) as { version: string }).version;
  } catch {
    return undefined;
  }
  return fileURLToPath(new URL(`.cache/sleeve-bundles/${pkg}-${version}.mjs`, MODULES));
}

/** From now on this thread imports each bundled package from its bundle, where one was built.
 *  SLEEVE_NO_BUNDLES=1: as published (the start-up benchmark's baseline). */
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
      return url ? { url, format: 'module', shortCircuit: true } : nextResolve(specifier, context);
    },
  });
}
