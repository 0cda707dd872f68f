// The player in Debian's Chromium with formats the browser cannot play as they are (ALAC, AIFF, WavPack):
// the backend transcodes them, they play, and a seek lands where it was asked with the timeline in the
// track's time. A file gone since the scan is named as gone, not as a format the browser does not know.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { makeTranscodable, type Transcodable } from '../fixtures/transcodable.ts';
import { sleeveHere, tempDir } from '../helpers.ts';

const SECONDS = 20;

describe('the player with formats the backend transcodes', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let files: Transcodable;
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    files = makeTranscodable(music, SECONDS);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  const player = () => page.getByRole('region', { name: 'Player' });
  const audio = () => page.locator('audio[data-active]');
  const currentTime = () => audio().evaluate((a: { currentTime: number }) => a.currentTime);
  const shownTimes = () => player().locator('.time').allTextContents();
  const play = (name: string) => page.locator('.track-table .row').filter({ hasText: name }).dblclick();

  it.each(['alac.m4a', 'aiff.aiff', 'wavpack.wv'])('plays %s and seeks in it', async (name) => {
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(5);
    await play(name);
    await expect.poll(() => player().locator('.now-playing strong').textContent()).toBe(name);
    await expect.poll(currentTime).toBeGreaterThan(0.5);
    // The length is the library's: the stream does not say it.
    expect((await shownTimes())[1]).toBe('0:20');

    await player().getByLabel('Seek').fill('14');
    await expect.poll(() => audio().getAttribute('src')).toMatch(/[?&]start=14\b/);
    await expect.poll(currentTime).toBeGreaterThan(0.5);
    await expect.poll(async () => (await shownTimes())[0]).toMatch(/^0:1[4-9]$/);
    expect(Number(await player().getByLabel('Seek').inputValue())).toBeGreaterThanOrEqual(14);
    expect(await page.locator('.toast').count()).toBe(0);
    await player().getByRole('button', { name: 'Pause' }).click();
  });

  it('seeks to the very end of a transcoded track: it ends, and the next one plays', async () => {
    await play('aiff.aiff');
    await expect.poll(currentTime).toBeGreaterThan(0.5);
    await player().getByLabel('Seek').fill(String(SECONDS));
    await expect.poll(() => audio().getAttribute('src')).toMatch(/[?&]start=19\b/);
    // The table lists by path: alac.m4a comes after aiff.aiff.
    await expect.poll(() => player().locator('.now-playing strong').textContent()).toBe('alac.m4a');
    expect(await page.locator('.toast').count()).toBe(0);
    await player().getByRole('button', { name: 'Pause' }).click();
  });

  it('says the file is missing when it is', async () => {
    renameSync(files.alac, `${files.alac}.moved`);
    await play('alac.m4a');
    await expect
      .poll(() => page.locator('.toast').allTextContents())
      .toContainEqual(expect.stringContaining(`Cannot play “alac.m4a”: the file is missing: ${files.alac}.`));
  });
});
