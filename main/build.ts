// Bundles the preload into one CommonJS file (main/dist/preload.cjs): a sandboxed preload can require
// only `electron` and a few Node built-ins, not other modules of ours. The main process itself runs as
// TypeScript (Electron's Node strips types, as `node` does here).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function buildPreload(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: join(here, 'dist'),
      emptyOutDir: true,
      minify: false,
      target: 'node22',
      lib: { entry: join(here, 'preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
      rollupOptions: { external: ['electron'] },
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPreload();
