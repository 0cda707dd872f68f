// The app end to end in Debian's Chromium (Playwright), against a real backend on a fixture library:
// scan through the UI, filter, batch-edit three tracks, undo, play and seek, set and remove a cover.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../app/server/server.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { sharedChromium, sharedRenderer } from '../fixtures/browser.ts';
import { makeImage, makeWav } from '../fixtures/library.ts';
import { copyFixtures, hashTree, sleeveHereJson, tempDir, tool } from '../helpers.ts';

interface Listed {
  tags: Record<string, string[]>;
}

describe('the app in Chromium', () => {
  let music: string;
  let homeDir: string;
  let backend: TestBackend;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let before: Map<string, string>;
  const mediaStatuses: number[] = [];

  const status = () => page.getByRole('status').first();
  const albumCells = () => page.locator('.track-table .row .cell[data-column="album"]');

  beforeAll(async () => {
    music = copyFixtures();
    // Long enough to seek in: 20 s of FLAC with tags.
    makeWav(join(music, 'Long.flac'), 330, 20);
    tool('metaflac', ['--set-tag=TITLE=Long Tone', '--set-tag=ARTIST=Delta', join(music, 'Long.flac')]);
    before = hashTree(music);
    homeDir = join(tempDir(), 'home');
    backend = await startBackend(homeDir, sharedRenderer(), { watchMs: 100 });
    server = backend.server;
    browser = await sharedChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
    page.on('response', (r) => {
      if (r.url().includes('/media/')) mediaStatuses.push(r.status());
    });
    await page.goto(server.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.close();
  });

  it('is the page users run: the production build, though the tests run with NODE_ENV=test', () => {
    const assets = join(sharedRenderer(), 'assets');
    const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    // React's development build calls jsxDEV for every element.
    for (const name of scripts) expect(readFileSync(join(assets, name), 'utf8')).not.toContain('jsxDEV');
  });

  it('starts empty, scans a folder typed into the Scan view, shows progress, then the tracks', async () => {
    await expect.poll(() => page.getByText('Your library is empty.').isVisible()).toBe(true);
    expect(page.url()).not.toContain('token='); // taken out of the address bar
    await page.getByRole('button', { name: 'Add a music folder' }).click();
    await page.getByLabel('Folder path').fill(music);
    // Progress can be brief on a small library: record whether it was ever shown.
    await page.evaluate(`
      window.sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('.scan-progress progress')) window.sawProgress = true;
      }).observe(document.body, { subtree: true, childList: true });`);
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    await expect
      .poll(() => page.getByLabel('Last scan').textContent(), { timeout: 60_000 })
      .toMatch(/15 added, 0 updated, 0 unchanged, 0 missing,\s+7 could not be read · \d+\.\d s in all/);
    expect(await page.evaluate('window.sawProgress')).toBe(true);
    await expect
      .poll(() => page.getByLabel('Files that could not be read').textContent())
      .toContain('empty file (0 bytes)');
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await expect.poll(() => status().textContent()).toContain('15 tracks');
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(15);
  });

  it('filters as the query is typed, and shows a syntax error in place without losing the list', async () => {
    const query = page.getByLabel('Query');
    await query.fill('album:"Album One"');
    await expect.poll(() => status().textContent()).toContain('3 tracks');
    await query.fill('album:"Album One');
    const error = page.locator('#query-error');
    await expect.poll(() => error.textContent()).toMatch(/unclosed " quote \(at column 7\)/);
    expect(await query.getAttribute('aria-invalid')).toBe('true');
    expect(await status().textContent()).toContain('3 tracks');
    // The rows of the last query that ran are dimmed: they are not what the bar says. Their count too.
    const table = page.locator('.table-area');
    expect(await table.getAttribute('class')).toContain('stale');
    expect(await status().locator('.stale').textContent()).toBe('3 tracks');
    // A field only the backend can know is unknown is marked in the query bar too, with a suggestion.
    await query.fill('titel:x');
    await expect
      .poll(() => error.textContent())
      .toMatch(/unknown field "titel": did you mean title\?.*\(at column 1\)/);
    expect(await query.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.problem').count()).toBe(0); // not drawn over the table
    await expect.poll(() => table.getAttribute('class')).toContain('stale');
    expect(await status().locator('.stale').count()).toBe(1);
    // The suggestion is a link: it puts the query right, and it runs.
    await error.getByRole('button', { name: 'title:x', exact: true }).click();
    expect(await query.inputValue()).toBe('title:x');
    await expect.poll(() => error.count()).toBe(0);
    await query.fill('');
    await expect.poll(() => status().textContent()).toContain('15 tracks');
    expect(await table.getAttribute('class')).not.toContain('stale');
    expect(await status().locator('.stale').count()).toBe(0);
    // Down from the query goes into the list, on its first row; Escape leaves nothing selected.
    await query.fill('album:"Album One"');
    await expect.poll(() => status().textContent()).toContain('3 tracks');
    await query.press('ArrowDown');
    await expect.poll(() => page.locator('.track-table:focus').count()).toBe(1);
    await expect.poll(() => page.locator('.track-table [aria-selected="true"]').count()).toBe(1);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.track-table [aria-selected="true"]').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.track-table [aria-selected="true"]').count()).toBe(0);
    await query.fill('');
    await expect.poll(() => status().textContent()).toContain('15 tracks');
  });

  it('batch-edits the album of three tracks, leaving their mixed titles alone', async () => {
    await page.getByLabel('Query').fill('path:"Album One"');
    await expect.poll(() => status().textContent()).toContain('3 tracks');
    const rows = page.locator('.track-table .row');
    await rows.nth(0).click();
    await rows.nth(2).click({ modifiers: ['Shift'] });
    await expect.poll(() => status().textContent()).toContain('3 selected');
    const editor = page.getByRole('form', { name: 'Tag editor' });
    await expect.poll(() => editor.getByLabel('Album', { exact: true }).inputValue()).toBe('Album One');
    expect(await editor.getByLabel('Title', { exact: true }).getAttribute('placeholder')).toBe('(mixed)');
    await editor.getByLabel('Album', { exact: true }).fill('Renamed Album');
    await editor.getByLabel('Date', { exact: true }).fill('x');
    await expect
      .poll(() => editor.locator('.field-problem').textContent())
      .toMatch(/date must be YYYY, YYYY-MM or YYYY-MM-DD/);
    expect(await editor.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await editor.getByRole('button', { name: 'Revert date' }).click();
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => albumCells().allTextContents())
      .toEqual(['Renamed Album', 'Renamed Album', 'Renamed Album']);
    const listed = sleeveHereJson<Listed[]>(homeDir, ['ls', 'album:"Renamed Album"', '--json']);
    expect(listed.map((i) => i.tags.title?.[0])).toEqual(['First', 'Second', 'Third']);
    await expect
      .poll(() => editor.locator('.field-note').first().textContent())
      .toMatch(/edited on 3 tracks; file: Album One/);
  });

  it('clears a mixed field only as an explicit "clear on N tracks" shown before saving', async () => {
    const editor = page.getByRole('form', { name: 'Tag editor' });
    const title = editor.getByLabel('Title', { exact: true });
    expect(await title.getAttribute('placeholder')).toBe('(mixed)');
    await title.fill('typed');
    await title.fill('');
    await expect.poll(() => title.getAttribute('placeholder')).toBe('(cleared on 3 tracks)');
    expect(await editor.locator('.clears').textContent()).toBe('Saving clears Title on 3 tracks');
    await editor.getByRole('button', { name: 'Revert title' }).click();
    expect(await title.getAttribute('placeholder')).toBe('(mixed)');
    expect(await editor.locator('.clears').count()).toBe(0);
    expect(
      sleeveHereJson<Listed[]>(homeDir, ['ls', 'path:"Album One"', '--json']).map((i) => i.tags.title?.[0]),
    ).toEqual(['First', 'Second', 'Third']);
  });

  it('undoes the edit with Ctrl+Z, and the history shows it undone', async () => {
    await page.locator('.track-table').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => albumCells().allTextContents()).toEqual(['Album One', 'Album One', 'Album One']);
    expect(sleeveHereJson<Listed[]>(homeDir, ['ls', 'album:"Renamed Album"', '--json'])).toEqual([]);
    await page.getByRole('tab', { name: 'History' }).click();
    await expect.poll(() => page.locator('.history li.undone').count()).toBe(1);
    expect(await page.locator('.history li.undone').textContent()).toMatch(
      /Set album to "Renamed Album" on 3 tracks/,
    );
    await page.getByRole('tab', { name: 'Tracks' }).click();
    // Ctrl+Shift+Z and Ctrl+Y redo it (Ctrl+Shift+Z had undone again); Ctrl+Z leaves it undone for the rest.
    const albums = (name: string) => Array(3).fill(name);
    await page.locator('.track-table').focus();
    const notices = (text: string) => page.locator('.toast').filter({ hasText: text });
    for (const redo of ['Control+Shift+z', 'Control+y']) {
      await page.keyboard.press(redo);
      await expect.poll(() => albumCells().allTextContents()).toEqual(albums('Renamed Album'));
      // The redo says so, with Undo; the undo's notice before it is gone.
      await expect.poll(() => notices('Redid edit').getByRole('button', { name: 'Undo' }).count()).toBe(1);
      expect(await notices('Undid edit').count()).toBe(0);
      await page.keyboard.press('Control+z');
      await expect.poll(() => albumCells().allTextContents()).toEqual(albums('Album One'));
      // One notice for the edit, the last: the redo's is gone as the undo's shows.
      await expect.poll(() => notices('Undid edit').count()).toBe(1);
      expect(await notices('Redid edit').count()).toBe(0);
    }
  });

  it('plays a track through /media and seeks with Range requests', async () => {
    await page.getByLabel('Query').fill('title:"Long Tone"');
    await expect.poll(() => status().textContent()).toContain('1 track');
    await page.locator('.track-table .row').first().dblclick();
    const audio = page.locator('audio[data-active]');
    await expect
      .poll(() => audio.evaluate((a: { currentTime: number }) => a.currentTime), { timeout: 15_000 })
      .toBeGreaterThan(0.2);
    expect(await page.locator('.now-playing').textContent()).toContain('Long Tone');
    await page.getByLabel('Seek').fill('15');
    await expect
      .poll(() => audio.evaluate((a: { currentTime: number }) => a.currentTime))
      .toBeGreaterThanOrEqual(15);
    expect(mediaStatuses).toContain(206);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => audio.evaluate((a: { paused: boolean }) => a.paused)).toBe(true);
  });

  it('sets, replaces and removes the selected track’s cover, from a file and by a drop, undoably', async () => {
    const images = tempDir();
    // 7 MB: more than one message to the backend holds (the page sends the file by itself first).
    makeImage(join(images, 'front.png'), '2200x2200', 'noise');
    makeImage(join(images, 'dropped.jpg'), '200x100', 'blue');
    const pictures = () =>
      sleeveHereJson<Array<{ pictures: Array<{ type: number; mime: string }> }>>(homeDir, [
        'art',
        'title:"Long Tone"',
        '--json',
      ])[0]!.pictures.map((p) => `${p.type} ${p.mime}`);
    await page.locator('.track-table .row').first().click();
    const cover = page.getByRole('region', { name: 'Cover' });
    await expect.poll(() => cover.textContent()).toContain('No cover');
    const shownWidth = () =>
      cover.getByAltText('Front cover').evaluate((img: { naturalWidth: number }) => img.naturalWidth);

    // A file that is no image is refused, named.
    await page
      .getByLabel('Cover image file')
      .setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('no image here') });
    await expect
      .poll(() => page.locator('.toast.error').allTextContents())
      .toContainEqual(expect.stringMatching(/^notes\.png: .*is not a PNG, JPEG, GIF, WebP or BMP image/));
    await page.getByLabel('Cover image file').setInputFiles(join(images, 'front.png'));
    await expect.poll(shownWidth).toBe(2200);
    expect(pictures()).toEqual(['3 image/png']);

    // An image dropped on the cover replaces it (the page builds the drop's DataTransfer).
    const dropped = readFileSync(join(images, 'dropped.jpg')).toString('base64');
    const transfer = await page.evaluateHandle((b64) => {
      const g = globalThis as unknown as {
        DataTransfer: new () => { items: { add(f: unknown): void } };
        File: new (parts: unknown[], name: string, o: { type: string }) => unknown;
        atob(s: string): string;
      };
      const t = new g.DataTransfer();
      t.items.add(
        new g.File([Uint8Array.from(g.atob(b64), (c) => c.charCodeAt(0))], 'dropped.jpg', {
          type: 'image/jpeg',
        }),
      );
      return t;
    }, dropped);
    await cover.dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(shownWidth).toBe(200);
    expect(pictures()).toEqual(['3 image/jpeg']);

    await cover.getByRole('button', { name: 'Remove cover' }).click();
    await expect.poll(() => cover.textContent()).toContain('No cover');
    expect(pictures()).toEqual([]);
    await page
      .locator('.toast')
      .filter({ hasText: 'Removed the cover' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await expect.poll(shownWidth).toBe(200);
    expect(pictures()).toEqual(['3 image/jpeg']);
    // In History, a cover's edit says so, with no empty table of fields.
    await page.getByRole('tab', { name: 'History' }).click();
    const newest = page.locator('.history li').first();
    await newest.getByRole('button', { name: /^Changes of edit/ }).click();
    await expect
      .poll(() => newest.locator('.batch-details p').textContent())
      .toBe('Cover art changed on 1 track.');
    expect(await newest.getByRole('table').count()).toBe(0);
    await page.getByRole('tab', { name: 'Tracks' }).click();
  });

  it('saves and opens the next track with Ctrl+Shift+Enter; the notice covers no control', async () => {
    await page.getByLabel('Query').fill('path:"Album One"');
    await expect.poll(() => status().textContent()).toContain('3 tracks');
    await page.locator('.track-table .row').nth(0).click();
    const editor = page.getByRole('form', { name: 'Tag editor' });
    const heading = editor.getByRole('heading').first();
    const comment = editor.getByLabel('Comment', { exact: true });
    for (const [i, title] of ['First', 'Second'].entries()) {
      await expect.poll(() => heading.textContent()).toContain(title);
      await comment.fill(`rhythm ${i}`);
      await comment.press('Control+Shift+Enter');
    }
    await expect.poll(() => heading.textContent()).toContain('Third');
    // The keyboard stays in the field the keys were pressed in, now the next track's.
    await expect.poll(() => comment.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    const notices = page.locator('.toast').filter({ hasText: /Saved 1 track/ });
    await expect.poll(() => notices.count()).toBe(2);
    // No control of the editor lies under a notice: a click at its centre reaches it, not the notice.
    const covered = await editor.locator('button, input, textarea').evaluateAll((controls) =>
      controls.flatMap((c) => {
        // Those the editor's pane shows (the rest are scrolled out of it).
        const r = c.getBoundingClientRect();
        const pane = c.closest('aside')!.getBoundingClientRect();
        if (r.width === 0 || r.top < pane.top || r.bottom > pane.bottom) return [];
        const hit = c.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit?.closest('.toasts') ? [c.getAttribute('aria-label') ?? c.id ?? c.textContent] : [];
      }),
    );
    expect(covered).toEqual([]);
    const listed = sleeveHereJson<Listed[]>(homeDir, ['ls', 'path:"Album One"', '--json']);
    expect(listed.map((t) => t.tags.comment?.[0] ?? null)).toEqual(['rhythm 0', 'rhythm 1', null]);
  });

  it('moves between album tiles with the arrows; Enter opens one', async () => {
    await page.getByLabel('Query').fill('');
    await page.getByRole('tab', { name: 'Albums' }).click();
    const tiles = page.locator('.album-tile');
    await expect.poll(() => tiles.count()).toBeGreaterThan(1);
    const focused = (i: number) => tiles.nth(i).evaluate((e) => e === e.ownerDocument.activeElement);
    await tiles.first().focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focused(1)).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => focused(0)).toBe(true);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('tab', { name: 'Tracks' }).getAttribute('aria-selected'))
      .toBe('true');
    await page.getByLabel('Query').fill('');
  });

  it('opens in a second tab on the bare address, with the cookie and the token the page carries', async () => {
    const tab = await page.context().newPage();
    await tab.goto(`http://127.0.0.1:${server.port}/`);
    await expect.poll(() => tab.getByRole('status').first().textContent()).toContain('15 tracks');
    await tab.close();
  });

  it('never changed an original file', () => {
    expect(hashTree(music)).toEqual(before);
  });
});
