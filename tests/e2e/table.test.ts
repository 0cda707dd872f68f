// The track table shaped by a user in Debian's Chromium: columns hidden, moved and added (any tag), kept
// across reloads; the order in force always marked (the default, the query's, a header's); fields edited
// in Sleeve marked; and the view, query, sort and selection kept in the address bar, so a reload or a
// bookmark opens the same list.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';

describe('the track table in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;
  const headers = () => page.locator('.track-table .header [role="columnheader"]').allTextContents();
  const sorted = () =>
    page
      .locator('.track-table [role="columnheader"]:not([aria-sort="none"])')
      .evaluateAll((cells) =>
        cells.map((c) => `${c.textContent?.replace(/[▲▼]/g, '').trim()} ${c.getAttribute('aria-sort')}`),
      );

  beforeAll(async () => {
    for (const [i, name] of ['alpha', 'beta', 'gamma'].entries())
      makeWav(join(music, 'album', `${name}.wav`), 300 + 100 * i);
    before = hashTree(music);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    expect(
      sleeveHere(home, ['set', 'path:alpha', 'title=Alpha', 'label=Warp', 'tracknumber=100', '-y']).status,
    ).toBe(0);
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    expect(hashTree(music)).toEqual(before);
  });

  it('starts with the default columns, the default order marked and the edited field marked', async () => {
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(3);
    expect(await headers()).toEqual(['#', 'Title', 'Status', 'Artist', 'Album', 'Time', 'Format', 'File ▲']);
    expect(await sorted()).toEqual(['File ascending']);
    // The default order is the path's (folder, then file), which the File header says it lists by.
    expect(await page.getByRole('button', { name: 'File ▲' }).getAttribute('title')).toBe(
      'Listed by path (folder, then file name) (the default order); click to sort by it',
    );
    const alpha = page.locator('.track-table .row').filter({ hasText: 'Alpha' });
    expect(await alpha.locator('[data-column="title"]').getAttribute('class')).toContain('edited');
    expect(await alpha.locator('[data-column="artist"]').getAttribute('class')).not.toContain('edited');
    // A track number past 99 (a box set, a long playlist) shows whole, not "1…".
    const number = alpha.locator('[data-column="tracknumber"]');
    expect(await number.textContent()).toBe('100');
    expect(await number.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    const file = alpha.locator('[data-column="file"]');
    expect(await file.textContent()).toBe('alpha.wav');
    expect(await file.getAttribute('title')).toBe(join(music, 'album', 'alpha.wav'));
  });

  it('hides, moves and adds columns (any tag), and keeps them across a reload', async () => {
    await page.getByRole('button', { name: 'Choose columns' }).click();
    const chooser = page.getByRole('dialog', { name: 'Columns' });
    await chooser.getByLabel('Format', { exact: true }).uncheck();
    await chooser.getByLabel('Path', { exact: true }).check();
    await chooser.getByRole('button', { name: 'Move Path left' }).click();
    await chooser.getByLabel('Tag to show as a column').fill('channels');
    await chooser.getByRole('button', { name: 'Add column' }).click();
    expect(await chooser.locator('.problem').textContent()).toBe('channels is a file property, not a tag.');
    await chooser.getByLabel('Tag to show as a column').fill('Label');
    await chooser.getByRole('button', { name: 'Add column' }).click();
    await chooser.getByRole('button', { name: 'Done' }).click();
    const expected = ['#', 'Title', 'Status', 'Artist', 'Album', 'Time', 'Path ▲', 'File ▲', 'label'];
    await expect.poll(headers).toEqual(expected);
    const labelOf = (title: string) =>
      page
        .locator('.track-table .row')
        .filter({ hasText: title })
        .locator('[data-column="label"]')
        .textContent();
    await expect.poll(() => labelOf('Alpha')).toBe('Warp'); // the tag's value, asked of the backend for this column
    await page.reload();
    await expect.poll(headers).toEqual(expected);
    await expect.poll(() => labelOf('Alpha')).toBe('Warp');
    // Back to the defaults.
    await page.locator('.track-table .header').click({ button: 'right' });
    await page
      .getByRole('dialog', { name: 'Columns' })
      .getByRole('button', { name: 'Default columns' })
      .click();
    await page.keyboard.press('Escape');
    await expect
      .poll(headers)
      .toEqual(['#', 'Title', 'Status', 'Artist', 'Album', 'Time', 'Format', 'File ▲']);
  });

  it("marks the query's sort and a header's, and keeps view, query, sort and selection in the address", async () => {
    await page.getByLabel('Query').fill('title-');
    await expect.poll(sorted).toEqual(['Title descending']);
    await page.getByRole('columnheader', { name: 'Time' }).getByRole('button').click();
    await expect.poll(sorted).toEqual(['Time ascending']);
    const gamma = page.locator('.track-table .row').filter({ hasText: 'gamma' });
    await gamma.click();
    const id = await gamma.getAttribute('data-id');
    await expect.poll(() => new URL(page.url()).searchParams.get('sel')).toBe(id);
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe('title-');
    expect(url.searchParams.get('sort')).toBe('duration:asc');
    expect(url.searchParams.has('token')).toBe(false);

    await page.reload();
    await expect.poll(() => page.getByLabel('Query').inputValue()).toBe('title-');
    await expect.poll(sorted).toEqual(['Time ascending']);
    await expect
      .poll(() => page.locator('.track-table .row[aria-selected="true"]').getAttribute('data-id'))
      .toBe(id);
    // An address naming a track the library no longer lists selects nothing (no editor for a ghost).
    const stale = new URL(page.url());
    stale.searchParams.set('sel', '999999');
    await page.goto(stale.toString());
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(3);
    await expect.poll(() => page.locator('aside.editor-area').count()).toBe(0);

    await page.getByRole('tab', { name: 'Albums' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('albums');
    await page.reload();
    await expect
      .poll(() => page.getByRole('tab', { name: 'Albums' }).getAttribute('aria-selected'))
      .toBe('true');
  });

  it('offers the row menu on right-click, and an editor that hides and resizes, remembered', async () => {
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await page.getByLabel('Query').fill('');
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.count()).toBe(3);
    const beta = rows.filter({ hasText: 'beta' });
    await beta.click({ button: 'right' });
    const menu = page.getByRole('menu', { name: 'Track actions' });
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([
      'Play',
      'Play next',
      'Add to queue',
      'Edit tags',
      'More like this',
      'Identify…',
      'Tools…',
      'Show in folder',
      'Copy path',
    ]);
    expect(await beta.getAttribute('aria-selected')).toBe('true'); // the clicked row is what it acts on
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await menu.getByRole('menuitem', { name: 'Copy path' }).click();
    await expect
      .poll(() => page.evaluate('navigator.clipboard.readText()'))
      .toBe(join(music, 'album', 'beta.wav'));
    expect(await menu.count()).toBe(0);
    // Show in folder says what became of it: on a desktop the file manager opens (perhaps behind the
    // browser); here, with none, xdg-open finds no opener and says so with its exit status.
    await beta.click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Show in folder' }).click();
    const folder = join(music, 'album');
    const told = page.locator('.toast').filter({
      hasText: process.env.DISPLAY
        ? `Asked the file manager to open ${folder}.`
        : `No file manager could be started for ${folder}.`,
    });
    await told.waitFor();
    // With none, the path is a click away.
    if (!process.env.DISPLAY) {
      await page.evaluate('navigator.clipboard.writeText("")');
      await told.getByRole('button', { name: 'Copy path' }).click();
      await expect
        .poll(() => page.evaluate('navigator.clipboard.readText()'))
        .toBe(join(music, 'album', 'beta.wav'));
    }
    await beta.click({ button: 'right' });
    await page.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);
    // From the keyboard: Shift+F10 opens the menu of the row the keyboard is on; Escape gives focus back.
    await beta.click();
    await page.keyboard.press('Shift+F10');
    await expect.poll(() => menu.count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate('document.activeElement?.className')).toBe('track-table');

    // Hide the editor: the table takes the room, and it stays hidden across a reload.
    const editor = page.locator('aside.editor-area');
    await editor.getByRole('button', { name: 'Hide the editor' }).click();
    expect(new URL(page.url()).searchParams.get('view')).toBeNull(); // a view change is in the address at once
    await page.reload();
    await rows.filter({ hasText: 'beta' }).click();
    await expect.poll(() => editor.getAttribute('class')).toBe('editor-area collapsed');
    // Edit tags from the menu shows it again, its first field focused.
    await rows.filter({ hasText: 'beta' }).click({ button: 'right' });
    await menu.getByRole('menuitem', { name: 'Edit tags' }).click();
    await expect.poll(() => page.evaluate('!!document.activeElement?.closest(".tag-editor")')).toBe(true);
    // E on another row at once, before its tags are read: the field is focused once it is there.
    const focusedField = () =>
      page.evaluate('document.activeElement?.labels?.[0]?.textContent ?? document.activeElement?.ariaLabel');
    for (const name of ['alpha', 'beta']) {
      await rows.filter({ hasText: name }).click();
      await page.keyboard.press('e');
      await expect.poll(focusedField).toBe('Title');
    }
    // Escape drops what was typed, then gives the keyboard back to the table.
    const title = page.getByRole('form', { name: 'Tag editor' }).getByLabel('Title', { exact: true });
    const typed = await title.inputValue();
    await page.keyboard.type('x');
    await page.keyboard.press('Escape');
    await expect.poll(() => title.inputValue()).toBe(typed);
    expect(await focusedField()).toBe('Title');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate('document.activeElement?.className')).toBe('track-table');
    // Drag its edge 100 px left: 100 px wider, kept.
    const handle = page.getByRole('separator', { name: 'Resize the editor' });
    const box = (await handle.boundingBox())!;
    const width = async () => Math.round((await editor.boundingBox())!.width);
    const before = await width();
    await page.mouse.move(box.x + 2, box.y + 100);
    await page.mouse.down();
    await page.mouse.move(box.x - 98, box.y + 100, { steps: 5 });
    await page.mouse.up();
    await expect.poll(width).toBe(before + 100);
    await page.reload();
    await rows.filter({ hasText: 'beta' }).click();
    await expect.poll(width).toBe(before + 100);
  });

  it('lists the tracks without an album or an artist under Unknown Album and Unknown Artist', async () => {
    await page.getByRole('tab', { name: 'Albums' }).click();
    const tile = page.locator('.album-tile').filter({ hasText: 'Unknown Album' });
    await expect.poll(() => tile.textContent()).toBe('♪Unknown AlbumUnknown Artist3 tracks');
    const entries = await page.evaluate<number>('window.history.length');
    await tile.click();
    await expect.poll(() => page.getByLabel('Query').inputValue()).toBe('^album: ^albumartist: ^artist:');
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(3);
    // Its tracks take the keyboard: ↓ selects the first.
    await expect.poll(() => page.locator('.track-table:focus').count()).toBe(1);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.track-table [aria-selected="true"]').count()).toBe(1);
    await page.keyboard.press('Escape');
    // Opening an album is a step of its own: Back returns to the whole grid, and so does its tab.
    const albumsTab = page.getByRole('tab', { name: 'Albums' });
    await page.goBack();
    await expect.poll(() => albumsTab.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByLabel('Query').inputValue()).toBe('');
    await tile.click();
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(3);
    await albumsTab.click();
    await expect.poll(() => page.getByLabel('Query').inputValue()).toBe('');
    // As Back went: one entry for the grid, not a second one alike (Back from there leaves the grid).
    await expect.poll(() => page.evaluate<number>('window.history.length')).toBe(entries + 1);
    await tile.click();
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(3);
    await page.keyboard.press('Escape');
    await page.locator('body').press('2');
    await expect.poll(() => page.getByLabel('Query').inputValue()).toBe('');
    await expect.poll(() => albumsTab.getAttribute('aria-selected')).toBe('true');
    await tile.click();
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(3);
    await page.getByRole('tab', { name: 'Artists' }).click();
    const unknown = page.locator('.artist-row').filter({ hasText: 'Unknown Artist' });
    await expect.poll(() => unknown.count()).toBe(1);
    // Each view shown is a step too: Back returns to the album's tracks, then to the grid.
    await page.goBack();
    await expect
      .poll(() => page.getByRole('tab', { name: 'Tracks' }).getAttribute('aria-selected'))
      .toBe('true');
    await expect.poll(() => page.getByLabel('Query').inputValue()).toBe('^album: ^albumartist: ^artist:');
    await page.goBack();
    await expect.poll(() => albumsTab.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByLabel('Query').inputValue()).toBe('');
  });

  it('opens an album in play order, and an artist album by album, whatever the files are named', async () => {
    const set = (query: string, ...tags: string[]) =>
      expect(sleeveHere(home, ['set', query, ...tags, '-y']).status).toBe(0);
    set('path:album/', 'album=Night Roads', 'artist=Ada North');
    set('path:gamma', 'tracknumber=1');
    set('path:alpha', 'tracknumber=2');
    set('path:beta', 'tracknumber=3');
    const order = async () =>
      (await page.locator('.track-table .row').allTextContents()).map((t) => /alpha|beta|gamma/.exec(t)?.[0]);
    await page.getByRole('tab', { name: 'Albums' }).click();
    await page.locator('.album-tile').filter({ hasText: 'Night Roads' }).click();
    await expect.poll(order).toEqual(['gamma', 'alpha', 'beta']);
    expect(await sorted()).toEqual(['# ascending']);
    await page.getByRole('tab', { name: 'Artists' }).click();
    await page.locator('.artist-row').filter({ hasText: 'Ada North' }).click();
    await expect.poll(order).toEqual(['gamma', 'alpha', 'beta']);
    expect(hashTree(music)).toEqual(before);
  });

  it('offers the query with a mistyped value put right, as the library spells it', async () => {
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await page.getByLabel('Query').fill('artist:"ada nroth" tracknumber:1..');
    const empty = page.locator('.table-area .empty');
    await expect
      .poll(() => empty.locator('p').first().textContent())
      .toBe('No tracks match “artist:"ada nroth" tracknumber:1..”.');
    await empty.getByRole('button', { name: 'artist:"Ada North" tracknumber:1..' }).click();
    await expect.poll(() => page.getByLabel('Query').inputValue()).toBe('artist:"Ada North" tracknumber:1..');
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(3);
  });
});
