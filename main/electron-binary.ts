// Where the Electron binary is, found without loading the `electron` package (whose index downloads a
// missing binary from GitHub, which cannot work offline and must not happen behind the user's back).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The binary's path, or why there is none. */
export function electronBinary(
  packageDir: string,
  env: NodeJS.ProcessEnv = process.env,
): { path: string } | { missing: string } {
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const path = join(dist, relative || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
  if (!existsSync(packageDir)) return { missing: 'the electron package is not installed (npm install)' };
  if (!relative && !env.ELECTRON_OVERRIDE_DIST_PATH)
    return { missing: 'the Electron binary was never downloaded (npm install skips it: see allowScripts)' };
  if (!existsSync(path)) return { missing: `the Electron binary is missing at ${path}` };
  return { path };
}
