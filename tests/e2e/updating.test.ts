// Retagging a whole library in Debian's Chromium: the edit is saved at once, the footer says how many
// tracks are still being brought up to date while the app goes on answering, and once it is gone every
// track shows the edit (a synthetic library of 3,000 tracks, large-edit.test's: deriving them takes seconds on any machine).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { syntheticHome } from '../fixtures/synthetic-library.ts';

const TRACKS = 3000;

describe('a large edit in Chromium', () => {
  let app: OpenApp;
  let page: Page;
  const status = () => page.getByRole('status').filter({ hasText: 'library:' }).textContent();

  beforeAll(async () => {
    app = await openApp(await syntheticHome(TRACKS));
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('says "updating N tracks…" while the edit is derived, and every track shows it after', async () => {
    await expect.poll(status).toContain('3,000 tracks');
    await page.locator('.track-table .row').first().click();
    await page.keyboard.press('Control+a');
    await expect.poll(status).toContain('3,000 selected');
    const editor = page.getByRole('form', { name: 'Tag editor' });
    const genre = editor.getByLabel('Genre', { exact: true });
    await expect.poll(() => genre.getAttribute('placeholder')).toBe('(mixed)');
    await genre.fill('Zydeco Drone');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(status, { timeout: 60_000 }).toMatch(/updating [\d,]+ tracks…/);
    // The app answers meanwhile: a query of one album is counted.
    await page.getByLabel('Query').fill('album:"Atlas hollow 28"');
    await expect.poll(status).toMatch(/^10 tracks/);
    await expect.poll(status, { timeout: 180_000 }).not.toContain('updating');
    await page.getByLabel('Query').fill('genre:"Zydeco Drone"');
    await expect.poll(status).toMatch(/^3,000 tracks/);
  }, 300_000);
});
