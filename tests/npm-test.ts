// `npm test`'s checks: lint, both type checks, the boundary rules and the docs' links, side by side with
// one another (each is mostly one thread) and with the tests, whose first seconds (the page's build, the
// browser's start, each file's fixtures) leave a core free; then fails if any of them or the tests failed.
// A check's output is shown whole once the tests have ended, so it never lands inside vitest's; a check
// that fails says so at once. Arguments go to vitest (`npm test -- tests/unit`); `--checks`: the checks
// alone (`npm run checks`).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};
const CHECKS = ['lint', 'typecheck', 'boundaries', 'docs'];
const alone = process.argv.includes('--checks');
const vitestArgs = process.argv.slice(2).filter((a) => a !== '--checks');

interface Ran {
  readonly ok: boolean;
  readonly output: string;
}

/** A shell command, as npm runs a script (with node_modules/.bin on the PATH), without npm's start-up;
 *  `shown`: its output goes to this terminal as it comes, else it is kept. */
function run(command: string, shown: boolean): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, {
      shell: true,
      stdio: shown ? 'inherit' : 'pipe',
      env: { ...process.env, PATH: `node_modules/.bin:${process.env.PATH}` },
    });
    let output = '';
    const keep = (d: Buffer) => {
      output += d;
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

/** An argument as the shell reads it back. */
const quoted = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;

const checks = CHECKS.map(async (name) => {
  const ran = await run(scripts[name]!, false);
  if (!ran.ok && !alone) console.error(`\n${name} failed; its output follows the tests'`);
  return ran;
});
// The addons and the packages' bundles are built (when missing) before the tests load them.
const tests = alone
  ? Promise.resolve({ ok: true, output: '' })
  : run('node app/cli/native-build.ts && node app/cli/bundle-packages.ts', true).then((built) =>
      built.ok ? run(['vitest run', ...vitestArgs.map(quoted)].join(' '), true) : built,
    );
const [ranTests, ...ranChecks] = await Promise.all([tests, ...checks]);
ranChecks.forEach((ran, i) => {
  process.stdout.write(`\n> ${CHECKS[i]}: ${scripts[CHECKS[i]!]}\n${ran.output}`);
});
const failed = [...CHECKS.filter((_, i) => !ranChecks[i]!.ok), ...(ranTests!.ok ? [] : ['tests'])];
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
