// Done as the issue asks: with the app open and the library mounted, an album moved into the music
// folder appears in the table and in the mount, grouped with its existing copy, without pressing
// anything; the app says what watching took in, and the Scan view shows the folder watched. The album
// arrives whole (a rename): copied in, a machine under load could pause longer than the settle time
// between its files and report them as two takings; integration/watch.test.ts covers slow copies.
import { cpSync, mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';
import { servedNames, unmountChecked } from '../mount-helpers.ts';

describe('watched folders in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  const staging = join(dir, 'staging');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;
  const served = () => servedNames(mnt, '.wav').length;

  beforeAll(async () => {
    mkdirSync(join(music, 'Old Album'), { recursive: true });
    writeWav(join(music, 'Old Album', 'one.wav'), synthesizePiece(1, 20));
    writeWav(join(music, 'Old Album', 'two.wav'), synthesizePiece(2, 20));
    before = hashTree(join(music, 'Old Album'));
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    expect(sleeveHere(home, ['mount', mnt]).stderr).toBe('');
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    unmountChecked(home, mnt, join(music, 'Old Album'), before);
  });

  it('takes in an album moved into the music folder, in the table and the mount, grouped', async () => {
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('tab', { name: 'Scan' }).click();
    const folder = page.locator('.roots li').filter({ hasText: music });
    await expect.poll(() => folder.locator('.root-watch').textContent(), { timeout: 15_000 }).toBe('Watched');

    mkdirSync(join(staging, 'New Album'), { recursive: true });
    writeWav(join(staging, 'New Album', 'three.wav'), synthesizePiece(3, 20));
    cpSync(join(music, 'Old Album', 'one.wav'), join(staging, 'New Album', 'one (copy).wav'));
    renameSync(join(staging, 'New Album'), join(music, 'New Album'));

    const notice = page.locator('.toast').filter({ hasText: 'Watched folders: 2 added in' });
    await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(1);
    const recent = page.getByRole('region', { name: 'Taken in by watching' });
    expect(await recent.textContent()).toContain(`2 added in ${join(music, 'New Album')}`);
    await page.getByRole('tab', { name: 'Tracks' }).click();
    // One row per recording: the copy is grouped with the old one.
    await expect.poll(() => rows.allTextContents(), { timeout: 10_000 }).toHaveLength(3);
    await page.getByLabel('One per recording').uncheck();
    await expect.poll(() => rows.allTextContents(), { timeout: 10_000 }).toHaveLength(4);
    // The mount serves one file per recording too: the new recording appears there.
    await expect
      .poll(() => servedNames(mnt).some((n) => n.endsWith('three.wav')), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(served()).toBe(3);
    const groups = sleeveHereJson<Array<{ members: Array<{ path: string }> }>>(home, ['dup', '--json']);
    expect(groups.map((g) => g.members.map((m) => m.path.slice(music.length + 1)).sort())).toEqual([
      ['New Album/one (copy).wav', 'Old Album/one.wav'],
    ]);
  }, 90_000);

  it('names a link it does not follow in the Scan view: a circle back to the music folder', async () => {
    await page.getByRole('tab', { name: 'Scan' }).click();
    symlinkSync('..', join(music, 'New Album', 'up'));
    const recent = page.getByRole('region', { name: 'Taken in by watching' });
    await expect
      .poll(() => recent.textContent(), { timeout: 30_000 })
      .toContain(
        `Skipped ${join(music, 'New Album', 'up')}: a link to ${music}, this library folder: following it would go round in a circle`,
      );
    expect(served()).toBe(3);
  }, 60_000);
});
