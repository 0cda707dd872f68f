// Identify never removes a credit the user entered unless the user ticks it (issue 67), in Debian's
// Chromium at 1280×800: two copies of a recording with a performer the user typed in Sleeve get their
// better-tagged copy's performer beside it (the diff says so), applied as shown; for the other, the tick
// "Also remove what you entered…" applies the copy's performer alone.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { writeCopies } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

const SOURCE = 'Real Pianist (piano)';
const MINE = 'Me (kazoo)';

describe('identify keeps the credits the user entered', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let view: Locator;
  let before: Map<string, string>;
  const performers = (name: string) => () =>
    sleeveHereJson<Array<{ tags: Record<string, string[]> }>>(home, [
      'ls',
      '--json',
      '--all-copies',
      `path:${name}`,
    ])[0]!.tags.performer;

  beforeAll(async () => {
    mkdirSync(music);
    writeCopies(music, 'song', 'other');
    tool('metaflac', [
      '--set-tag=TITLE=Amber Light',
      '--set-tag=ARTIST=The Lanterns',
      `--set-tag=PERFORMER=${SOURCE}`,
      join(music, 'song.flac'),
    ]);
    before = hashTree(music);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    for (const copy of ['song.mp3', 'song.ogg'])
      expect(sleeveHere(home, ['set', `path:${copy}`, `performer=${MINE}`, '-y']).status).toBe(0);
    app = await openApp(home);
    ({ page } = app);
    await page.setViewportSize({ width: 1280, height: 800 });
    view = page.getByRole('region', { name: 'Identify' });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    expect(hashTree(music)).toEqual(before);
  });

  /** Identify, offline, the copy `name` alone: its proposal. */
  const identify = async (name: string) => {
    await page.getByLabel('One per recording').uncheck();
    await page.getByLabel('Query').fill(`path:${name}`);
    // The file's own row: until the new query answers, the table still shows the last one's single row.
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(name)]);
    await rows.first().click();
    await page.getByRole('button', { name: 'Identify…' }).click();
    await view.getByLabel(/Offline: only/).check();
    const proposal = view.locator('ul.proposals > li');
    await expect.poll(() => proposal.count()).toBe(1);
    return proposal;
  };
  const performerRow = (proposal: Locator) =>
    proposal.locator('table.diff tr').filter({ hasText: 'performer' });

  it('proposes the copy’s performer beside the user’s, and applies it so', async () => {
    const proposal = await identify('song.mp3');
    expect(await performerRow(proposal).locator('.after').textContent()).toBe(`${SOURCE}; ${MINE}`);
    const replace = proposal.getByLabel(/Also remove what you entered/);
    expect(await replace.isChecked()).toBe(false);
    expect(await proposal.locator('.replace-kept').textContent()).toContain(`performer ${MINE}`);
    await proposal.locator('input.tick').check();
    await view.getByRole('button', { name: /^Apply/ }).click();
    await expect.poll(performers('song.mp3')).toEqual([SOURCE, MINE]);
    await expect.poll(() => view.count()).toBe(0);
  });

  it('ticked, removes what the user entered: the copy’s performer alone', async () => {
    const proposal = await identify('song.ogg');
    await proposal.getByLabel(/Also remove what you entered/).check();
    await proposal.locator('input.tick').check();
    await view.getByRole('button', { name: /^Apply/ }).click();
    await expect.poll(performers('song.ogg')).toEqual([SOURCE]);
    expect(performers('song.mp3')()).toEqual([SOURCE, MINE]);
  });
});
