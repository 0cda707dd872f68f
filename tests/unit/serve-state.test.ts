// What `sleeve serve` keeps per home and checks before starting: the access token (created once, owner-only,
// replaced when rotated or damaged, narrowed when its permissions were widened), the port last served on,
// and whether the app's page is built and as new as its sources.
import { chmodSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveHome } from '../../app/core/home.ts';
import { accessToken, lastPort, rememberPort } from '../../app/server/access-secret.ts';
import { rendererState } from '../../app/server/renderer-build.ts';
import { tempDir } from '../helpers.ts';

describe('the access token and port kept per home', () => {
  it('creates the token once, readable by its owner only, and keeps it until rotated or exposed', () => {
    const home = resolveHome(tempDir());
    mkdirSync(home.dir, { recursive: true });
    const token = accessToken(home);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = join(home.dir, 'access-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(accessToken(home)).toBe(token);
    // Readable by others for a while: it may have been read, so it is replaced.
    chmodSync(file, 0o644);
    const replaced = accessToken(home);
    expect(replaced).not.toBe(token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const rotated = accessToken(home, true);
    expect(rotated).not.toBe(replaced);
    expect(accessToken(home)).toBe(rotated);
    writeFileSync(file, 'not a token');
    expect(accessToken(home)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('remembers the last port', () => {
    const home = resolveHome(tempDir());
    mkdirSync(home.dir, { recursive: true });
    expect(lastPort(home)).toBeUndefined();
    rememberPort(home, 43117);
    expect(lastPort(home)).toBe(43117);
    writeFileSync(join(home.dir, 'serve-port'), '99999\n');
    expect(lastPort(home)).toBeUndefined();
  });
});

describe("the app's page", () => {
  it('is missing before a build, stale when older than its sources, ready when newer', () => {
    const dir = tempDir();
    expect(rendererState(dir)).toBe('missing');
    const page = join(dir, 'index.html');
    writeFileSync(page, '<!doctype html>');
    utimesSync(page, new Date('2000-01-01'), new Date('2000-01-01'));
    expect(rendererState(dir)).toBe('stale');
    const later = new Date(Date.now() + 3600_000);
    utimesSync(page, later, later);
    expect(rendererState(dir)).toBe('ready');
  });
});
