#!/usr/bin/env -S node --max-semi-space-size=16 --expose-gc
// Launcher: Sleeve is TypeScript run directly by Node (type stripping, Node >= 22.18; the project pins 24).
// The `sleeve` command starts with the flags a scan needs (process-settings.ts says why), so it need not
// start Node a second time to get them (about 35 ms of every scan); `node app/cli/sleeve.js` still does.
if (!process.features.typescript) {
  if (process.versions.electron) {
    console.error(
      `sleeve: this Electron (${process.versions.electron}) cannot run TypeScript; Sleeve needs Electron 40 or newer.`,
    );
    process.exit(1);
  }
  // Type stripping is on by default from Node 22.18, which also has import.meta.main (used by scripts).
  console.error(
    `sleeve: needs Node.js 22.18 or newer (this is ${process.version}). ` +
      'Run it through npm/npx from the project (it pins Node 24), or install a newer Node.',
  );
  process.exit(1);
}
// Caches compiled (and type-stripped) modules between runs: start-up drops by about half. Set through the
// environment so that worker threads, which read it when they start, use the cache too.
const { enableCompileCache } = await import('node:module');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
process.env.NODE_COMPILE_CACHE ||= join(tmpdir(), 'node-compile-cache');
enableCompileCache?.(process.env.NODE_COMPILE_CACHE);
// LanceDB logs its warnings ("No existing dataset … will be created") to stderr unless LANCEDB_LOG says
// otherwise, read from the process's environment when it loads: set here, on the main thread, for the
// threads that load it (a backend's scans), whose process.env is a copy no native code sees.
process.env.LANCEDB_LOG ??= 'error';
// zod and yaml each as one file rather than their many modules, where bundled at install
// (kit/package-bundles.ts).
(await import('../../kit/package-bundles.ts')).preferBundles();
// Before any worker thread starts, V8's WebAssembly code collection goes: it races with them
// (keep-wasm-code.ts). Imported after the cache is on: a first TypeScript module before it would load
// Amaro, the type stripper, which the cache otherwise spares (about 65 ms of every command).
(await import('../../kit/keep-wasm-code.ts')).keepWasmCode();
// Settings read only at start, by command (process-settings.ts says why): `sleeve index serve` runs for
// days with a steady malloc; whatever scans (`scan`, the app's backend, `watch`) with a small young
// generation and a GC it can ask for.
const argv = process.argv.slice(2);
const [command, subcommand] = (await import('./global-options.ts')).commandOf(argv);
if (command === 'index' && subcommand === 'serve')
  (await import('./process-settings.ts')).reexecForIndexServer();
if (['scan', 'serve', 'watch'].includes(command)) (await import('./process-settings.ts')).reexecForScan();
// `sleeve ls | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
// A scan's first reader thread starts loading now (early-readers.ts says why).
const early = command === 'scan' ? await import('./early-readers.ts') : undefined;
early?.startReaders(argv.slice(argv.indexOf('scan') + 1));
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
await early?.closeUntaken();
