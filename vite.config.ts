// Builds the renderer (renderer/ → renderer/dist). Relative asset URLs, so the same build loads from the
// backend over http:// and from the desktop shell's app:// protocol. Tests are configured in vitest.config.ts.

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2023', reportCompressedSize: false },
});
