// `npm run web`: `sleeve serve --open` (which builds the app's page first when it is missing or older than
// its sources) on a free port; pass other serve options after --, e.g. `npm run web -- --port 8080`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const child = spawn(
  process.execPath,
  [join(root, 'app', 'cli', 'sleeve.js'), 'serve', ...(args.length > 0 ? args : ['--open'])],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
