// Serves the built renderer (renderer/dist): hashed assets cached for good, index.html never cached and
// given the token (a tab opened on the bare URL, authorized by the cookie, can then open /rpc),
// unknown paths answered with index.html (one-page app); nothing outside the folder is reachable.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { webContentType } from '../../kit/web-content-type.ts';
import { sendError } from './media.ts';

/** The file under `root` for a URL path, or undefined when the path tries to leave it. */
export function resolveUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const path = normalize(join(root, decoded));
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep) ? path : undefined;
}

export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  urlPath: string,
  page: { headers: Record<string, string>; transform(html: string): string },
): Promise<void> {
  const wanted = resolveUnder(root, urlPath === '/' ? '/index.html' : urlPath);
  if (!wanted) return sendError(res, 400, 'bad path');
  let path = wanted;
  let info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    if (urlPath.startsWith('/assets/')) return sendError(res, 404, `no such file: ${urlPath}`);
    path = join(root, 'index.html');
    info = await stat(path).catch(() => undefined);
    if (!info?.isFile())
      return sendError(res, 503, 'the app is not built yet: run `npm run web` (it builds, then serves)');
  }
  if (path.endsWith('.html')) {
    const html = page.transform(await readFile(path, 'utf8'));
    res.writeHead(200, {
      'Content-Type': webContentType(path),
      'Content-Length': String(Buffer.byteLength(html)),
      'Cache-Control': 'no-store',
      ...page.headers,
    });
    res.end(req.method === 'HEAD' ? undefined : html);
    return;
  }
  res.writeHead(200, {
    'Content-Type': webContentType(path),
    'Content-Length': String(info.size),
    'Cache-Control': 'private, max-age=31536000, immutable',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(path), res).catch(() => res.destroy());
}
