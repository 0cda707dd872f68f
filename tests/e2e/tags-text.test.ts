// Tags as text in Debian's Chromium, at 1280×800: a selection's tags exported as CSV (downloaded, keyed by
// id and path), changed as a spreadsheet would change them, and imported into a smaller selection —
// previewed as a diff, the row naming a track outside the selection left out and said, a cell changed over
// a newer edit kept as a conflict; then saved as one edit and undone. A file with a column the library does
// not know is refused with its reason; a save after a track changed since the preview saves nothing; a
// file of 7 MiB goes from the desktop shell's page to its backend and is imported. The original files are
// never written.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp, openAsShell } from '../fixtures/browser.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';

describe('tags as text in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;
  const titles = () => sleeveHere(home, ['ls', '-f', '$title']).stdout.split('\n').slice(0, -1);

  beforeAll(async () => {
    for (const [i, name] of ['a1', 'a2', 'a3'].entries())
      makeWav(join(music, 'album', `${name}.wav`), 300 + 100 * i);
    makeWav(join(music, 'other', 'b1.wav'), 700);
    before = hashTree(music);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    for (const name of ['a1', 'a2', 'a3', 'b1'])
      expect(sleeveHere(home, ['set', `path:${name}`, `title=${name} title`, '-y']).status).toBe(0);
    app = await openApp(home, { width: 1280, height: 800 });
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  const openPanel = async (query: string, rows: number) => {
    await page.getByLabel('Query').fill(query);
    const shown = page.locator('.track-table .row');
    await expect.poll(() => shown.count()).toBe(rows);
    await shown.first().click();
    await page.keyboard.press('Control+a');
    await page.getByRole('button', { name: 'More ▾' }).click();
    await page.getByRole('menuitem', { name: 'Tags as text…' }).click();
    return page.getByRole('region', { name: 'Tags as text' });
  };

  /** A file chosen for import, as the user picks it. */
  const importFile = async (panel: ReturnType<Page['getByRole']>, path: string) => {
    await panel.getByLabel('Spreadsheet').setInputFiles(path);
  };

  it('exports a selection, imports a changed copy into part of it, keeps a newer edit, and undoes', async () => {
    let panel = await openPanel('', 4);
    const download = page.waitForEvent('download');
    await panel.getByRole('button', { name: 'Export' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('sleeve-tags.csv');
    const exported = join(dir, 'tags.csv');
    await file.saveAs(exported);
    await expect
      .poll(() => panel.locator('.hint').first().textContent())
      .toBe('4 tracks exported as sleeve-tags.csv');
    const rows = parse(readFileSync(exported), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.title)).toEqual(['a1 title', 'a2 title', 'a3 title', 'b1 title']);
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['id', 'path', 'title', '#read_at']));

    // Edited in the app's library after the export: the import must not take it back.
    expect(sleeveHere(home, ['set', 'path:a3', 'title=a3 newer', '-y']).status).toBe(0);
    const changed = rows.map((r) => ({
      ...r,
      title:
        { 'a1 title': 'a1 from the sheet', 'a3 title': 'a3 from the sheet', 'b1 title': 'b1 from the sheet' }[
          r.title!
        ] ?? r.title!,
      genre: r.path!.includes('a2') ? 'Folk, "quoted"' : r.genre!,
    }));
    const sheet = join(dir, 'changed.csv');
    writeFileSync(sheet, `\ufeff${stringify(changed, { header: true })}`); // a spreadsheet's UTF-8 BOM
    await panel.getByRole('button', { name: 'Close' }).click();

    panel = await openPanel('path:album', 3);
    await importFile(panel, sheet);
    const preview = panel.getByRole('region', { name: 'Import preview' });
    await expect
      .poll(() => preview.locator('.hint').first().textContent())
      .toBe('2 tracks would change · 1 conflict kept');
    expect(await preview.getByRole('note').textContent()).toBe(
      '1 row names a track outside the selection, left as they are: b1.wav',
    );
    expect(await preview.textContent()).toContain(
      'a3.wav title was edited since the export (now “a3 newer”)',
    );
    expect(titles()).toEqual(['a1 title', 'a2 title', 'a3 newer', 'b1 title']); // nothing saved yet

    await panel.getByRole('button', { name: 'Save import' }).click();
    await expect.poll(titles).toEqual(['a1 from the sheet', 'a2 title', 'a3 newer', 'b1 title']);
    expect(sleeveHere(home, ['ls', 'path:a2', '-f', '$genre']).stdout).toBe('Folk, "quoted"\n');
    expect(sleeveHere(home, ['conflicts']).stdout).toContain('a3 from the sheet');
    const notice = page.locator('.toast').filter({ hasText: /^Import tags from changed\.csv/ });
    await notice.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(titles).toEqual(['a1 title', 'a2 title', 'a3 newer', 'b1 title']);
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  it('refuses a file with a column the library does not know, saying which', async () => {
    const sheet = join(dir, 'unknown.csv');
    writeFileSync(sheet, `path,moood\n${join(music, 'album', 'a1.wav')},calm\n`);
    const panel = await openPanel('path:album', 3);
    await importFile(panel, sheet);
    await expect.poll(() => panel.getByRole('alert').textContent()).toMatch(/moood/);
    expect(await panel.getByRole('button', { name: 'Save import' }).isDisabled()).toBe(true);
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  it('saves nothing when a track changed after the preview, and says so', async () => {
    const sheet = join(dir, 'stale.csv');
    writeFileSync(sheet, `path,comment\n${join(music, 'album', 'a2.wav')},from the sheet\n`);
    const panel = await openPanel('path:album', 3);
    await importFile(panel, sheet);
    const preview = panel.getByRole('region', { name: 'Import preview' });
    await expect.poll(() => preview.locator('.hint').first().textContent()).toBe('1 track would change');
    expect(sleeveHere(home, ['set', 'path:a2', 'genre=Changed meanwhile', '-y']).status).toBe(0);
    await panel.getByRole('button', { name: 'Save import' }).click();
    await expect
      .poll(() => panel.getByRole('alert').textContent())
      .toMatch(/changed since the preview: review again \(a2\.wav\)/);
    expect(sleeveHere(home, ['ls', 'path:a2', '-f', '$comment']).stdout).toBe('\n');
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  /** The desktop shell on a home of the `other` folder's one track, that track's Tags as text open. */
  const shellPanel = async (name: string) => {
    const home = join(dir, name);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', join(music, 'other')])
        .status,
    ).toBe(0);
    const shell = await openAsShell(home);
    const rows = shell.page.locator('.track-table .row');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().click();
    await shell.page.getByRole('button', { name: 'More ▾' }).click();
    await shell.page.getByRole('menuitem', { name: 'Tags as text…' }).click();
    return { home, shell, panel: shell.page.getByRole('region', { name: 'Tags as text' }) };
  };

  it('exports through the desktop shell by a link that needs no app token and is good once', async () => {
    const { shell, panel } = await shellPanel('shell-home');
    try {
      await panel.getByRole('button', { name: 'Export' }).click();
      const asked = () =>
        shell.page.evaluate(() => (globalThis as { sleeveDownloads?: string[] }).sleeveDownloads ?? []);
      await expect.poll(async () => (await asked()).length).toBe(1);
      const link = `http://127.0.0.1:${shell.backend.server.port}${(await asked())[0]}`;
      const first = await fetch(link);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-disposition')).toBe('attachment; filename="sleeve-tags.csv"');
      expect(await first.text()).toContain(join(music, 'other', 'b1.wav'));
      expect((await fetch(link)).status).toBe(404);
    } finally {
      await shell.close();
    }
  });

  it('imports a file larger than a message can hold, sent from the desktop shell to its backend', async () => {
    // 7 MiB: one row, then blank lines a spreadsheet left (read past, as `sleeve import` reads them).
    const sheet = join(dir, 'large.csv');
    writeFileSync(
      sheet,
      `path,comment\n${join(music, 'other', 'b1.wav')},from a large sheet\n${'\n'.repeat(7 << 20)}`,
    );
    const { home: shellHome, shell, panel } = await shellPanel('big-import-home');
    try {
      await importFile(panel, sheet);
      const preview = panel.getByRole('region', { name: 'Import preview' });
      await expect.poll(() => preview.locator('.hint').first().textContent()).toBe('1 track would change');
      await panel.getByRole('button', { name: 'Save import' }).click();
      await expect
        .poll(() => sleeveHere(shellHome, ['ls', '-f', '$comment']).stdout)
        .toBe('from a large sheet\n');
    } finally {
      await shell.close();
    }
  });

  it('never writes the original files', () => {
    expect(hashTree(music)).toEqual(before);
  });
});
