// Packages loaded from their bundles (kit/package-bundles.ts): built by the install's script, found by the
// launcher's hook (and the daemon's --import), as published when turned off or when none was built.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFile, PREFER_BUNDLES_MODULE } from '../../kit/package-bundles.ts';

/** Where `zod` resolves in a new Node process started with `flags`, and whether it parses. */
function zodIn(flags: readonly string[], env: Record<string, string> = {}): string {
  const probe =
    "const { z } = await import('zod'); z.string().parse('x'); console.log(import.meta.resolve('zod'));";
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', probe], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  return r.stdout.trim();
}

describe('package bundles', () => {
  const bundle = bundleFile('zod')!;

  beforeAll(() => {
    const built = spawnSync(process.execPath, ['app/cli/bundle-packages.ts'], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
  }, 60_000);

  it("are named by the installed package's version", () => {
    expect(bundle).toMatch(/node_modules\/\.cache\/sleeve-bundles\/zod-\d+\.\d+\.\d+\.mjs$/);
  });

  it('are what a process preferring them imports, and the package as published otherwise', () => {
    expect(zodIn(['--import', PREFER_BUNDLES_MODULE])).toBe(pathToFileURL(bundle).href);
    expect(zodIn(['--import', PREFER_BUNDLES_MODULE], { SLEEVE_NO_BUNDLES: '1' })).toMatch(
      /node_modules\/zod\/index\.js$/,
    );
    expect(zodIn([])).toMatch(/node_modules\/zod\/index\.js$/);
  });
});
