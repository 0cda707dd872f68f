// Failed Subsonic logins per user name: guessing alice's password from many addresses is cut off past the
// limit, while the devices alice logged in from before still get in with the right token. A user name is
// matched whatever its case, in logins, in what fails, and in the users a file may hold.
import { describe, expect, it } from 'vitest';
import { ensureHome, resolveHome } from '../../../app/core/home.ts';
import { Authenticator, FailedLogins, failedUserLogins } from '../../../app/server/subsonic/auth.ts';
import { Params } from '../../../app/server/subsonic/params.ts';
import {
  addKey,
  readUsers,
  removeUser,
  setPassword,
  UsersFile,
  usersPath,
} from '../../../app/server/subsonic/users.ts';
import { tokenAuth } from '../../fixtures/subsonic-library.ts';
import { tempDir } from '../../helpers.ts';

/** A home with the user alice, and its authenticator: `perAddress` failures an address may make, 3 a user
 *  name. */
function aliceAuth(perAddress: number) {
  const home = resolveHome(tempDir());
  ensureHome(home);
  setPassword(home, 'alice', 'sesame open');
  const auth = new Authenticator(
    new UsersFile(usersPath(home)),
    new FailedLogins(perAddress, 60_000),
    false,
    failedUserLogins(3, 60_000),
  );
  return { home, auth };
}

describe('failed logins per user name', () => {
  const { auth } = aliceAuth(100);
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

describe('user names, whatever their case', () => {
  const { home, auth } = aliceAuth(3);
  const login = (user: string, address: string, password = 'sesame open') =>
    auth.user(new Params(new URLSearchParams(tokenAuth(user, password))), address);

  it('logs alice in as Alice or ALICE, as a phone capitalizes her name, none of it a failure', () => {
    for (let i = 0; i < 5; i++)
      for (const name of ['Alice', 'ALICE', 'alice']) expect(login(name, '10.0.1.1')).toBe('alice');
  });

  it("counts a guess at Alice's password as one at alice's", () => {
    for (const [name, address] of [
      ['Alice', '10.0.2.1'],
      ['ALICE', '10.0.2.2'],
      ['aLiCe', '10.0.2.3'],
    ] as const)
      expect(() => login(name, address, 'guess')).toThrow('Wrong username or password');
    expect(() => login('alice', '10.0.2.4')).toThrow(/too many failed logins as alice lately/);
  });

  it('refuses a user whose name differs from one there only in case, saying why', () => {
    expect(() => setPassword(home, 'Alice', 'another')).toThrow(
      'there is a Subsonic user "alice" already, and logins match user names whatever their case: "Alice" would be the same user (use "alice")',
    );
    expect(() => addKey(home, 'ALICE')).toThrow(/there is a Subsonic user "alice" already/);
    expect(() => removeUser(home, 'Alice')).toThrow('there is no Subsonic user "Alice" (there is "alice")');
    expect(Object.keys(readUsers(usersPath(home)))).toEqual(['alice']);
    // Her own name, as she was made: a new password, a key.
    setPassword(home, 'alice', 'sesame open');
    addKey(home, 'alice');
  });
});
