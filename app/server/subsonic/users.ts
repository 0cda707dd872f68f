// The Subsonic server's users, in `subsonic-users.json` in the Sleeve home, readable by its owner only
// (0600, replaced in one step: access-secret.ts). Token authentication (t = md5(password + s)) needs the
// password itself on the server, so each password is kept as it was given — the protocol leaves no other
// way; that is why the file is the owner's alone, why a file others can read is refused until it is made
// private again, and why API keys (apiKeyAuthentication) are preferred: a key is printed once and kept
// only as its SHA-256. `sleeve subsonic user|key` writes the file; the server reads it again when it
// changes, so a new key or password works at once and a revoked key stops at once.
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
  writeUsers(path, { ...users, [name]: { password, keys: users[name]?.keys ?? [] } });
}

export function removeUser(home: Home, name: string): void {
  const path = usersPath(home);
  const { [name]: gone, ...rest } = readUsers(path);
  if (!gone) throw new UserError('not_found', `there is no Subsonic user "${name}"`);
  writeUsers(path, rest);
}

/** A new API key for `name` (created without a password if new): returned once, kept as its hash. */
export function addKey(home: Home, name: string, now = Date.now()): { key: string; id: string } {
  checkedName(name);
  const path = usersPath(home);
  const users = readUsers(path);
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
  if (!user?.keys.some((k) => k.id === id))
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

  user(name: string): SubsonicUser | undefined {
    const users = this.#current();
    return Object.hasOwn(users, name) ? users[name] : undefined;
  }

  /** The user an API key belongs to. */
  byKey(key: string): string | undefined {
    this.#current();
    return this.#byKey.get(keyHash(key));
  }
}
