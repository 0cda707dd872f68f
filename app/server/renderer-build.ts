// Whether the app's page is there to serve, and as new as its sources: on a fresh checkout the renderer
// was never built, and after a pull it may be older than its code. `sleeve serve` then builds it (Vite,
// a development dependency of a checkout) or, where it cannot, refuses with the command to run — never
// "running" while every page load fails.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What the built page is made from (a packaged app has none of it: nothing to compare). */
const SOURCES = ['renderer/src', 'renderer/index.html', 'app/shared', 'vite.config.ts'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

type RendererState = 'ready' | 'missing' | 'stale';

/** The built page in `dir` against its sources in this checkout. */
export function rendererState(dir: string): RendererState {
  const page = join(dir, 'index.html');
  if (!existsSync(page)) return 'missing';
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
  return sources > statSync(page).mtimeMs ? 'stale' : 'ready';
}

/** Builds the page into `dir` with Vite; false when Vite is not installed (not a development checkout). */
export async function buildRenderer(dir: string): Promise<boolean> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    return false;
  }
  await vite.build({
    configFile: join(ROOT, 'vite.config.ts'), // its root is the renderer's folder, wherever we run from
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true },
  });
  return true;
}
