// `npm run web`: builds the renderer when its sources are newer than the build, then runs `sleeve serve
// --open` on a free port (pass other serve options after --, e.g. `npm run web -- --port 8080`).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRendererIfStale } from './build-if-stale.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
await buildRendererIfStale();
const args = process.argv.slice(2);
const child = spawn(
  process.execPath,
  [join(root, 'app', 'cli', 'sleeve.js'), 'serve', ...(args.length > 0 ? args : ['--open'])],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
