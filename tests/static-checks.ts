// `npm test`'s checks before the tests: lint, both type checks, the boundary rules and the docs' links, side
// by side (each is mostly one thread), every one's output shown whole once it ends; fails if any of them fails.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};
const CHECKS = ['lint', 'typecheck', 'boundaries', 'docs'];

function run(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    // Through a shell, as npm runs a script (with node_modules/.bin on the PATH), without npm's start-up.
    const child = spawn(scripts[name]!, {
      shell: true,
      env: { ...process.env, PATH: `node_modules/.bin:${process.env.PATH}` },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d;
    });
    child.on('close', (code) => {
      process.stdout.write(`\n> ${name}: ${scripts[name]}\n${out}`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(CHECKS.map(run));
const failed = CHECKS.filter((_, i) => !results[i]);
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
