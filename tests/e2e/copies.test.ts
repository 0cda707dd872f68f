// Copies and related recordings in Debian's Chromium: the Duplicates view shows a recording's copies with
// the cut one partial, and an extended version as a related recording of its own; "not this recording"
// splits a copy out and "Same recording" joins two tracks, each undone from its notice.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { writeCutAndExtended } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

describe('copies and related recordings in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    writeCutAndExtended(music, 'aspen');
    tool('metaflac', ['--set-tag=TITLE=Aspen', '--set-tag=ARTIST=Ash', join(music, 'full/aspen.flac')]);
    tool('metaflac', [
      '--set-tag=TITLE=Aspen (extended)',
      '--set-tag=ARTIST=Ash',
      join(music, 'ext/aspen-extended.flac'),
    ]);
    before = hashTree(music);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    for (const t of sleeveHereJson<Array<{ id: number; path: string }>>(home, [
      'ls',
      '--json',
      '--all-copies',
    ]))
      ids.set(t.path.slice(t.path.lastIndexOf('/') + 1), t.id);
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    expect(hashTree(music)).toEqual(before);
  });

  const group = () => page.getByRole('article');
  const copies = () => group().getByRole('row', { name: /^Copy / });
  const rows = () => page.locator('.track-table .row');
  const undo = (notice: RegExp) =>
    page.locator('.toast').filter({ hasText: notice }).getByRole('button', { name: 'Undo' }).click();

  it('lists the extended version as a recording of its own, related to the track it holds', async () => {
    await expect.poll(() => rows().count()).toBe(2);
    await page.getByRole('tab', { name: 'Duplicates', exact: true }).click();
    await expect.poll(() => copies().count()).toBe(3);
    expect(
      await group()
        .getByRole('row', { name: `Copy ${ids.get('aspen-cut.flac')}` })
        .textContent(),
    ).toContain('partial, from 0:15');
    const related = page.getByRole('region', { name: 'Related recordings' });
    await expect
      .poll(() => related.getByRole('listitem').allTextContents())
      .toEqual([
        expect.stringMatching(
          /^“Aspen \(extended\)” \(3:00\) contains (0:5\d|1:00) of “Aspen” \(1:00\), from 0:40 on$/,
        ),
      ]);
  });

  it('splits a copy out with "not this recording", and its notice undoes it', async () => {
    const mp3 = ids.get('aspen.mp3')!;
    await group()
      .getByRole('button', { name: `Not this recording: split copy ${mp3} out` })
      .click();
    await expect.poll(() => copies().count()).toBe(2);
    await page.getByRole('tab', { name: 'Tracks', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(3);
    await undo(/./);
    await expect.poll(() => rows().count()).toBe(2);
  });

  it('joins two tracks with "Same recording", and its notice undoes it', async () => {
    await rows().filter({ hasText: 'Aspen (extended)' }).click();
    await rows()
      .filter({ hasText: /^(?!.*extended).*Aspen/ })
      .click({ modifiers: ['Control'] });
    await rows().filter({ hasText: 'Aspen (extended)' }).click({ button: 'right' });
    await page
      .getByRole('menu', { name: 'Track actions' })
      .getByRole('menuitem', { name: 'Same recording' })
      .click();
    await expect.poll(() => rows().count()).toBe(1);
    await page.getByRole('tab', { name: 'Duplicates', exact: true }).click();
    await expect.poll(() => copies().count()).toBe(4);
    // One recording now: no relation left to show (the library says so; the view follows it).
    expect(sleeveHereJson<unknown[]>(home, ['dup', '--related', '--json'])).toEqual([]);
    expect(await page.getByRole('region', { name: 'Related recordings' }).count()).toBe(0);
    await undo(/./);
    await expect.poll(() => copies().count()).toBe(3);
    await expect.poll(() => page.getByRole('region', { name: 'Related recordings' }).count()).toBe(1);
  });

  it('keeps the groups with a copy its query matches, in the language of the Tracks view', async () => {
    const bar = page.getByRole('searchbox', { name: 'Query' });
    await bar.fill('artist:ash title:aspen');
    await expect.poll(() => copies().count()).toBe(3);
    await bar.fill('title:birch');
    await expect
      .poll(() => page.locator('.duplicates-view .empty').textContent())
      .toBe('No group has a copy matching this query.');
    // A field the backend does not know is marked in the bar, as in the Tracks view.
    await bar.fill('titel:aspen');
    await expect
      .poll(() => page.locator('#query-error').textContent())
      .toMatch(/unknown field "titel": did you mean title\?/);
    await bar.fill('');
    await expect.poll(() => copies().count()).toBe(3);
  });

  it('sets copy rules as previewed, and refuses, changing nothing, once the copies they keep moved on', async () => {
    const mp3 = ids.get('aspen.mp3')!;
    // Both copies edited, the MP3 last: kept by a rule, it keeps its own newer comment, which is said.
    for (const [file, comment] of [
      ['aspen.flac', 'older'],
      ['aspen.mp3', 'newer'],
    ])
      expect(sleeveHere(home, ['set', `path:full/${file}`, `comment=${comment}`, '-y']).status).toBe(0);
    const rules = page.locator('details.copy-rules');
    await rules.locator('summary').click();
    const form = rules.getByRole('form', { name: 'Add a copy rule' });
    await form.getByRole('combobox', { name: 'Rule' }).selectOption('format');
    await form.getByRole('combobox', { name: 'Format' }).selectOption('mp3');
    await form.getByRole('button', { name: 'Add rule' }).click();
    const set = rules.getByRole('button', { name: 'Set these rules' });
    expect(await set.isDisabled()).toBe(true); // nothing shown yet
    await rules.getByRole('button', { name: 'Preview' }).click();
    const shown = rules.getByRole('region', { name: 'What these rules change' });
    await expect
      .poll(() => shown.textContent())
      .toMatch(
        /1 recording would keep another copy:.*full\/aspen\.mp3 instead of .*full\/aspen\.flac — its own newer edits of comment stay/,
      );
    await set.click();
    await expect
      .poll(() =>
        group()
          .getByRole('row', { name: `Copy ${mp3}` })
          .getAttribute('class'),
      )
      .toBe('kept');
    await expect
      .poll(() => group().locator('.dup-why').textContent())
      .toBe('Kept: the 320 kbps MP3 copy — your rule: MP3 copies first');
    expect(sleeveHere(home, ['dup', '--rules']).stdout).toBe('1. format:mp3\n');

    // Shown, then the copies move (a rule set from the CLI): refused, nothing changed, shown again.
    await rules.getByRole('button', { name: 'Remove: format:mp3' }).click();
    await rules.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => shown.textContent()).toMatch(/aspen\.flac instead of .*aspen\.mp3/);
    expect(sleeveHere(home, ['dup', '--rule', 'format:flac', '-y']).status).toBe(0);
    await set.click();
    await expect
      .poll(() => rules.getByRole('alert').textContent())
      .toMatch(/changed since they were shown .*nothing was changed/);
    expect(await set.isDisabled()).toBe(true);
    expect(sleeveHere(home, ['dup', '--rules']).stdout).toBe('1. format:flac\n');
    await rules.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => shown.textContent()).toBe('No recording keeps another copy by these rules.');
    // The new preview answers the refusal: it is no longer said above it.
    await expect.poll(() => rules.getByRole('alert').count()).toBe(0);
    await set.click();
    await expect.poll(() => sleeveHere(home, ['dup', '--rules']).stdout).toMatch(/^no copy rules/);
    // Rules set elsewhere show, the draft not being changed.
    expect(sleeveHere(home, ['dup', '--rule', 'first', '-y']).status).toBe(0);
    await expect
      .poll(() => rules.getByRole('list', { name: 'Copy rules, first decides' }).textContent())
      .toMatch(/^the copy the library had first/);
    await expect.poll(() => rules.locator('summary').textContent()).toBe('Copy rules (1)');
  });
});
