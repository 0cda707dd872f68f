// Web clients in a browser (Feishin's web build, Airsonic-Refix, Aonsoku) call /rest/ from a page of
// another origin, which the browser allows only when the answer says so (CORS). A Subsonic login travels in
// each request's parameters (u/t/s, apiKey), never in a cookie or an HTTP credential the browser adds by
// itself, so any page may be let read the answers, as Navidrome does: a page that holds no login gets
// nothing but the protocol's refusal. config.json's subsonic.corsOrigins may name the only pages allowed.
// Only /rest/ answers carry these headers: a share's page (/share/, its link the credential) carries none.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Any origin: the default. */
export const ANY_ORIGIN = '*';

const METHODS = 'GET, POST, HEAD, OPTIONS';
/** What a preflight allows when the browser names no headers, or names them unreadably. */
const HEADERS = 'Content-Type, Range, Authorization';
/** A browser keeps a preflight's answer this long (Firefox's most; Chromium keeps 2 hours at most). */
const MAX_AGE_S = 86_400;
/** Headers a page's script may read beyond the always readable ones: a ranged stream's, a download's name. */
const EXPOSED = 'Content-Range, Accept-Ranges, Content-Disposition';
/** A list of header names (RFC 9110 tokens), as Access-Control-Request-Headers names them. */
const HEADER_NAMES = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

/** The origin the answer lets read it: "*", the request's own when it is one of `allowed`, or none. */
function allowedOrigin(req: IncomingMessage, allowed: readonly string[]): string | undefined {
  if (allowed.includes(ANY_ORIGIN)) return ANY_ORIGIN;
  const origin = req.headers.origin;
  return origin !== undefined && allowed.includes(origin) ? origin : undefined;
}

/** Sets the CORS headers of a /rest/ answer (merged into whatever the endpoint writes). */
export function corsHeaders(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): void {
  const origin = allowedOrigin(req, allowed);
  // An answer that depends on the Origin must not be cached for another.
  if (!allowed.includes(ANY_ORIGIN)) res.setHeader('Vary', 'Origin');
  if (origin === undefined) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
}

/** Answers an OPTIONS request to /rest/ (a browser's preflight before a POST of JSON, or a request with
 *  headers of its own): 204, with the methods and headers allowed. */
export function preflight(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): void {
  corsHeaders(req, res, allowed);
  const asked = req.headers['access-control-request-headers'];
  const headers: Record<string, string> = {
    Allow: METHODS,
    'Access-Control-Allow-Methods': METHODS,
    // The headers the page asked for, when they are header names: a client's own are no risk without a
    // cookie to ride on.
    'Access-Control-Allow-Headers':
      asked !== undefined && asked.length <= 1024 && HEADER_NAMES.test(asked) ? asked : HEADERS,
    'Access-Control-Max-Age': String(MAX_AGE_S),
  };
  // Chromium asks before a public page reaches a private address (a home server from a hosted web client).
  if (req.headers['access-control-request-private-network'] === 'true')
    headers['Access-Control-Allow-Private-Network'] = 'true';
  res.writeHead(204, headers);
  res.end();
}
