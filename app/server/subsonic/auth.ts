// Who a request comes from. Token authentication (u, t = md5(password + s), s) and the
// apiKeyAuthentication extension (apiKey, without u); a password sent as it is (p) is refused (42): it
// would travel in every address a client logs. A salt that opened one request opens only that request
// again — a player asks again for a stream's byte ranges with the same address — and any other request
// with it is refused (40: a replay). Failed attempts are counted per client address: past MAX_FAILURES
// in a window, every attempt from it is refused until the window has passed, right or wrong.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ERROR, SubsonicError } from './errors.ts';
import type { Params } from './params.ts';
import type { UsersFile } from './users.ts';

export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 60_000;
/** Client addresses whose failures are remembered (the oldest forgotten first). */
const MAX_ADDRESSES = 10_000;
/** Salts remembered per user: far more than a client's requests in a day. */
export const MAX_SALTS = 50_000;

const md5 = (text: string): Buffer => createHash('md5').update(text, 'utf8').digest();

export class FailedLogins {
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly #max: number;
  readonly #windowMs: number;
  constructor(max = MAX_FAILURES, windowMs = FAILURE_WINDOW_MS) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /** Refuses an address that failed too often lately. */
  check(address: string, now = Date.now()): void {
    const f = this.#failures.get(address);
    if (!f) return;
    if (now - f.since >= this.#windowMs) this.#failures.delete(address);
    else if (f.count >= this.#max)
      throw new SubsonicError(
        ERROR.wrongPassword,
        `too many failed logins from ${address}: try again in ${Math.ceil((f.since + this.#windowMs - now) / 1000)} s`,
      );
  }

  fail(address: string, now = Date.now()): void {
    const f = this.#failures.get(address);
    if (f && now - f.since < this.#windowMs) f.count++;
    else {
      this.#failures.delete(address);
      this.#failures.set(address, { count: 1, since: now });
      if (this.#failures.size > MAX_ADDRESSES) this.#failures.delete(this.#failures.keys().next().value!);
    }
  }
}

/** Salts that opened a request, per user, each with the request it opened. */
class SeenSalts {
  readonly #byUser = new Map<string, Map<string, string>>();

  /** Whether `salt` may open `request` for `user` (and remembers it). */
  admit(user: string, salt: string, request: string): boolean {
    const salts = this.#byUser.get(user) ?? new Map<string, string>();
    this.#byUser.set(user, salts);
    const opened = salts.get(salt);
    if (opened !== undefined) return opened === request;
    salts.set(salt, request);
    if (salts.size > MAX_SALTS) salts.delete(salts.keys().next().value!);
    return true;
  }
}

export class Authenticator {
  readonly #users: UsersFile;
  readonly #failures: FailedLogins;
  readonly #salts = new SeenSalts();

  constructor(users: UsersFile, failures = new FailedLogins()) {
    this.#users = users;
    this.#failures = failures;
  }

  /**
   * The user the request is from, or the protocol's error. `request`: what identifies the request as a
   * whole (its method and every parameter), to tell a repeated request from a replayed salt.
   */
  user(params: Params, address: string, request: string): string {
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
    if (p !== undefined)
      throw new SubsonicError(
        ERROR.mechanismNotSupported,
        'Provided authentication mechanism not supported: Sleeve takes a token (t and s) or an API key, never the password itself',
      );
    const user = params.required('u');
    const token = params.required('t');
    const salt = params.required('s');
    this.#failures.check(address);
    const password = this.#users.user(user)?.password;
    const given = /^[0-9a-fA-F]{32}$/.test(token) ? Buffer.from(token, 'hex') : undefined;
    if (
      password === null ||
      password === undefined ||
      given === undefined ||
      salt.length > 256 ||
      !timingSafeEqual(given, md5(password + salt))
    )
      return this.#refuse(address, ERROR.wrongPassword, 'Wrong username or password');
    if (salt.length < 6)
      return this.#refuse(address, ERROR.wrongPassword, 'a salt (s) has at least 6 characters');
    if (!this.#salts.admit(user, salt, request))
      return this.#refuse(
        address,
        ERROR.wrongPassword,
        'this salt (s) opened another request before: a client makes a new salt for each request',
      );
    return user;
  }

  #refuse(address: string, code: 40 | 44, message: string): never {
    this.#failures.fail(address);
    throw new SubsonicError(code, message);
  }
}
