// Damage shown in Debian's Chromium: the table's Status column says a file is truncated, missing or
// unreadable (its tooltip why), `status:` finds them, and the editor of an unreadable file says why and
// offers nothing it cannot do; a missing one keeps its tags but cannot be played. The Scan view lists what
// `sleeve ls --errors` lists, the truncated file too.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { makeWav } from '../fixtures/library.ts';
import { sleeveHere, tempDir, tool } from '../helpers.ts';

describe('damaged files in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(music);
    const whole = join(music, 'whole.flac');
    makeWav(whole, 440, 20);
    tool('metaflac', ['--set-tag=TITLE=Whole', whole]);
    const bytes = readFileSync(whole);
    writeFileSync(join(music, 'cut.flac'), bytes.subarray(0, Math.floor(bytes.length * 0.31)));
    copyFileSync(whole, join(music, 'gone.flac'));
    writeFileSync(join(music, 'empty.mp3'), '');
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    rmSync(join(music, 'gone.flac'));
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  const row = (name: string) => page.locator('.track-table .row').filter({ hasText: name });
  const statusCell = (name: string) => row(name).locator('[data-column="status"]');
  const actions = () => page.locator('.aside-actions');
  const editor = () =>
    page.getByRole('region', { name: 'Tag editor' }).or(page.getByRole('form', { name: 'Tag editor' }));

  it('says which files are truncated or missing, and why in the tooltip; the whole one says nothing', async () => {
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(3);
    expect(await statusCell('cut.flac').textContent()).toBe('truncated');
    expect(await statusCell('cut.flac').getAttribute('title')).toMatch(/^truncated: 3\d% of the audio/);
    expect(await statusCell('gone.flac').textContent()).toBe('missing');
    expect(await statusCell('whole.flac').textContent()).toBe('');
    await page.getByLabel('Query').fill('status:truncated');
    await expect
      .poll(() => page.locator('.track-table .row').allTextContents())
      .toEqual([expect.stringContaining('cut.flac')]);
  });

  it('keeps a missing file’s editor but offers no playing', async () => {
    await page.getByLabel('Query').fill('status:missing');
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(1);
    await row('gone.flac').click();
    await expect
      .poll(() => editor().getByRole('note').textContent())
      .toMatch(/^Missing: the file is not there/);
    expect(await actions().getByRole('button', { name: 'Play', exact: true }).isDisabled()).toBe(true);
    expect(await actions().getByRole('button', { name: 'Identify…' }).isDisabled()).toBe(false);
    expect(await editor().getByRole('button', { name: 'Save' }).count()).toBe(1);
  });

  it('shows an unreadable file’s reason and nothing it cannot do', async () => {
    await page.getByLabel('Query').fill('status:error');
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(1);
    expect(await statusCell('empty.mp3').textContent()).toBe('error');
    await row('empty.mp3').click();
    await expect.poll(() => editor().getByRole('note').textContent()).toMatch(/^Unreadable: .+/);
    for (const name of ['Play', 'Identify…'])
      expect([name, await actions().getByRole('button', { name, exact: true }).isDisabled()]).toEqual([
        name,
        true,
      ]);
    await actions().getByRole('button', { name: 'More ▾' }).click();
    const more = page.getByRole('menu', { name: 'More actions' });
    for (const name of ['Play next', 'Add to queue', 'More like this'])
      expect([name, await more.getByRole('menuitem', { name, exact: true }).isDisabled()]).toEqual([
        name,
        true,
      ]);
    await page.keyboard.press('Escape');
    expect(await editor().getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await editor().getByRole('textbox').count()).toBe(0);
  });

  it('lists in the Scan view what sleeve ls --errors lists: the truncated file with its reason too', async () => {
    await page.getByRole('tab', { name: 'Scan' }).click();
    const problems = page.getByLabel('Files read with a problem');
    await expect.poll(() => problems.textContent()).toContain('cut.flac');
    expect(await problems.textContent()).toMatch(/1 file read with a problem.*truncated: 3\d% of the audio/);
    await expect
      .poll(() => page.getByLabel('Files that could not be read').textContent())
      .toContain('empty.mp3');
    await page.getByRole('tab', { name: 'Tracks' }).click();
  });
});
