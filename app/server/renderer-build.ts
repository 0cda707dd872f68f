// The app's page (renderer/ built by Vite into renderer/dist), built when it is missing or older than its
// sources: on a fresh checkout it was never built, and after a pull it may be older than its code. `sleeve
// serve` (so `npm run web`), `npm start` and the tests all build it here; where Vite is not installed (a
// packaged app, which has no sources to compare either), the caller says what to run instead.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the backend serves the page from, and the desktop shell loads it. */
export const RENDERER_DIR = join(ROOT, 'renderer', 'dist');
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

export type RendererState = 'ready' | 'missing' | 'stale';

/** The built page in `dir` against its sources in this checkout. */
export function rendererState(dir = RENDERER_DIR): RendererState {
  const page = join(dir, 'index.html');
  if (!existsSync(page)) return 'missing';
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
  return sources > statSync(page).mtimeMs ? 'stale' : 'ready';
}

/** Builds the page into `dir` with Vite; false when Vite is not installed (not a development checkout). */
export async function buildRenderer(dir = RENDERER_DIR): Promise<boolean> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    return false;
  }
  // The page users run, whatever NODE_ENV the builder was given: Vite builds for production only when it
  // says so (a test run sets 'test'), else it bundles React's development build, which checks and warns
  // as it renders (40 % larger). Vite sets it the same way itself when it is not set.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({
      configFile: join(ROOT, 'vite.config.ts'), // its root is the renderer's folder, wherever we run from
      logLevel: 'error',
      build: { outDir: dir, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return true;
}

/**
 * The page in `dir`, built first when it is missing or stale (`say` tells why it builds); the state it
 * was left in when it could not be built, else 'ready'.
 */
export async function ensureRenderer(
  say: (line: string) => void,
  dir = RENDERER_DIR,
): Promise<RendererState> {
  const state = rendererState(dir);
  if (state === 'ready') return state;
  say(
    state === 'missing'
      ? "building the app's page (first start)…"
      : "building the app's page (its sources changed)…",
  );
  return (await buildRenderer(dir)) ? 'ready' : state;
}
