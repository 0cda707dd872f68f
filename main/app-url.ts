// Where an app:// request points inside the renderer's build, or why it may not be served. Pure (no
// Electron), so the path checks are unit-tested: only files under the build folder, no traversal (plain
// or percent-encoded, slashes included), no NUL or backslash, no other host.
import { isAbsolute, join, normalize, relative, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'sleeve';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export type AppFile =
  | { readonly path: string }
  | { readonly status: 400 | 403 | 404; readonly reason: string };

export function resolveAppFile(rendererDir: string, requestUrl: string): AppFile {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST)
    return { status: 403, reason: `only ${APP_ORIGIN} is served` };
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { status: 400, reason: 'malformed percent-encoding' };
  }
  if (path.includes('\0') || path.includes('\\'))
    return { status: 400, reason: 'forbidden character in path' };
  const inside = normalize(join(rendererDir, path === '/' ? 'index.html' : path));
  const rel = relative(rendererDir, inside);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..'))
    return { status: 403, reason: 'outside the app' };
  return { path: inside };
}

/** The page's CSP: its own scripts and styles only, the backend for data, media and art. */
export function appCsp(backendOrigin: string): string {
  const ws = backendOrigin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${backendOrigin} ${ws}`,
    `img-src 'self' data: ${backendOrigin}`,
    `media-src ${backendOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
