// Who a request comes from. Token authentication (u, t = md5(password + s), s) and the
// apiKeyAuthentication extension (apiKey, without u). A salt may open any number of requests: desktop
// clients (Feishin, Sublime Music) work out u/t/s once at login and send them with every request, as every
// mainstream server allows; a token over plain HTTP can be replayed whatever the server does, and an API key
// or a VPN is the answer to that. A password sent as it is (p, or hex-encoded as enc:) travels in every
// address a client or proxy logs: refused (42) unless config.json's subsonic.passwordLogins allows it, and
// the refusal names that setting. Failed attempts are counted per client address: past MAX_FAILURES in a
// window, every attempt from it is refused until the window has passed, right or wrong; and per user name:
// past MAX_USER_FAILURES from anywhere, only addresses that logged in as that user before are heard. A user
// name is matched whatever its case (users.ts's nameKey), and counted so: "Alice" and "alice" fail as one.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ERROR, SubsonicError } from './errors.ts';
import type { Params } from './params.ts';
import { nameKey, type UsersFile } from './users.ts';

export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 60_000;
/** Failed logins as one user, from every address, in USER_WINDOW_MS: past them only an address that
 *  logged in as that user before is heard (guessing from many addresses is slowed; the user is not
 *  locked out of their own devices). */
export const MAX_USER_FAILURES = 30;
export const USER_WINDOW_MS = 10 * 60_000;
/** Keys (client addresses, user names) whose failures are remembered (the oldest forgotten first). */
const MAX_KEYS = 10_000;
/** Addresses remembered per user as having logged in. */
const MAX_KNOWN = 64;

const md5 = (text: string): Buffer => createHash('md5').update(text, 'utf8').digest();

/** Failed logins counted by a key (a client address, or a user name) in a window. */
export class FailedLogins {
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly #max: number;
  readonly #windowMs: number;
  /** The key in a refusal's words: "from 10.0.0.5", "as alice". */
  readonly #said: (key: string) => string;
  constructor(max = MAX_FAILURES, windowMs = FAILURE_WINDOW_MS, said = (key: string) => `from ${key}`) {
    this.#max = max;
    this.#windowMs = windowMs;
    this.#said = said;
  }

  /** Refuses a key that failed too often lately. */
  check(key: string, now = Date.now()): void {
    const f = this.#failures.get(key);
    if (!f) return;
    if (now - f.since >= this.#windowMs) this.#failures.delete(key);
    else if (f.count >= this.#max)
      throw new SubsonicError(
        ERROR.wrongPassword,
        `too many failed logins ${this.#said(key)}: try again in ${Math.ceil((f.since + this.#windowMs - now) / 1000)} s`,
      );
  }

  fail(key: string, now = Date.now()): void {
    const f = this.#failures.get(key);
    if (f && now - f.since < this.#windowMs) f.count++;
    else {
      this.#failures.delete(key);
      this.#failures.set(key, { count: 1, since: now });
      if (this.#failures.size > MAX_KEYS) this.#failures.delete(this.#failures.keys().next().value!);
    }
  }
}

/** Failed logins per user name, from any address. */
export const failedUserLogins = (max = MAX_USER_FAILURES, windowMs = USER_WINDOW_MS) =>
  new FailedLogins(
    max,
    windowMs,
    (user) => `as ${user} lately (a device that logged in before is still let in)`,
  );

/** The setting that allows a password sent as it is (config.json), as refusals name it. */
export const PASSWORD_LOGINS_SETTING = 'subsonic.passwordLogins';

/** A password as a client sends it in p: as it is, or hex-encoded after "enc:"; undefined when the hex is bad. */
function sentPassword(p: string): string | undefined {
  if (!p.startsWith('enc:')) return p;
  const hex = p.slice(4);
  return /^(?:[0-9a-fA-F]{2})*$/.test(hex) ? Buffer.from(hex, 'hex').toString('utf8') : undefined;
}

export class Authenticator {
  readonly #users: UsersFile;
  readonly #failures: FailedLogins;
  readonly #userFailures: FailedLogins;
  readonly #passwordLogins: boolean;
  /** Addresses that logged in as each user, by nameKey (the latest MAX_KNOWN). */
  readonly #known = new Map<string, Set<string>>();

  constructor(
    users: UsersFile,
    failures = new FailedLogins(),
    passwordLogins = false,
    userFailures = failedUserLogins(),
  ) {
    this.#users = users;
    this.#failures = failures;
    this.#passwordLogins = passwordLogins;
    this.#userFailures = userFailures;
  }

  /** Refuses an address, or a user name (its nameKey) from an address that never logged in as it, that
   *  failed too often. */
  #check(address: string, key: string): void {
    this.#failures.check(address);
    if (!this.#known.get(key)?.has(address)) this.#userFailures.check(key);
  }

  /** The user's name as the users file has it (what their play queue, bookmarks and shares are kept by). */
  #admitted(address: string, name: string): string {
    const key = nameKey(name);
    const known = this.#known.get(key) ?? new Set<string>();
    known.delete(address);
    known.add(address);
    if (known.size > MAX_KNOWN) known.delete(known.values().next().value!);
    if (!this.#known.has(key) && this.#known.size >= MAX_KEYS) this.#known.clear();
    this.#known.set(key, known);
    return name;
  }

  /** The user the request is from, or the protocol's error. */
  user(params: Params, address: string): string {
    const [u, t, s, p, apiKey] = ['u', 't', 's', 'p', 'apiKey'].map((n) => params.get(n));
    if (apiKey !== undefined) {
      if (u !== undefined || t !== undefined || s !== undefined || p !== undefined)
        throw new SubsonicError(
          ERROR.conflictingMechanisms,
          'Multiple conflicting authentication mechanisms provided: an apiKey comes without u, p, t or s',
        );
      this.#failures.check(address);
      const user = this.#users.byKey(apiKey);
      if (user === undefined) return this.#refuse(address, ERROR.invalidApiKey, 'Invalid API key');
      return user;
    }
    if (p !== undefined) return this.#byPassword(params.required('u'), p, address);
    const name = params.required('u');
    const key = nameKey(name);
    const token = params.required('t');
    const salt = params.required('s');
    this.#check(address, key);
    const user = this.#users.user(name);
    const password = user?.password;
    const given = /^[0-9a-fA-F]{32}$/.test(token) ? Buffer.from(token, 'hex') : undefined;
    if (
      password === null ||
      password === undefined ||
      given === undefined ||
      salt.length > 256 ||
      !timingSafeEqual(given, md5(password + salt))
    )
      return this.#refuse(address, ERROR.wrongPassword, 'Wrong username or password', key);
    // A salt of any length (the specification sets no least): its length protects nothing a salt kept for
    // a whole session (allowed above) does not, as a token, salt and all, can be replayed either way.
    return this.#admitted(address, user!.name);
  }

  /** A login by the password itself (p=): only where the user allowed it. Compared as digests, so the
   *  comparison takes as long whatever the lengths. */
  #byPassword(name: string, p: string, address: string): string {
    if (!this.#passwordLogins)
      throw new SubsonicError(
        ERROR.mechanismNotSupported,
        `Provided authentication mechanism not supported: a password sent as it is (p) is off; a token (t and s) or an API key logs in, or set ${PASSWORD_LOGINS_SETTING} to true in config.json to allow it`,
      );
    const sent = sentPassword(p);
    // A client's malformed parameter, not a guess: said as such (as a wrong password, which clients ask
    // the user about), and not counted against the address.
    if (sent === undefined)
      throw new SubsonicError(
        ERROR.wrongPassword,
        'Wrong username or password: the password after "enc:" is not hex (two hex digits a byte)',
      );
    const key = nameKey(name);
    this.#check(address, key);
    const user = this.#users.user(name);
    const password = user?.password;
    if (password === null || password === undefined)
      return this.#refuse(address, ERROR.wrongPassword, 'Wrong username or password', key);
    const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
    if (!timingSafeEqual(digest(sent), digest(password)))
      return this.#refuse(address, ERROR.wrongPassword, 'Wrong username or password', key);
    return this.#admitted(address, user!.name);
  }

  /** `key`: the user name's nameKey, its failures counted. */
  #refuse(address: string, code: 40 | 44, message: string, key?: string): never {
    this.#failures.fail(address);
    if (key !== undefined) this.#userFailures.fail(key);
    throw new SubsonicError(code, message);
  }
}
