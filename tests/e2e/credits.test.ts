// Credits in the app (issue 67), in Debian's Chromium at 1280×800: the Composer, Work, Conductor and
// Performers columns chosen and filled, a `composer:` query (and `performer:`), and the editor listing a
// track's performers a line each, a line added and saved like any multi-valued field.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';

const SWAN = 'Swan Lake, op. 20: Act II, no. 13: Danses des cygnes';

describe('credits in the app', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;
  const headers = () => page.locator('.track-table .header [role="columnheader"]').allTextContents();
  const rows = () => page.locator('.track-table .row');
  const cell = (title: string, column: string) =>
    rows().filter({ hasText: title }).locator(`[data-column="${column}"]`).textContent();

  beforeAll(async () => {
    for (const [i, name] of ['cygnes', 'knowing', 'prelude'].entries())
      makeWav(join(music, 'album', `${name}.wav`), 300 + 100 * i);
    before = hashTree(music);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    const set = (path: string, ...fields: string[]) =>
      expect(sleeveHere(home, ['set', `path:${path}`, ...fields, '-y']).status).toBe(0);
    set(
      'cygnes',
      'title=Danses des cygnes',
      'composer=Tchaikovsky',
      `work=${SWAN}`,
      'conductor=Charles Dutoit',
      'performer=Orchestre symphonique de Montréal (orchestra)',
    );
    set('knowing', 'title=Knowing Me', 'performer=Frida (solo vocals)', 'performer=Michael Brecker (EWI)');
    set('prelude', 'title=Prelude', 'composer=Johann Sebastian Bach');
    app = await openApp(home);
    ({ page } = app);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    expect(hashTree(music)).toEqual(before);
  });

  it('shows the Composer, Work, Conductor and Performers columns, filled', async () => {
    await expect.poll(() => rows().count()).toBe(3);
    await page.getByRole('button', { name: 'Choose columns' }).click();
    const chooser = page.getByRole('dialog', { name: 'Columns' });
    for (const label of ['Format', 'Status', 'Album', 'Time (length)'])
      await chooser.getByLabel(label, { exact: true }).uncheck();
    for (const label of ['Composer', 'Work', 'Conductor', 'Performers'])
      await chooser.getByLabel(label, { exact: true }).check();
    await chooser.getByRole('button', { name: 'Done' }).click();
    await expect
      .poll(headers)
      .toEqual(['#', 'Title', 'Artist', 'File ▲', 'Composer', 'Work', 'Conductor', 'Performers']);
    await expect.poll(() => cell('Danses des cygnes', 'composer')).toBe('Tchaikovsky');
    expect(await cell('Danses des cygnes', 'work')).toBe(SWAN);
    expect(await cell('Danses des cygnes', 'conductor')).toBe('Charles Dutoit');
    expect(await cell('Knowing Me', 'performer')).toBe('Frida (solo vocals); Michael Brecker (EWI)');
    // With no track selected (no editor), every column is in view at 1280 px.
    const right = (selector: string) =>
      page
        .locator(selector)
        .last()
        .evaluate((e) => e.getBoundingClientRect().right);
    expect(await right('.track-table .header [role="columnheader"]')).toBeLessThanOrEqual(
      await right('.track-table'),
    );
  });

  it('finds tracks by composer: and performer:', async () => {
    await page.getByLabel('Query').fill('composer:tchaik');
    await expect.poll(() => rows().allTextContents()).toHaveLength(1);
    expect(await cell('Danses des cygnes', 'composer')).toBe('Tchaikovsky');
    await page.getByLabel('Query').fill('composer:');
    await expect.poll(() => rows().count()).toBe(2);
    await page.getByLabel('Query').fill('performer:"solo vocals"');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().textContent()).toContain('Knowing Me');
  });

  it('lists a track’s performers a line each in the editor; a line added is saved as one more value', async () => {
    await page.getByLabel('Query').fill('');
    await expect.poll(() => rows().count()).toBe(3);
    await rows().filter({ hasText: 'Knowing Me' }).click();
    const performers = page.getByRole('textbox', { name: 'Performers', exact: true });
    await expect.poll(() => performers.inputValue()).toBe('Frida (solo vocals)\nMichael Brecker (EWI)');
    expect(await performers.getAttribute('rows')).toBe('2');
    await performers.press('Control+End');
    await performers.pressSequentially('\nOla Brunkert (membranophone)');
    await performers.press('Control+Enter');
    await expect
      .poll(() => sleeveHere(home, ['ls', 'performer:brunkert', '-f', '$title']).stdout.trim())
      .toBe('Knowing Me');
    const info = JSON.parse(
      sleeveHere(home, [
        'info',
        sleeveHere(home, ['ls', 'title:knowing', '-f', '$id']).stdout.trim(),
        '--json',
      ]).stdout,
    ) as { fields: Array<{ key: string; effective: string[] }> };
    expect(info.fields.find((f) => f.key === 'performer')?.effective).toEqual([
      'Frida (solo vocals)',
      'Michael Brecker (EWI)',
      'Ola Brunkert (membranophone)',
    ]);
    await expect.poll(() => cell('Knowing Me', 'performer')).toContain('Ola Brunkert (membranophone)');
  });
});
