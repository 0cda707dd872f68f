// The tag tools in Debian's Chromium: find & replace on a selection, previewed as a diff, saved as one
// edit, undone from its notice and redone from the undo's; tags from file names with a track the pattern
// does not fit left alone and named; a save refused when a track changed since its preview, then previewed
// again and saved; numbering an album held in two formats by recording, with and without the other
// copies; the tools just used saved as an action and run on another album; the original files never
// written.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { writeTwoFormatAlbum } from '../fixtures/copies.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';

describe('tag tools in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;
  const artists = () =>
    sleeveHere(home, ['ls', 'path:messy', '-f', '$artist']).stdout.split('\n').slice(0, -1);

  beforeAll(async () => {
    for (const [i, name] of ['01 - harbour lights', '02 - kestrel', 'bonus track'].entries())
      makeWav(join(music, 'messy', `${name}.wav`), 300 + 100 * i);
    before = hashTree(music);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    expect(sleeveHere(home, ['set', 'path:messy/0', 'artist=Ada North feat. Mira', '-y']).status).toBe(0);
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  const selectAll = async () => {
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.count()).toBe(3);
    await rows.first().click();
    await page.keyboard.press('Control+a');
  };

  it('finds and replaces with a preview, saves, undoes and redoes', async () => {
    await selectAll();
    await page.getByRole('button', { name: 'Tools…' }).click();
    const panel = page.getByRole('region', { name: 'Tag tools' });
    await panel.getByLabel('Find', { exact: true }).fill('feat.');
    await panel.getByLabel('Replace with').fill('ft.');
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.locator('.hint').textContent()).toBe('2 tracks would change');
    expect((await preview.getByRole('row').first().textContent())?.replace(/\s+/g, ' ')).toBe(
      'artistAda North feat. Mira→Ada North ft. Mira',
    );
    expect(artists()).toEqual(['Ada North feat. Mira', 'Ada North feat. Mira', '']); // nothing saved yet
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(artists).toEqual(['Ada North ft. Mira', 'Ada North ft. Mira', '']);
    const notice = page
      .locator('.toast')
      .filter({ hasText: /^Replace "feat\." with "ft\." in every text field on 2 tracks/ });
    // Undone by the keyboard, not the notice: the notice's Undo no longer applies, and it goes.
    await expect.poll(() => notice.count()).toBe(1);
    await page.locator('.track-table').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(artists).toEqual(['Ada North feat. Mira', 'Ada North feat. Mira', '']);
    // Gone with the undo's answer, which comes before the table shows it (not by its time running out).
    const undoneRows = async () =>
      (await page.locator('.track-table .row').allTextContents()).filter((t) => t.includes('feat.')).length;
    await expect.poll(undoneRows).toBe(2);
    expect(await notice.count()).toBe(0);
    // Redone from the history: the "Undid" notice's Redo goes too.
    const undone = page.locator('.toast').filter({ hasText: /^Undid edit/ });
    await expect.poll(() => undone.count()).toBe(1);
    await page.getByRole('tab', { name: 'History' }).click();
    // The undone edit reads dimmed, its Redo as a button that can be pressed (the whole entry was dimmed).
    const redo = page.getByRole('button', { name: /^Redo edit/ });
    const shownOpacity = (selector: typeof redo) =>
      selector.evaluate((e) => {
        let opacity = 1;
        for (let at: typeof e | null = e; at; at = at.parentElement)
          opacity *= Number(at.ownerDocument.defaultView?.getComputedStyle(at).opacity ?? 1);
        return opacity;
      });
    expect(await shownOpacity(redo)).toBe(1);
    expect(await shownOpacity(page.locator('.history li.undone .batch-desc'))).toBeLessThan(0.6);
    await redo.click();
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await expect.poll(artists).toEqual(['Ada North ft. Mira', 'Ada North ft. Mira', '']);
    expect(await undone.count()).toBe(0);

    // The history shows what the batch changed, track by track: before → after.
    await page.getByRole('tab', { name: 'History' }).click();
    const batch = page.locator('.history li').filter({ hasText: 'Replace "feat." with "ft."' });
    await batch.getByRole('button', { name: /^Changes of edit/ }).click();
    const rows = batch.getByRole('table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().locator('td').allTextContents()).toEqual([
      // A track without a title is named by its file.
      '01 - harbour lights.wav',
      'artist',
      'Ada North feat. Mira',
      'Ada North ft. Mira',
    ]);
    await page.getByRole('tab', { name: 'Tracks' }).click();
  });

  it('takes tags from file names, leaving a track the pattern does not fit and saying why', async () => {
    await selectAll();
    await page.getByRole('button', { name: 'Tools…' }).click();
    const panel = page.getByRole('region', { name: 'Tag tools' });
    await panel.getByLabel('Tool').selectOption('from-path');
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.getByRole('region', { name: 'Preview' });
    await expect
      .poll(() => preview.locator('.hint').textContent())
      .toBe('2 tracks would change · 1 track left unchanged');
    expect(await preview.textContent()).toContain(
      'bonus track.wav left as it is: the name does not fit the pattern %tracknumber% - %title%',
    );
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() =>
        sleeveHere(home, ['ls', 'path:messy', '-f', '$tracknumber $title']).stdout.split('\n').slice(0, 2),
      )
      .toEqual(['1 harbour lights', '2 kestrel']);
  });

  it('runs a Picard tagging script: what its $set changes, previewed and saved; a script that does not parse is said', async () => {
    await selectAll();
    await page.getByRole('button', { name: 'Tools…' }).click();
    const panel = page.getByRole('region', { name: 'Tag tools' });
    await panel.getByLabel('Tool').selectOption('script');
    const script = panel.getByLabel(/^Script/);
    await script.fill('$set(grouping');
    await panel.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => panel.getByRole('alert').textContent())
      .toContain('the script: 1:14: Unexpected end of script');
    await script.fill('$set(grouping,$upper($left(%title%,1)))$if(%title%,,$set(title,%_filename%))');
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.locator('.hint').textContent()).toBe('3 tracks would change');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() =>
        sleeveHere(home, ['ls', 'path:messy', '-f', '$grouping $title']).stdout.split('\n').slice(0, 3),
      )
      .toEqual(['H harbour lights', 'K kestrel', ' bonus track']);
  });

  it('refuses to save a preview a track changed since, saving nothing, and saves once previewed again', async () => {
    await selectAll();
    await page.getByRole('button', { name: 'Tools…' }).click();
    const panel = page.getByRole('region', { name: 'Tag tools' });
    await panel.getByLabel('Find', { exact: true }).fill('Ada North');
    await panel.getByLabel('Replace with').fill('Ada N.');
    await panel.getByRole('button', { name: 'Preview' }).click();
    const hint = panel.getByRole('region', { name: 'Preview' }).locator('.hint');
    await expect.poll(() => hint.textContent()).toBe('2 tracks would change');
    // Meanwhile, another client renames the first track's artist.
    expect(sleeveHere(home, ['set', 'path:messy/01', 'artist=Someone Else', '-y']).status).toBe(0);
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => panel.getByRole('alert').textContent())
      .toBe('1 track changed since the preview: review again (01 - harbour lights.wav)');
    expect(await panel.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    expect(artists()).toEqual(['Someone Else', 'Ada North ft. Mira', '']);
    await panel.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => hint.textContent()).toBe('1 track would change');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(artists).toEqual(['Someone Else', 'Ada N. ft. Mira', '']);
    expect(hashTree(music)).toEqual(before);
  });

  it('saves the tools just used as an action, which runs again on another album as one edit', async () => {
    for (const [i, name] of ['01 - first light', '02 - second wind'].entries())
      makeWav(join(music, 'other', `${name}.wav`), 700 + 100 * i);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    const originals = hashTree(music);
    await page.getByLabel('Query').fill('path:other');
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.count()).toBe(2);
    await rows.first().click();
    await page.keyboard.press('Control+a');
    await page.getByRole('button', { name: 'Tools…' }).click();
    const panel = page.getByRole('region', { name: 'Tag tools' });
    await panel.getByText('Save the tools you used as an action').click();
    const used = panel.locator('.record-action li');
    // Every tool saved in this window, in order, each ticked until the user unticks it.
    expect(await used.allTextContents()).toEqual([
      ' Replace "feat." with "ft." in every text field',
      ' Tags from file names (%tracknumber% - %title%)',
      ' Run the script $set(grouping,$upper($left(%title%,1)))$if(%title%,,$set(…',
      ' Replace "Ada North" with "Ada N." in every text field',
    ]);
    await used.nth(0).getByRole('checkbox').uncheck();
    await used.nth(3).getByRole('checkbox').uncheck();
    await panel.getByLabel('Action name').fill('tidy a new album');
    await panel.getByRole('button', { name: 'Save action (2 steps)' }).click();
    // Chosen at once, its steps shown: run on the album selected.
    await expect
      .poll(() => panel.getByRole('list', { name: 'Steps' }).locator('li').allTextContents())
      .toEqual([
        'Tags from file names (%tracknumber% - %title%)',
        'Run the script $set(grouping,$upper($left(%title%,1)))$if(%title%,,$set(…',
      ]);
    expect(sleeveHere(home, ['action', 'ls']).stdout).toMatch(/^tidy a new album {2}Tags from file names/);
    await panel.getByRole('button', { name: 'Preview' }).click();
    const hint = panel.getByRole('region', { name: 'Preview' }).locator('.hint');
    await expect.poll(() => hint.textContent()).toBe('2 tracks would change');
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() =>
        sleeveHere(home, ['ls', 'path:other', '-f', '$tracknumber $grouping $title'])
          .stdout.trim()
          .split('\n'),
      )
      .toEqual(['1 F first light', '2 S second wind']);
    await expect
      .poll(() =>
        page
          .locator('.toast')
          .filter({ hasText: /^The action "tidy a new album" \(2 steps\) on 2 tracks/ })
          .count(),
      )
      .toBe(1);
    // Removed from the list once asked again: the CLI lists it no more.
    await page.getByRole('button', { name: 'Tools…' }).click();
    await panel.getByLabel('Tool').selectOption({ label: 'tidy a new album' });
    await panel.getByRole('button', { name: 'Remove this action…' }).click();
    expect(sleeveHere(home, ['action', 'ls']).stdout).not.toBe(''); // asked, not yet removed
    await panel.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => sleeveHere(home, ['action', 'ls']).stdout).toBe('');
    await expect.poll(() => panel.getByLabel('Tool').inputValue()).toBe('replace');
    await panel.getByRole('button', { name: 'Close' }).click();
    await page.getByLabel('Query').fill('');
    expect(hashTree(music)).toEqual(originals);
  });
});

describe('tag tools on recordings in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;
  const numbers = () =>
    sleeveHere(home, ['ls', '--all-copies', '-f', '$path $tracknumber/$totaltracks'])
      .stdout.trim()
      .split('\n')
      .map((line) => line.slice(music.length + 1))
      .sort();

  beforeAll(async () => {
    writeTwoFormatAlbum(music, 'Ada North', 'Pushover Themes', ['Harbour Lights', 'Kestrel']);
    before = hashTree(music);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('numbers the recordings listed, and with "And their other copies" each copy as its recording', async () => {
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.count()).toBe(2); // one per recording: the FLACs
    await rows.first().click();
    await page.keyboard.press('Control+a');
    await page.getByRole('button', { name: 'Tools…' }).click();
    const panel = page.getByRole('region', { name: 'Tag tools' });
    await panel.getByLabel('Tool').selectOption('number');
    await panel.getByLabel('Set the total tracks').check();
    await panel.getByRole('button', { name: 'Preview' }).click();
    const hint = panel.getByRole('region', { name: 'Preview' }).locator('.hint');
    await expect
      .poll(() => hint.textContent())
      .toBe('2 tracks would change · 2 other copies left as they are');
    await panel.getByLabel('And their other copies').check();
    await expect.poll(() => hint.count()).toBe(0); // a preview is of the choice it was made with
    await panel.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => hint.textContent()).toBe('4 tracks would change');
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(numbers)
      .toEqual([
        'FLAC/1 Harbour Lights.flac 1/2',
        'FLAC/2 Kestrel.flac 2/2',
        'MP3/1 Harbour Lights.mp3 1/2',
        'MP3/2 Kestrel.mp3 2/2',
      ]);
    expect(hashTree(music)).toEqual(before);
  });
});
