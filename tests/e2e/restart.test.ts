// `sleeve serve` restarted under an open tab, in Debian's Chromium: the address (port and token) is the
// same at the next start, kept in the Sleeve home, so the tab reconnects by itself and goes on working
// without a reload, and a bookmark of the address still opens the app. `sleeve token` prints that address;
// `--rotate` makes a new token, after which the old address is refused.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveProcess } from '../fixtures/backend.ts';
import { sharedChromium } from '../fixtures/browser.ts';
import { makeWav } from '../fixtures/library.ts';
import { sleeveHere, tempDir } from '../helpers.ts';

describe('restarting the backend under an open tab', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let served: Awaited<ReturnType<typeof serveProcess>> | undefined;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    for (const [i, name] of ['harbour', 'kestrel', 'low tide'].entries())
      makeWav(join(music, `${name}.wav`), 300 + 100 * i);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    served = await serveProcess(home, { ui: true }); // builds the app's page first if it must
    browser = await sharedChromium();
    page = await browser.newPage();
  }, 180_000);

  afterAll(async () => {
    await served?.stop();
    await browser?.close();
  });

  const rows = () => page.locator('.track-table .row');

  it('keeps the address across a restart, and the tab goes on working without a reload', async () => {
    await page.goto(served!.url);
    await expect.poll(() => rows().count()).toBe(3);
    const first = served!;
    // The token is the home's, readable by its owner only.
    expect(statSync(join(home, 'access-token')).mode & 0o777).toBe(0o600);
    expect(sleeveHere(home, ['token']).stdout.trim()).toBe(first.url);

    await rows().filter({ hasText: 'harbour' }).click();
    const editor = page.getByRole('form', { name: 'Tag editor' });
    await expect.poll(() => editor.getByLabel('Artist', { exact: true }).count()).toBe(1);

    await first.stop();
    await expect
      .poll(() => page.locator('footer .problem').textContent())
      .toMatch(/backend unreachable|connecting/);
    // While it is away: the editor says so instead of "Loading tags…" forever, and a new query shows
    // that it cannot load instead of the last list's rows under it.
    await rows()
      .filter({ hasText: 'kestrel' })
      .click({ modifiers: ['Control'] });
    await expect
      .poll(() => editor.locator('.problem').textContent(), { timeout: 15_000 })
      .toBe('Sleeve’s backend is not answering: the tags load again once it is back.');
    await page.getByLabel('Query').fill('kestrel');
    await expect
      .poll(() => page.locator('.table-area [role="status"]').textContent(), { timeout: 15_000 })
      .toContain('Sleeve’s backend is not answering');
    expect(await rows().count()).toBe(0);
    served = await serveProcess(home, { ui: true });
    expect(served.url).toBe(first.url);
    await expect.poll(() => page.locator('footer .problem').count(), { timeout: 10_000 }).toBe(0);
    // The same tab, never reloaded: the query typed meanwhile loads, and it edits.
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(1);
    await rows().first().click();
    await editor.getByLabel('Artist', { exact: true }).fill('Ada North');
    await editor.getByRole('button', { name: /^Save/ }).click();
    await expect
      .poll(() => sleeveHere(home, ['ls', 'path:kestrel', '-f', '$artist']).stdout.trim())
      .toBe('Ada North');
    // A bookmark of the address opens the app after the restart too.
    const bookmark = await browser.newPage();
    await bookmark.goto(first.url);
    await expect.poll(() => bookmark.locator('.track-table .row').count()).toBe(3);
    await bookmark.close();
  });

  it('refuses the old address once the token is rotated, until the new one is used', async () => {
    const old = served!.url;
    const fresh = sleeveHere(home, ['token', '--rotate']);
    expect(fresh.stderr).toContain('a running sleeve serve keeps the old one until it is restarted');
    await served!.stop();
    served = await serveProcess(home, { ui: true });
    expect(served.url).toBe(fresh.stdout.trim());
    expect(served.url).not.toBe(old);
    expect((await fetch(old)).status).toBe(401);
    expect((await fetch(served.url)).status).toBe(200);
  });
});
