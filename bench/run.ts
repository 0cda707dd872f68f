// npm run bench -- <name> [options]: runs one benchmark. Each compares against a peer or baseline in the same run.
const BENCHMARKS: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  scan: () => import('./scan.ts'),
  index: () => import('./index.ts'),
};

// Same allocator setting as `sleeve index serve` (see app/cli/sleeve.js), so in-process memory figures match.
if (process.platform === 'linux' && process.env.MALLOC_MMAP_THRESHOLD_ === undefined)
  process.execve?.(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    ...process.env,
    MALLOC_MMAP_THRESHOLD_: '131072',
  });

const [name, ...args] = process.argv.slice(2);
const load = name ? BENCHMARKS[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]`);
  process.exit(2);
}
await (await load()).main(args);
