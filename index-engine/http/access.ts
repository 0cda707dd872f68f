// Who may use the index server. It serves no web pages, so a request a browser sends on behalf of some
// page (it carries an Origin) is refused: without this, any page the user visits could POST _update or
// DELETE an index (a body without Content-Type needs no CORS preflight). On loopback, the Host header must
// name loopback too (DNS rebinding); beyond loopback, every request needs the token.

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './wire-format.ts';

export interface IndexAccess {
  /** Required as `Authorization: Bearer TOKEN` when set (always, when listening beyond loopback). */
  readonly token?: string | undefined;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)(:\d{1,5})?$/i;

/** Whether a listen address or a Host header's name is this machine's loopback. */
export function isLoopback(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws the HttpError that refuses `req`, if any. */
export function checkAccess(req: IncomingMessage, access: IndexAccess): void {
  if (req.headers.origin !== undefined)
    throw new HttpError(
      403,
      'Forbidden',
      `requests from web pages (Origin ${req.headers.origin}) are refused`,
    );
  if (access.token !== undefined) {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !sameToken(auth.slice(7), access.token))
      throw new HttpError(401, 'Unauthorized', 'this server needs Authorization: Bearer TOKEN');
    return;
  }
  if (!isLoopback(req.headers.host ?? ''))
    throw new HttpError(
      403,
      'Forbidden',
      `Host ${req.headers.host ?? '(none)'} is not this machine's loopback`,
    );
}
