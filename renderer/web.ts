// `npm run web`: builds the renderer when its sources are newer than the build, then runs `sleeve serve
// --open` on a free port (pass other serve options after --, e.g. `npm run web -- --port 8080`).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'renderer', 'dist', 'index.html');

/** Newest modification time among the renderer's sources and the shared modules it bundles. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

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
const args = process.argv.slice(2);
const child = spawn(
  process.execPath,
  [join(root, 'app', 'cli', 'sleeve.js'), 'serve', ...(args.length > 0 ? args : ['--open'])],
  {
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
