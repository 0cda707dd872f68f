import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appCsp, resolveAppFile } from '../../../main/app-url.ts';

const DIR = '/opt/sleeve/renderer/dist';

describe('app:// path checks', () => {
  it('serves the page and files under the build folder', () => {
    expect(resolveAppFile(DIR, 'app://sleeve/')).toEqual({ path: join(DIR, 'index.html') });
    expect(resolveAppFile(DIR, 'app://sleeve/assets/index-abc.js')).toEqual({
      path: join(DIR, 'assets/index-abc.js'),
    });
    expect(resolveAppFile(DIR, 'app://sleeve/assets/a%20b.css?v=1#x')).toEqual({
      path: join(DIR, 'assets/a b.css'),
    });
    // A ".." the URL parser resolves inside the folder stays inside it.
    expect(resolveAppFile(DIR, 'app://sleeve/assets/../index.html')).toEqual({
      path: join(DIR, 'index.html'),
    });
  });

  it.each([
    'app://sleeve/../../../etc/passwd',
    'app://sleeve/%2e%2e/%2e%2e/etc/passwd',
    'app://sleeve/assets%2f..%2f..%2f..%2fetc%2fpasswd',
    'app://sleeve/..%2f..%2fetc/passwd',
    'app://sleeve/%2E%2E%2F%2E%2E%2Fsecret',
  ])('refuses traversal out of the build folder: %s', (url) => {
    const found = resolveAppFile(DIR, url);
    if ('path' in found) expect(found.path.startsWith(`${DIR}/`)).toBe(true);
    else expect(found.status).toBe(403);
  });

  it('refuses encoded traversal that would leave the folder', () => {
    expect(resolveAppFile(DIR, 'app://sleeve/assets%2f..%2f..%2f..%2fetc%2fpasswd')).toMatchObject({
      status: 403,
    });
    expect(resolveAppFile(DIR, 'app://sleeve/..%2f..%2fetc/passwd')).toMatchObject({ status: 403 });
  });

  it('refuses other hosts and schemes, NUL, backslashes and bad encodings', () => {
    expect(resolveAppFile(DIR, 'app://evil/index.html')).toMatchObject({ status: 403 });
    expect(resolveAppFile(DIR, 'file:///etc/passwd')).toMatchObject({ status: 403 });
    expect(resolveAppFile(DIR, 'app://sleeve/index.html%00.png')).toMatchObject({ status: 400 });
    expect(resolveAppFile(DIR, 'app://sleeve/..%5c..%5cwindows')).toMatchObject({ status: 400 });
    expect(resolveAppFile(DIR, 'app://sleeve/%E0%A4%A')).toMatchObject({ status: 400 });
    expect(resolveAppFile(DIR, 'not a url')).toMatchObject({ status: 400 });
  });

  it('gives the page a CSP that allows only itself and the backend', () => {
    const csp = appCsp('http://127.0.0.1:4321');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('connect-src http://127.0.0.1:4321 ws://127.0.0.1:4321');
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe');
  });
});
