// Removing a wrongly scanned folder in Debian's Chromium: the Scan view says how many tracks leave before
// anything changes; once removed they leave the table and a mounted library; the notice's Add back scans
// the folder again and everything returns, the edit included; the same from the CLI while the app is open.
// The original files are never written.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, sleeveHereAsync, tempDir } from '../helpers.ts';
import { servedNames, unmountChecked } from '../mount-helpers.ts';

describe('library folders in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  const wrong = join(music, 'downloads');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;
  const served = () => servedNames(mnt, '.wav').length;

  beforeAll(async () => {
    for (const [i, name] of ['one', 'two'].entries())
      makeWav(join(music, 'albums', `${name}.wav`), 300 + 100 * i);
    for (const [i, name] of ['junk a', 'junk b', 'junk c'].entries())
      makeWav(join(wrong, `${name}.wav`), 600 + 100 * i);
    before = hashTree(music);
    expect(
      sleeveHere(home, [
        'scan',
        '--no-fingerprint',
        '--no-embeddings',
        '--no-loudness',
        join(music, 'albums'),
        wrong,
      ]).status,
    ).toBe(0);
    expect(sleeveHere(home, ['set', 'path:junk a', 'title=Kept Edit', '-y']).status).toBe(0);
    expect(sleeveHere(home, ['mount', mnt]).stderr).toBe('');
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    unmountChecked(home, mnt, music, before);
  });

  it('removes a folder after saying what leaves, from the table and the mount; Add back restores it', async () => {
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.count()).toBe(5);
    expect(served()).toBe(5);
    await page.getByRole('tab', { name: 'Scan' }).click();
    const folder = page.locator('.roots li').filter({ hasText: wrong });
    await folder.getByRole('button', { name: 'Remove…' }).click();
    const confirm = page.getByRole('group', { name: `Remove ${wrong}` });
    expect(await confirm.textContent()).toContain('3 files leave the library, its lists and the mount');
    // Counted as files, every copy and unreadable one (the footer counts tracks, one per recording).
    expect(await folder.locator('.root-count').textContent()).toBe('3 files');
    await confirm.getByRole('button', { name: 'Keep' }).click();
    expect(sleeveHere(home, ['ls']).stdout.trim().split('\n')).toHaveLength(5); // kept: nothing changed

    await folder.getByRole('button', { name: 'Remove…' }).click();
    await page
      .getByRole('group', { name: `Remove ${wrong}` })
      .getByRole('button', { name: 'Remove' })
      .click();
    const notice = page
      .locator('.toast')
      .filter({ hasText: `Removed ${wrong} from the library: 3 files left it` });
    await expect.poll(() => notice.count()).toBe(1);
    await expect.poll(() => page.locator('.roots li').count()).toBe(1);
    await expect.poll(served, { timeout: 10_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await expect.poll(() => rows.count()).toBe(2);

    await notice.getByRole('button', { name: 'Add back' }).click();
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(5);
    await expect.poll(served, { timeout: 10_000 }).toBe(5);
    expect(sleeveHere(home, ['ls', 'title:Kept Edit']).stdout).toContain('Kept Edit');

    // The CLI on the same library while the app is open: the table follows it. (It waits its turn while
    // the app's Add back scan still holds the library.)
    await expect.poll(() => sleeveHere(home, ['forget', wrong, '-y']).status, { timeout: 30_000 }).toBe(0);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    // Not spawnSync: the app's backend runs in this process, and its watcher may hold the scan lock.
    expect(
      (await sleeveHereAsync(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', wrong]))
        .status,
    ).toBe(0);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(5);
    expect(hashTree(music)).toEqual(before);
  });

  it('leaves a folder inside a library folder out after saying what leaves; Take back scans it in again', async () => {
    const rows = page.locator('.track-table .row');
    const inner = join(music, 'albums', 'samples');
    makeWav(join(inner, 'loop.wav'), 900);
    before = hashTree(music); // the originals, the new one among them
    expect(
      (
        await sleeveHereAsync(home, [
          'scan',
          '--no-fingerprint',
          '--no-embeddings',
          '--no-loudness',
          join(music, 'albums'),
        ])
      ).status,
    ).toBe(0);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(6);
    await page.getByRole('tab', { name: 'Scan' }).click();
    await page.getByLabel('Folder to leave out').fill(inner);
    await page.getByRole('button', { name: 'Leave out…' }).click();
    const confirm = page.getByRole('group', { name: `Leave out ${inner}` });
    expect(await confirm.textContent()).toContain('1 track leave');
    await confirm.getByRole('button', { name: 'Leave out', exact: true }).click();
    const left = page.getByRole('list', { name: 'Folders left out' });
    await expect
      .poll(() => left.getByRole('listitem').allTextContents())
      .toEqual([expect.stringContaining(inner)]);
    expect(sleeveHere(home, ['exclude', '--list']).stdout).toBe(`${inner}\n`);
    await expect.poll(served, { timeout: 10_000 }).toBe(5);
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await expect.poll(() => rows.count()).toBe(5);

    await page.getByRole('tab', { name: 'Scan' }).click();
    await left.getByRole('button', { name: 'Take back' }).click();
    await expect.poll(() => left.count()).toBe(0);
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(6);
    await expect.poll(served, { timeout: 10_000 }).toBe(6);
  });
});
