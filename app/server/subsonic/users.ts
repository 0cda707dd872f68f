// The Subsonic server's users, in `subsonic-users.json` in the Sleeve home, readable by its owner only
// (0600, replaced in one step: access-secret.ts). Token authentication (t = md5(password + s)) needs the
// password itself on the server, so each password is kept as it was given — the protocol leaves no other
// way; that is why the file is the owner's alone, why a file others can read is refused until it is made
// private again, and why API keys (apiKeyAuthentication) are preferred: a key is printed once and kept
// only as its SHA-256. `sleeve subsonic user|key` writes the file; the server reads it again when it
// changes, so a new key or password works at once and a revoked key stops at once. A login's user name is
// matched whatever its case (as Navidrome matches it: a phone's keyboard capitalizes "Alice"), so two users
// whose names differ only in case are refused.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../kit/user-error.ts';
import type { Home } from '../../core/home.ts';
import { controlCharacter } from '../../shared/control-characters.ts';
import { writePrivate } from '../access-secret.ts';

export interface ApiKey {
  /** What lists and revokes it: the first characters of its hash. */
  readonly id: string;
  readonly sha256: string;
  readonly createdAt: number;
}

export interface SubsonicUser {
  readonly password: string | null;
  readonly keys: readonly ApiKey[];
}

export type Users = Readonly<Record<string, SubsonicUser>>;

const FILE = 'subsonic-users.json';
const MAX_NAME = 64;
const MAX_PASSWORD = 256;
/** Keys a user may hold at once: one per device is the use. */
const MAX_KEYS = 100;

export const usersPath = (home: Home): string => join(home.dir, FILE);

export const keyHash = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The users in the file; none when there is no file. Refused when others can read it. */
export function readUsers(path: string): Users {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  if ((statSync(path).mode & 0o077) !== 0)
    throw new UserError(
      'conflict',
      `${path} can be read by other users and holds passwords: make it private (chmod 600 ${path}) and set the passwords again`,
    );
  const parsed = JSON.parse(text) as { users?: Users };
  return parsed.users ?? {};
}

function writeUsers(path: string, users: Users): void {
  writePrivate(path, `${JSON.stringify({ version: 1, users }, null, 2)}\n`);
}

/** What a user name is matched by: "Alice" and "alice" are one user. */
export const nameKey = (name: string): string => name.normalize('NFC').toLowerCase();

/** The user in `users` named `name` whatever its case: its own name if it is one; else the one user whose
 *  name differs only in case (a file written before names were matched so could hold two: then neither). */
export function userNamed(users: Users, name: string): string | undefined {
  if (Object.hasOwn(users, name)) return name;
  const same = Object.keys(users).filter((n) => nameKey(n) === nameKey(name));
  return same.length === 1 ? same[0] : undefined;
}

/** Refuses a new user whose name differs from an existing one's only in case. */
function checkedNew(users: Users, name: string): void {
  const existing = userNamed(users, name);
  if (existing !== undefined && existing !== name)
    throw new UserError(
      'conflict',
      `there is a Subsonic user "${existing}" already, and logins match user names whatever their case: "${name}" would be the same user (use "${existing}")`,
    );
}

/** Why `name` is no user: none of that name, with the one it differs from only in case. */
function noUser(users: Users, name: string): string {
  const near = userNamed(users, name);
  return `there is no Subsonic user "${name}"${near === undefined ? '' : ` (there is "${near}")`}`;
}

export function checkedName(name: string): string {
  const control = controlCharacter(name);
  if (name.trim() === '' || name !== name.trim() || [...name].length > MAX_NAME || control)
    throw new UserError(
      'bad_request',
      `a user name is 1 to ${MAX_NAME} characters, without spaces around it or control characters`,
    );
  return name;
}

/** Sets (or creates the user with) a password. */
export function setPassword(home: Home, name: string, password: string): void {
  checkedName(name);
  if (password === '' || [...password].length > MAX_PASSWORD || controlCharacter(password))
    throw new UserError(
      'bad_request',
      `a password is 1 to ${MAX_PASSWORD} characters, without control characters`,
    );
  const path = usersPath(home);
  const users = readUsers(path);
  checkedNew(users, name);
  writeUsers(path, { ...users, [name]: { password, keys: users[name]?.keys ?? [] } });
}

export function removeUser(home: Home, name: string): void {
  const path = usersPath(home);
  const users = readUsers(path);
  const { [name]: gone, ...rest } = users;
  if (!gone) throw new UserError('not_found', noUser(users, name));
  writeUsers(path, rest);
}

/** A new API key for `name` (created without a password if new): returned once, kept as its hash. */
export function addKey(home: Home, name: string, now = Date.now()): { key: string; id: string } {
  checkedName(name);
  const path = usersPath(home);
  const users = readUsers(path);
  checkedNew(users, name);
  const user = users[name] ?? { password: null, keys: [] };
  if (user.keys.length >= MAX_KEYS)
    throw new UserError('conflict', `"${name}" holds ${MAX_KEYS} API keys already: revoke one first`);
  const key = randomBytes(24).toString('base64url');
  const sha256 = keyHash(key);
  const id = sha256.slice(0, 8);
  writeUsers(path, { ...users, [name]: { ...user, keys: [...user.keys, { id, sha256, createdAt: now }] } });
  return { key, id };
}

export function revokeKey(home: Home, name: string, id: string): void {
  const path = usersPath(home);
  const users = readUsers(path);
  const user = users[name];
  if (!user) throw new UserError('not_found', noUser(users, name));
  if (!user.keys.some((k) => k.id === id))
    throw new UserError('not_found', `"${name}" has no API key ${id} (sleeve subsonic key ${name} --list)`);
  writeUsers(path, { ...users, [name]: { ...user, keys: user.keys.filter((k) => k.id !== id) } });
}

/** The users file as it is now: read again only when it changed (its size, time or inode). */
export class UsersFile {
  readonly #path: string;
  #stamp = '';
  #users: Users = {};
  #byKey = new Map<string, string>();

  constructor(path: string) {
    this.#path = path;
  }

  #current(): Users {
    let stamp = 'none';
    try {
      const s = statSync(this.#path);
      stamp = `${s.ino}:${s.size}:${s.mtimeMs}:${s.mode}`;
    } catch {}
    if (stamp !== this.#stamp) {
      this.#users = readUsers(this.#path);
      this.#byKey = new Map(
        Object.entries(this.#users).flatMap(([name, u]) => u.keys.map((k) => [k.sha256, name] as const)),
      );
      this.#stamp = stamp;
    }
    return this.#users;
  }

  /** The user a login names, whatever its case, with the name it has in the file. */
  user(name: string): (SubsonicUser & { readonly name: string }) | undefined {
    const users = this.#current();
    const named = userNamed(users, name);
    return named === undefined ? undefined : { ...users[named]!, name: named };
  }

  /** The user an API key belongs to. */
  byKey(key: string): string | undefined {
    this.#current();
    return this.#byKey.get(keyHash(key));
  }
}
