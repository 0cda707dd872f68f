// The counts the app shows, in Chromium: the album grid holds one tile per album of the recordings (an MP3
// rip whose every track is a copy not kept is no tile; an album's year is its kept copies'), the footer
// counts as many albums, and "One per recording" off shows and counts every file's albums, the copies not
// kept dimmed.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { writeRippedAlbums } from '../fixtures/copies.ts';
import { sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

describe('album counts in Chromium', () => {
  const music = tempDir();
  const home = tempDir();
  let app: OpenApp;
  let page: Page;
  const tiles = () => page.locator('.album-tile').allTextContents();
  const footer = () => page.getByRole('status').filter({ hasText: 'library:' }).textContent();
  const stats = (...args: string[]) => sleeveHereJson<{ albums: number }>(home, ['stats', '--json', ...args]);

  beforeAll(async () => {
    writeRippedAlbums(music);
    const scan = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]);
    expect(scan.status, scan.stderr).toBe(0);
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('shows the albums of the kept copies, as many as the footer and `sleeve stats` count', async () => {
    await page.getByRole('tab', { name: 'Albums' }).click();
    await expect
      .poll(tiles)
      .toEqual(['♪Harbour SuiteAda North · 20053 tracks', '♪Pushover ThemesAda North · 20013 tracks']);
    await expect.poll(footer).toContain('library: 2 albums, 1 artist,');
    expect(stats().albums).toBe(2);
    // By the switch the Tracks view lists by (on unless turned off).
    expect(await page.getByLabel('One per recording').isChecked()).toBe(true);
  });

  it('with "One per recording" off, shows and counts the albums of every file', async () => {
    await page.getByLabel('One per recording').uncheck();
    await expect
      .poll(tiles)
      .toEqual([
        '♪Harbour SuiteAda North · 19003 tracks · 6 files',
        '♪Pushover ThemesAda North · 20013 tracks',
        '♪Pushover ThemesUnknown Ripper · 19003 tracks',
      ]);
    await expect.poll(footer).toContain('library: 3 albums, 2 artists,');
    expect(stats('--all-copies').albums).toBe(3);
    // The switch is the Tracks view's too: it lists every file.
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(12);
    // The copies players do not get read dimmed, and say so: every row but the kept copies `sleeve ls` lists.
    const kept = sleeveHereJson<Array<{ id: number }>>(home, ['ls', '--json']).map((t) => t.id);
    const rowIds = (selector: string) =>
      page.locator(selector).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))).sort());
    const every = await rowIds('.track-table .row');
    expect(await rowIds('.track-table .row.other-copy')).toEqual(every.filter((id) => !kept.includes(id)));
    // Each names the copy players get: its recording's kept copy, as `sleeve ls` lists it.
    const keptNames = sleeveHereJson<Array<{ path: string }>>(home, ['ls', '--json']).map((t) =>
      t.path.slice(t.path.lastIndexOf('/') + 1),
    );
    const named = await page
      .locator('.track-table .row.other-copy [data-column="title"]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('title')));
    for (const title of named)
      expect(keptNames).toContain(
        /another copy of this recording: players get the (?:FLAC|MP3|Vorbis|AAC|Opus) copy, (.+)\)$/.exec(
          title ?? '',
        )?.[1],
      );
    await page.getByLabel('One per recording').check();
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(6);
    // A track picked stays picked when every copy is listed (it is among them), not the other way.
    const first = page.locator('.track-table .row').first();
    const id = await first.getAttribute('data-id');
    await first.click();
    const picked = () =>
      page
        .locator('.track-table .row[aria-selected="true"]')
        .evaluateAll((r) => r.map((e) => e.getAttribute('data-id')));
    await expect.poll(picked).toEqual([id]);
    await page.getByLabel('One per recording').uncheck();
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(12);
    await expect.poll(picked).toEqual([id]);
    await page.getByLabel('One per recording').check();
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(6);
    await expect.poll(picked).toEqual([]);
  });
});
