// The tag tools in Debian's Chromium: find & replace on a selection, previewed as a diff, saved as one
// edit, undone from its notice and redone from the undo's; tags from file names with a track the pattern
// does not fit left alone and named; the original files never written.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeve, tempDir } from '../helpers.ts';

describe('tag tools in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;
  const artists = () => sleeve(home, ['ls', 'path:messy', '-f', '$artist']).stdout.split('\n').slice(0, -1);

  beforeAll(async () => {
    for (const [i, name] of ['01 - harbour lights', '02 - kestrel', 'bonus track'].entries())
      makeWav(join(music, 'messy', `${name}.wav`), 300 + 100 * i);
    before = hashTree(music);
    expect(sleeve(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    expect(sleeve(home, ['set', 'path:messy/0', 'artist=Ada North feat. Mira', '-y']).status).toBe(0);
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  const selectAll = async () => {
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.count()).toBe(3);
    await rows.first().click();
    await page.keyboard.press('Control+a');
  };

  it('finds and replaces with a preview, saves, undoes and redoes', async () => {
    await selectAll();
    await page.getByRole('button', { name: 'Tools…' }).click();
    const panel = page.getByRole('region', { name: 'Tag tools' });
    await panel.getByLabel('Find', { exact: true }).fill('feat.');
    await panel.getByLabel('Replace with').fill('ft.');
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.locator('.hint').textContent()).toBe('2 tracks would change');
    expect((await preview.getByRole('row').first().textContent())?.replace(/\s+/g, ' ')).toBe(
      'artistAda North feat. Mira→Ada North ft. Mira',
    );
    expect(artists()).toEqual(['Ada North feat. Mira', 'Ada North feat. Mira', '']); // nothing saved yet
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(artists).toEqual(['Ada North ft. Mira', 'Ada North ft. Mira', '']);
    const notice = page
      .locator('.toast')
      .filter({ hasText: 'Replace "feat." with "ft." in every text field on 2 track(s)' });
    await notice.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(artists).toEqual(['Ada North feat. Mira', 'Ada North feat. Mira', '']);
    await page
      .locator('.toast')
      .filter({ hasText: /^Undid edit/ })
      .getByRole('button', { name: 'Redo' })
      .click();
    await expect.poll(artists).toEqual(['Ada North ft. Mira', 'Ada North ft. Mira', '']);

    // The history shows what the batch changed, track by track: before → after.
    await page.getByRole('tab', { name: 'History' }).click();
    const batch = page.locator('.history li').filter({ hasText: 'Replace "feat." with "ft."' });
    await batch.getByRole('button', { name: /^Changes of edit/ }).click();
    const rows = batch.getByRole('table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect((await rows.first().locator('td').allTextContents()).slice(1)).toEqual([
      'artist',
      'Ada North feat. Mira',
      'Ada North ft. Mira',
    ]);
    await page.getByRole('tab', { name: 'Tracks' }).click();
  });

  it('takes tags from file names, leaving a track the pattern does not fit and saying why', async () => {
    await selectAll();
    await page.getByRole('button', { name: 'Tools…' }).click();
    const panel = page.getByRole('region', { name: 'Tag tools' });
    await panel.getByLabel('Tool').selectOption('from-path');
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.getByRole('region', { name: 'Preview' });
    await expect
      .poll(() => preview.locator('.hint').textContent())
      .toBe('2 tracks would change · 1 track left unchanged');
    expect(await preview.textContent()).toContain(
      'bonus track.wav left as it is: the name does not fit the pattern %tracknumber% - %title%',
    );
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() =>
        sleeve(home, ['ls', 'path:messy', '-f', '$tracknumber $title']).stdout.split('\n').slice(0, 2),
      )
      .toEqual(['1 harbour lights', '2 kestrel']);
    expect(hashTree(music)).toEqual(before);
  });
});
