// Who may talk to the backend: it listens on 127.0.0.1 only, and every request must carry the random
// token printed at start (header or ?token=; the cookie set when the app page was opened with it admits
// only the page and its assets). Host is checked against DNS rebinding, Origin against other web pages
// driving the API from a browser.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The cookie holding the token of the backend on `port`: cookies ignore ports, so one name for every
 *  backend let a second one's (another `--home`) replace the first's, and a reload of the first app said
 *  "wrong token". */
export const tokenCookieName = (port: number): string => `sleeve_token_${port}`;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface AccessPolicy {
  readonly token: string;
  /** Filled in once the port is known. */
  port: number;
  /** Origins besides the backend's own that may connect (the desktop shell's app:// origin). */
  readonly extraOrigins: readonly string[];
}

export type AccessProblem = { status: 401 | 403; reason: string };

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined, port: number): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [name, ...value] = part.trim().split('=');
    if (name === tokenCookieName(port)) return value.join('=');
  }
  return undefined;
}

/**
 * The token a request presents. The cookie counts only for the app page and its assets: a page on another
 * localhost port shares cookies (they ignore ports) and could embed /media or open /rpc with it; the
 * renderer puts the token in those URLs itself.
 */
export function presentedToken(req: IncomingMessage, url: URL, port: number): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  const query = url.searchParams.get('token');
  if (query !== null) return query;
  const apiPath = /^\/(media|art|rpc|upload)(\/|$)/.test(url.pathname);
  return apiPath ? undefined : cookieToken(req.headers.cookie, port);
}

export function ownOrigins(policy: AccessPolicy): string[] {
  return [`http://127.0.0.1:${policy.port}`, `http://localhost:${policy.port}`];
}

/** Why a request may not reach this backend at all (another Host, another site), or undefined: what a
 *  request that carries its own credential (an export's link) is checked for. */
export function checkPlace(req: IncomingMessage, policy: AccessPolicy): AccessProblem | undefined {
  const host = req.headers.host;
  if (host !== `127.0.0.1:${policy.port}` && host !== `localhost:${policy.port}`)
    return { status: 403, reason: `Host "${host ?? ''}" is not this backend (DNS rebinding protection)` };
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins(policy).includes(origin) && !policy.extraOrigins.includes(origin))
    return { status: 403, reason: `Origin "${origin}" may not use this backend` };
  return undefined;
}

/** Why a request may not proceed, or undefined when it may. */
export function checkAccess(req: IncomingMessage, url: URL, policy: AccessPolicy): AccessProblem | undefined {
  const misplaced = checkPlace(req, policy);
  if (misplaced) return misplaced;
  const token = presentedToken(req, url, policy.port);
  if (token === undefined)
    return { status: 401, reason: 'a token is required (open the URL that sleeve serve printed)' };
  if (!sameToken(token, policy.token)) return { status: 401, reason: 'wrong token' };
  return undefined;
}

/**
 * Lets the page read a response checkAccess admitted, whatever its origin (its own, or the desktop shell's
 * app://sleeve): the player sends media through Web Audio, which plays a cross-origin element as silence
 * unless CORS allows it.
 */
export function allowOrigin(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Vary', 'Origin');
  if (req.headers.origin !== undefined) res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
}

/** Set on the app page so its assets, media and art requests carry the token without it in every URL. */
export function tokenCookie(policy: AccessPolicy): string {
  return `${tokenCookieName(policy.port)}=${policy.token}; HttpOnly; SameSite=Strict; Path=/`;
}
