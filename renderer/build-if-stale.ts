// Builds the renderer when its sources are newer than the build (for `npm run web` and `npm start`).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'renderer', 'dist', 'index.html');

/** Newest modification time among the files under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export async function buildRendererIfStale(): Promise<void> {
  const sources = Math.max(
    newestSource(join(root, 'renderer', 'src')),
    newestSource(join(root, 'app', 'shared')),
    statSync(join(root, 'renderer', 'index.html')).mtimeMs,
    statSync(join(root, 'vite.config.ts')).mtimeMs,
  );
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    console.error('building the app…');
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  }
}
