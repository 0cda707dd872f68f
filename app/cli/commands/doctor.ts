// `sleeve doctor`: what this machine lacks for each part of Sleeve — every native addon (built, or what
// to install and what does not work without it: app/cli/native-addons.ts), mounting, and ffmpeg for the
// player's conversions. Exits 1 when something is missing.
import { spawnSync } from 'node:child_process';
import { fuseAvailability } from '../../core/mounts/mount-control.ts';
import type { Context } from '../context.ts';
import { addonProblem, NATIVE_ADDONS } from '../native-addons.ts';

export const usage = 'sleeve doctor';

export async function run(ctx: Context): Promise<number> {
  const problems: string[] = [];
  const say = (ok: boolean, what: string) => {
    ctx.print(`${ok ? 'ok ' : 'no '} ${what}`);
    if (!ok) problems.push(what);
  };
  for (const addon of NATIVE_ADDONS) {
    const problem = addonProblem(addon);
    say(problem === '', problem || `${addon.name} is built`);
  }
  const fuse = fuseAvailability();
  say(fuse.ok, fuse.ok ? 'the library can be mounted' : `mounts: ${fuse.reason}`);
  const ffmpeg = spawnSync('ffmpeg', ['-version']).status === 0;
  say(
    ffmpeg,
    ffmpeg
      ? "ffmpeg is installed (the player's conversions)"
      : 'ffmpeg is missing, so the player cannot convert formats a browser cannot play (apt-get install ffmpeg)',
  );
  return problems.length > 0 ? 1 : 0;
}
