import { reexecWithSteadyMalloc } from '../app/cli/process-settings.ts';
import { keepWasmCode } from '../kit/keep-wasm-code.ts';

// npm run bench -- <name> [options]: runs one benchmark. Each compares against a peer or baseline in the same run.
const BENCHMARKS: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  scan: () => import('./scan.ts'),
  'mount-scan': () => import('./mount-scan.ts'),
  index: () => import('./index.ts'),
  'index-open': () => import('./index-open.ts'),
  fingerprint: () => import('./fingerprint.ts'),
  fuse: () => import('./fuse.ts'),
  similar: () => import('./similar.ts'),
  ui: () => import('./ui.ts'),
  map: () => import('./map.ts'),
  flood: () => import('./flood.ts'),
  gapless: () => import('./gapless.ts'),
  identify: () => import('./identify.ts'),
  'album-match': () => import('./album-match.ts'),
  watch: () => import('./watch.ts'),
  edit: () => import('./edit.ts'),
  'mount-art': () => import('./mount-art.ts'),
  trial: () => import('./trial.ts'),
  'art-collect': () => import('./art-collect.ts'),
  media: () => import('./media.ts'),
  loudness: () => import('./loudness.ts'),
  'mount-watch': () => import('./mount-watch.ts'),
  subsonic: () => import('./subsonic.ts'),
  start: () => import('./start.ts'),
  transcodes: () => import('./transcodes.ts'),
  million: () => import('./million.ts'),
  grouping: () => import('./grouping.ts'),
  suggest: () => import('./suggest.ts'),
};

// Same allocator setting as `sleeve index serve`, so in-process memory figures match; glibc has read it by
// now, so it is dropped from the environment: every program a benchmark starts runs as users run it. (With
// it, glibc trims its heap at 128 KiB: a derivation of 1,000 files made 10k brk calls and took 3.5× as
// long, which read as a regression of the edit bench's small libraries.)
reexecWithSteadyMalloc();
// And without V8's WebAssembly code collection, as the app's processes run (kit/keep-wasm-code.ts).
keepWasmCode();
delete process.env.MALLOC_MMAP_THRESHOLD_;

const [name, ...args] = process.argv.slice(2);
const load = name ? BENCHMARKS[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]`);
  process.exit(2);
}
await (await load()).main(args);
