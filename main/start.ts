// `npm start`: the desktop app. Checks for the Electron binary and for native modules built for it, builds
// the renderer (when stale) and the preload, then runs Electron on this project.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRenderer } from '../app/server/renderer-build.ts';
import { buildPreload } from './build.ts';
import { electronBinary } from './electron-binary.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronVersion = (): string =>
  (
    JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
const found = electronBinary(join(root, 'node_modules', 'electron'));
if ('missing' in found) {
  console.error(`sleeve: cannot start the desktop app: ${found.missing}.
  The same app runs in your browser: npm run web
  To get Electron ${electronVersion()}, run \`npx install-electron\` (it downloads from github.com/electron/electron/releases),
  or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding that version's binary.`);
  process.exit(1);
}
// better-sqlite3 is built against one runtime's ABI: Node's for `npm test`, Electron's for the app.
const probe = spawnSync(found.path, ['-e', "require('better-sqlite3')"], {
  cwd: root,
  env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  encoding: 'utf8',
});
if (probe.status !== 0) {
  console.error(`sleeve: the native modules are built for Node, not for Electron:
${probe.stderr.split('\n').find((l) => l.includes('NODE_MODULE_VERSION')) ?? probe.stderr.trim()}
  Rebuild them for Electron:  npx electron-builder install-app-deps
  (and back for the tests:   npm rebuild better-sqlite3)`);
  process.exit(1);
}
const [page] = await Promise.all([ensureRenderer((line) => console.error(line)), buildPreload()]);
if (page !== 'ready') {
  console.error("sleeve: cannot build the app's page: Vite is missing (run `npm install`)");
  process.exit(1);
}
const child = spawn(found.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
