// The native addons' table (app/cli/native-addons.ts), what `npm install`, `npm test` and `sleeve doctor`
// say from: an addon not built is named with what does not work without it and the Debian packages that
// are missing (asked of dpkg), never only "failed"; every addon of the table is built here.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addonProblem, missingPackages, NATIVE_ADDONS } from '../../app/cli/native-addons.ts';

describe('the native addons', () => {
  it('are all built on this machine', () => {
    expect(NATIVE_ADDONS.filter((a) => !existsSync(a.file)).map((a) => a.name)).toEqual([]);
    expect(NATIVE_ADDONS.map(addonProblem)).toEqual(NATIVE_ADDONS.map(() => ''));
  });

  it('says what an addon not built costs, and which Debian packages to install', () => {
    expect(missingPackages(['gcc', 'sleeve-no-such-package'])).toEqual(['sleeve-no-such-package']);
    const problem = addonProblem({
      name: 'the test addon',
      script: 'nowhere/build.ts',
      file: '/nonexistent/sleeve_test.node',
      packages: ['gcc', 'sleeve-no-such-package'],
      without: 'nothing works',
    });
    expect(problem).toBe(
      'the test addon is not built, so nothing works (missing Debian packages: apt-get install sleeve-no-such-package)',
    );
  });
});
