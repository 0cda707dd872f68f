// One build for every native addon (native-addons.ts): each script is run in its own process, so one
// that cannot be built (a Debian package missing) leaves the others to build; then one summary says which
// are missing, why, and what will not work. `npm test` and `npm run native` fail on any; `npm install`
// (--if-possible) warns and goes on.
//   node app/cli/native-build.ts [--if-possible]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { addonProblem, NATIVE_ADDONS, ROOT } from './native-addons.ts';

const lenient = process.argv.includes('--if-possible');
const failed: string[] = [];
for (const addon of NATIVE_ADDONS) {
  const res = spawnSync(process.execPath, [join(ROOT, addon.script)], { cwd: ROOT, encoding: 'utf8' });
  process.stdout.write(res.stdout);
  if (res.status !== 0) {
    // The script's own reason: its error's message (what is missing), not the stack around it.
    const why = /^\w*Error: (.*)$/m.exec(res.stderr)?.[1] ?? res.stderr.trim().slice(-400);
    const cost = addonProblem(addon) || `${addon.name} is not rebuilt (an older build stays in use)`;
    failed.push(`${cost}: ${why}`);
  }
}
for (const line of failed) console.warn(`sleeve: ${line}`);
if (failed.length > 0 && !lenient) process.exit(1);
