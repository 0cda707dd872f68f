// Failed Subsonic logins per user name: guessing alice's password from many addresses is cut off past the
// limit, while the devices alice logged in from before still get in with the right token.
import { describe, expect, it } from 'vitest';
import { ensureHome, resolveHome } from '../../../app/core/home.ts';
import { Authenticator, FailedLogins, failedUserLogins } from '../../../app/server/subsonic/auth.ts';
import { Params } from '../../../app/server/subsonic/params.ts';
import { setPassword, UsersFile, usersPath } from '../../../app/server/subsonic/users.ts';
import { tokenAuth } from '../../fixtures/subsonic-library.ts';
import { tempDir } from '../../helpers.ts';

describe('failed logins per user name', () => {
  const home = resolveHome(tempDir());
  ensureHome(home);
  setPassword(home, 'alice', 'sesame open');
  const auth = new Authenticator(
    new UsersFile(usersPath(home)),
    new FailedLogins(100, 60_000),
    false,
    failedUserLogins(3, 60_000),
  );
  const login =
    (address: string, password = 'sesame open') =>
    () =>
      auth.user(new Params(new URLSearchParams(tokenAuth('alice', password))), address);

  it('hears only the addresses alice logged in from once her name failed too often', () => {
    expect(login('10.0.0.1')()).toBe('alice');
    for (const address of ['10.0.0.2', '10.0.0.3', '10.0.0.4'])
      expect(login(address, 'guess')).toThrow('Wrong username or password');
    expect(login('10.0.0.5')).toThrow(/too many failed logins as alice lately/);
    expect(login('10.0.0.6', 'guess')).toThrow(/too many failed logins as alice lately/);
    expect(login('10.0.0.1')()).toBe('alice');
  });
});
