// Sleeve's native addons, declared once: where each one's build script is, the file it makes, the Debian
// packages it needs and what does not work without it. `npm install` and `npm test` build them all with
// one command (native-build.ts, beside this); `sleeve doctor` says the same later.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SEARCH_ADDON_FILE } from '../../index-engine/native-search.ts';
import { READ_ADVICE_ADDON_FILE } from '../../kit/read-advice.ts';
import { AUDIO_ADDON_FILE } from '../core/audio/native-addon.ts';
import { STABLE_PLANS_FILE } from '../core/db/stable-plans.ts';
import { BINDING_FILE } from '../core/mounts/fuse-files.ts';

export interface NativeAddon {
  readonly name: string;
  /** Its build script, from the project's root (each compiles its own sources when they are newer). */
  readonly script: string;
  readonly file: string;
  /** Debian packages its build needs. */
  readonly packages: readonly string[];
  /** What does not work without it. */
  readonly without: string;
}

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const NATIVE_ADDONS: readonly NativeAddon[] = [
  {
    name: 'the FUSE binding',
    script: 'fuse/native/build.ts',
    file: BINDING_FILE,
    packages: ['gcc', 'pkg-config', 'libfuse3-dev', 'libsqlite3-dev'],
    without: 'the library cannot be mounted',
  },
  {
    name: 'the audio addon',
    script: 'app/core/audio/native/build.ts',
    file: AUDIO_ADDON_FILE,
    packages: [
      'gcc',
      'pkg-config',
      'libavformat-dev',
      'libavcodec-dev',
      'libswresample-dev',
      'libchromaprint-dev',
    ],
    without: 'scans cannot fingerprint files, find their duplicates or measure their loudness',
  },
  {
    name: 'the index search addon',
    script: 'index-engine/native/build.ts',
    file: SEARCH_ADDON_FILE,
    packages: ['gcc'],
    without: 'fingerprint indexes cannot be opened',
  },
  {
    name: 'the read-advice addon',
    script: 'kit/native/build.ts',
    file: READ_ADVICE_ADDON_FILE,
    packages: ['gcc'],
    without:
      "a scan's reads, and the mount's of an original to build its header, bring the kernel's readahead from disk too",
  },
  {
    name: 'the SQLite stable-plans extension',
    script: 'app/core/db/native/build.ts',
    file: STABLE_PLANS_FILE,
    packages: ['gcc'],
    without: 'many queries are planned again on every call (5–20× slower)',
  },
];

/** Which of `packages` Debian says are not installed; undefined where there is no dpkg to ask. */
export function missingPackages(packages: readonly string[]): string[] | undefined {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format (each package, its status)
  const format = '${Package} ${db:Status-Status}\n';
  const res = spawnSync('dpkg-query', ['-W', '-f', format, ...packages], {
    encoding: 'utf8',
  });
  if (res.error) return undefined;
  const installed = new Set(
    res.stdout
      .split('\n')
      .filter((line) => line.endsWith(' installed'))
      .map((line) => line.split(' ')[0]),
  );
  return packages.filter((p) => !installed.has(p));
}

/** What an addon that is not built costs, and what to install to build it ('' when it is built). */
export function addonProblem(addon: NativeAddon): string {
  if (existsSync(addon.file)) return '';
  const missing = missingPackages(addon.packages);
  const install =
    missing === undefined
      ? `needs ${addon.packages.join(' ')}`
      : missing.length > 0
        ? `missing Debian packages: apt-get install ${missing.join(' ')}`
        : 'its packages are installed: see the build error (npm run native)';
  return `${addon.name} is not built, so ${addon.without} (${install})`;
}
