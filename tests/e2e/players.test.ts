// The Mount view's Players in Chromium: a Navidrome (Subsonic) server added, tested, a refusing one shown
// with its reason, removed; the password never comes back to the page. The server is a fixture written
// from the Subsonic API's documentation, answering from this process (the backend runs here too). A save
// through a mount that was set aside shows with its reason, and is discarded; a save's conflict shows with
// its three values, and the tagger's is taken in one step.
import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { resolveHome } from '../../app/core/home.ts';
import { recordConflicts } from '../../app/core/library/save-conflicts.ts';
import { setAside, setAsideDir } from '../../app/core/library/set-aside-saves.ts';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { tempDir } from '../helpers.ts';

describe('players in the Mount view', () => {
  const home = join(tempDir(), 'home');
  let app: OpenApp;
  let page: Page;
  let server: Server;
  let base = '';
  const scans: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', base);
      scans.push(url.pathname);
      const ok = url.searchParams.get('u') === 'navi';
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          'subsonic-response': ok
            ? { status: 'ok', version: '1.16.1' }
            : { status: 'failed', error: { code: 40, message: 'Wrong username or password' } },
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app = await openApp(home);
    ({ page } = app);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('tab', { name: 'Mount' }).click();
  });

  afterAll(async () => {
    await app?.close();
    await new Promise((r) => server?.close(r));
  });

  const form = () => page.getByRole('form', { name: 'Add a player' });
  const listed = () => page.getByRole('list', { name: 'Players' }).getByRole('listitem');

  const addSubsonic = async (user: string) => {
    await form().getByLabel('Kind of player').selectOption('subsonic');
    await form().getByLabel('Address').fill(base);
    await form().getByLabel('User').fill(user);
    await form().getByLabel('Password').fill('sub-secret');
    await form().getByRole('button', { name: 'Add' }).click();
  };

  it('adds a server, keeps its password from the page and readable by the user only, and tests it', async () => {
    await expect.poll(() => page.getByText('No players.').isVisible()).toBe(true);
    await addSubsonic('navi');
    await expect
      .poll(() => listed().allTextContents())
      .toEqual([expect.stringContaining(`Subsonic server at ${base} (as navi)`)]);
    expect(await page.content()).not.toContain('sub-secret');
    expect(statSync(join(home, 'players.json')).mode & 0o777).toBe(0o600);
    await page.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => listed().first().textContent()).toContain('— told');
    expect(scans).toContain('/rest/startScan.view');
  });

  it('shows a server that refuses with its reason, and removes it', async () => {
    await addSubsonic('nobody');
    await expect.poll(() => listed().count()).toBe(2);
    await page.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => listed().nth(1).textContent()).toContain('refused: Wrong username or password');
    await listed()
      .nth(1)
      .getByRole('button', { name: /^Remove/ })
      .click();
    await expect.poll(() => listed().count()).toBe(1);
  });

  it('shows a save set aside with its reason: it cannot be applied, and is discarded', async () => {
    const db = openDatabase(resolveHome(home).database);
    setAside(db, setAsideDir(resolveHome(home).dir), [
      {
        id: 'bytes-e2e',
        reason: 'damaged: its checksum does not match its contents',
        entry: Buffer.from('S2 00000000 {}'),
      },
    ]);
    db.close();
    const region = page.getByRole('region', { name: 'Saves set aside' });
    await expect.poll(() => region.textContent(), { timeout: 10_000 }).toContain('damaged: its checksum');
    await region.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('it can only be discarded'));
    await region.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => region.count()).toBe(0);
  });

  it("shows a save's conflict with the three values, and takes the tagger's in one step", async () => {
    const db = openDatabase(resolveHome(home).database);
    db.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0);
      INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
        VALUES (1, 1, '/music/song.flac', 1, 0, 1, 'ok', 0, 0);
      INSERT INTO tags (file_id, key, idx, value, fold) VALUES (1, 'comment', 0, 'Library value', 'library value'),
        (1, 'genre', 0, 'Jazz', 'jazz');`);
    recordConflicts(
      db,
      [
        {
          fileId: 1,
          key: 'comment',
          path: 'Band/Song.flac',
          library: ['Library value'],
          tagger: ['Tagger value'],
          read: ['Old value'],
        },
        // The library's genre edited again since the save: shown as it is now, the tagger's not taken.
        { fileId: 1, key: 'genre', path: 'Band/Song.flac', library: ['Rock'], tagger: ['Pop'], read: [] },
      ],
      Date.now(),
      undefined,
    );
    const region = page.getByRole('region', { name: 'Save conflicts' });
    await expect.poll(() => region.textContent(), { timeout: 10_000 }).toContain('Tagger: “Tagger value”');
    expect(await region.textContent()).toContain('Library: “Library value” (the tagger read “Old value”)');
    expect(await region.textContent()).toContain('The file: /music/song.flac');
    const genre = region.getByRole('listitem', { name: 'Conflict 2: genre of Band/Song.flac' });
    expect(await genre.textContent()).toContain(
      'Library: “Jazz” (the tagger read empty)Changed since the save (it held “Rock”): edit the field, or keep the library’s.',
    );
    expect(await genre.getByRole('button', { name: 'Take the tagger’s' }).isDisabled()).toBe(true);
    await genre.getByRole('button', { name: 'Keep the library’s' }).click();
    await expect.poll(() => genre.count()).toBe(0);
    await region.getByRole('button', { name: 'Take the tagger’s' }).click();
    await expect.poll(() => region.count()).toBe(0);
    const comment = db.prepare("SELECT value FROM tags WHERE file_id = 1 AND key = 'comment'").pluck().all();
    db.close();
    expect(comment).toEqual(['Tagger value']);
  });
});
