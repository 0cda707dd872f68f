// The content type of a file of the built web UI, by its extension: the backend's static files and the
// desktop shell's app:// protocol serve the same build and must label it the same way.
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function webContentType(path: string): string {
  return TYPES[extname(path)] ?? 'application/octet-stream';
}
