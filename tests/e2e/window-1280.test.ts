// The Tracks view, the tag editor and the Duplicates view in a 1280×800 window, as a new user meets them:
// the editor's fields first (its actions one row above them), the table's columns readable, a field added
// in view, and in the Duplicates view each copy's own reasons as `sleeve dup` gives them.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAMAGE_WORDS } from '../../app/shared/damage.ts';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { writeTranscodes } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

const ALBUM = 'Endgame: Singularity II';

describe('the app in a 1280×800 window', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    writeTranscodes(music, 'lattice', ['TITLE=Lattice', 'ARTIST=Ada North', `ALBUM=${ALBUM}`]);
    before = hashTree(music);
    expect(sleeveHere(home, ['scan', '--no-embeddings', music]).status).toBe(0);
    for (const t of sleeveHereJson<Array<{ id: number; path: string }>>(home, [
      'ls',
      '--json',
      '--all-copies',
    ]))
      ids.set(t.path.slice(t.path.lastIndexOf('/') + 1), t.id);
    expect(sleeveHere(home, ['set', 'path:lattice.ogg', 'comment=first pressing', '-y']).status).toBe(0);
    app = await openApp(home, { width: 1280, height: 800 });
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    expect(hashTree(music)).toEqual(before);
  });

  const row = () => page.locator('.track-table .row').first();
  const editor = () => page.getByRole('form', { name: 'Tag editor' });
  /** Whether an element shows all of its text (not cut to "Endgame: Singula…"). */
  const whole = (selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((e) => e.scrollWidth <= e.clientWidth && e.textContent !== '');

  it('shows the album, the format and the status column whole beside the editor', async () => {
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(1);
    await expect.poll(() => row().locator('[data-column="album"]').textContent()).toBe(ALBUM);
    expect(await whole('.track-table .row [data-column="album"]')).toBe(true);
    expect(await row().locator('[data-column="format"]').textContent()).toBe('Vorbis');
    expect(await whole('.track-table .row [data-column="format"]')).toBe(true);
    for (const header of ['Format', 'Status', 'Album'])
      expect([
        header,
        await whole(`.track-table [role="columnheader"]:has-text("${header}") button.sort`),
      ]).toEqual([header, true]);
    // Each word the Status column can show, whole in its cell (the row's file is fine, so its cell is
    // empty: a copy of it, beside it, holds each word in turn).
    const clipped = await row()
      .locator('[data-column="status"]')
      .evaluate((cell, words) => {
        const probe = cell.cloneNode() as typeof cell;
        cell.after(probe);
        const cut = words.filter((w) => {
          probe.textContent = w;
          return probe.scrollWidth > probe.clientWidth;
        });
        probe.remove();
        return cut;
      }, DAMAGE_WORDS);
    expect(clipped).toEqual([]);
    // The player's word while nothing plays, whole beside its controls.
    expect(await whole('.now-playing')).toBe(true);
  });

  it('shows the column chooser whole: adding a column and Done in view without scrolling', async () => {
    await page.locator('.track-table .header .chooser button').click();
    const chooser = page.getByRole('dialog', { name: 'Columns' });
    /** Whether an element shows whole: inside the chooser's box and the window. */
    const inView = (name: string) =>
      chooser.getByRole('button', { name, exact: true }).evaluate((e) => {
        const box = e.getBoundingClientRect();
        const frame = e.closest('.column-chooser')!.getBoundingClientRect();
        return (
          box.height > 0 &&
          box.bottom <= frame.bottom &&
          box.bottom <= e.ownerDocument.documentElement.clientHeight
        );
      });
    expect([await inView('Add column'), await inView('Done')]).toEqual([true, true]);
    await chooser.getByRole('button', { name: 'Done', exact: true }).click();
    await expect.poll(() => chooser.count()).toBe(0);
  });

  it('puts the fields first: one row of actions, the rest in its menu', async () => {
    await row().click();
    const title = editor().getByLabel('Title', { exact: true });
    await expect.poll(() => title.inputValue()).toBe('Lattice');
    // The file's format by the name the table gives it.
    await expect.poll(() => editor().locator('.track-info').textContent()).toContain('Vorbis · 44.1 kHz');
    const actions = page.locator('.aside-actions');
    const bar = (await actions.boundingBox())!;
    const field = (await title.boundingBox())!;
    // One row of buttons (a button is about 30 px high), and the first field just below it.
    expect(bar.height).toBeLessThan(45);
    expect(field.y).toBeLessThan(bar.y + bar.height + 80);
    await actions.getByRole('button', { name: 'More ▾' }).click();
    const menu = page.getByRole('menu', { name: 'More actions' });
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([
      'Play next',
      'Add to queue',
      'More like this',
      'Save as playlist…',
      'Add to playlist…',
      'Tags as text…',
    ]);
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);
  });

  it('brings a field added with "add a field" into view, focused', async () => {
    await editor().getByLabel('New field name').fill('mood');
    await editor().getByRole('button', { name: 'Add', exact: true }).click();
    const mood = editor().locator('#field-mood');
    await expect.poll(() => mood.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    const box = (await mood.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
  });

  it('scrolls a column added beside the editor into view; a right-click on the header opens no row menu', async () => {
    await page.locator('.track-table .header').click({ button: 'right' });
    const chooser = page.getByRole('dialog', { name: 'Columns' });
    await expect.poll(() => chooser.count()).toBe(1);
    expect(await page.getByRole('menu').count()).toBe(0);
    await chooser.getByLabel('Tag to show as a column').fill('label');
    await chooser.getByRole('button', { name: 'Add column' }).click();
    const header = page.locator('.track-table [role="columnheader"]', { hasText: 'Label' });
    /** Whether the header shows whole inside the table's visible box. */
    const shown = () =>
      header.evaluate((e) => {
        const box = e.getBoundingClientRect();
        const table = e.closest('.track-table')!.getBoundingClientRect();
        return box.left >= table.left && box.right <= table.right;
      });
    await expect.poll(shown).toBe(true);
    await chooser.getByRole('checkbox', { name: 'label', exact: true }).click();
    await chooser.getByRole('button', { name: 'Done', exact: true }).click();
    await expect.poll(() => header.count()).toBe(0);
  });

  it('gives each copy its own reasons in the Duplicates view, as sleeve dup does', async () => {
    await page.getByRole('tab', { name: 'Duplicates', exact: true }).click();
    const copy = (file: string) => page.getByRole('row', { name: `Copy ${ids.get(file)}` });
    await expect.poll(() => copy('lattice.ogg').textContent()).toContain('carries your edits');
    expect(await copy('lattice.ogg').getByRole('radio').isChecked()).toBe(true);
    const flac = await copy('lattice.flac').textContent();
    expect(flac).toContain('Below the kept copy: the lossless FLAC copy is transcoded from the kept copy');
    expect(await copy('lattice.flac').locator('.badge').allTextContents()).toContain('transcoded from lossy');
    expect(await copy('lattice-quiet.ogg').textContent()).toMatch(
      /Below the kept copy: the Vorbis copy is [56]\.\d dB quieter/,
    );
    // An AAC of more bits whose decode differs from the Vorbis's by an encoder's noise: its words whole
    // in the window, wrapped, not cut.
    const aac = copy('lattice.m4a');
    expect(await aac.textContent()).toMatch(
      /Below the kept copy: the 2\d\d kbps AAC copy is transcoded from the kept copy, or holds nothing more: their decodes differ by an encoder's noise, \d+\.\d dB under the music/,
    );
    expect(
      await aac.evaluate((e) => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().right <= 1280),
    ).toBe(true);
    // The same words as the command line's.
    const dup = sleeveHere(home, ['dup']).stdout;
    expect(dup).toMatch(new RegExp(`lattice\\.flac .*transcoded from lossy track ${ids.get('lattice.ogg')}`));
    expect(dup).toMatch(/lattice\.ogg .*carries your edits/);
  });

  it('keeps every notice inside the window when they pile up, the views above them shrinking', async () => {
    await page.getByRole('tab', { name: 'Tracks', exact: true }).click();
    await page.locator('.track-table').focus();
    // The edit undone, then twice nothing left to undo: the same words twice are one notice.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
    const toasts = page.locator('.toast');
    await expect.poll(() => toasts.filter({ hasText: /^Undid edit/ }).count()).toBe(1);
    await expect
      .poll(() => toasts.filter({ hasText: 'nothing to undo: every edit is undone already' }).count())
      .toBe(1);
    expect(await toasts.count()).toBe(2);
    // A draft dropped (Escape) is a third: the newest two shown, the oldest folded into a line that opens it.
    const genre = editor().getByLabel('Genre', { exact: true });
    await genre.fill('Piled');
    await genre.press('Escape');
    const fold = page.locator('.notice-fold');
    await expect.poll(() => fold.textContent()).toBe('Show 1 earlier notice');
    expect(await page.locator('.toast').count()).toBe(2);
    await fold.click();
    await expect.poll(() => page.locator('.toast').count()).toBe(3);
    expect(await fold.textContent()).toBe('Hide the earlier notice');
    const bottom = await page
      .locator('.toast')
      .last()
      .evaluate((e) => e.getBoundingClientRect().bottom);
    expect(bottom).toBeLessThanOrEqual(800);
    expect(await page.locator('html').evaluate((e) => e.scrollHeight)).toBeLessThanOrEqual(800);
  });

  it('keeps a notice folded away until it shows, and then gives it its whole time', async () => {
    // The page's timers on a clock the test moves (it runs as ever until moved); the notices left by the
    // pile above go with the reload.
    await page.clock.install();
    await page.reload();
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(1);
    await expect.poll(() => editor().getByLabel('Genre', { exact: true }).count()).toBe(1);
    // Three drafts dropped: three notices with Restore (15 s each), the oldest folded away.
    for (const label of ['Genre', 'Composer', 'Comment']) {
      const field = editor().getByLabel(label, { exact: true });
      await field.fill('Folded');
      await field.press('Escape');
    }
    const toasts = page.locator('.toast');
    const fold = page.locator('.notice-fold');
    await expect.poll(() => fold.textContent()).toBe('Show 1 earlier notice');
    expect(await toasts.allTextContents()).toEqual([
      expect.stringMatching(/^Discarded your edit to Composer/),
      expect.stringMatching(/^Discarded your edit to Comment/),
    ]);
    // Past the shown ones' time: they go, and the folded one shows, its own time starting now.
    await page.clock.runFor(16_000);
    await expect.poll(() => toasts.count()).toBe(1);
    expect(await toasts.first().textContent()).toMatch(/^Discarded your edit to Genre/);
    await page.clock.runFor(16_000);
    await expect.poll(() => toasts.count()).toBe(0);
  });

  it('keeps the header one height in every view, the query bar shown or not', async () => {
    const heights = new Set<number>();
    for (const tab of ['Tracks', 'History', 'Mount', 'Playlists', 'Tracks']) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await expect
        .poll(() => page.getByRole('tab', { name: tab, exact: true }).getAttribute('aria-selected'))
        .toBe('true');
      heights.add(await page.locator('header').evaluate((e) => e.getBoundingClientRect().height));
    }
    expect(heights.size).toBe(1);
  });

  it('opens the keyboard shortcuts from their title, not scrolled to Close', async () => {
    // Out of any field (where ? is typed), on the footer's words.
    await page.locator('footer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.evaluate((d) => d.scrollTop)).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('asks before keeping a copy transcoded from another, and keeps it when told to', async () => {
    await page.getByRole('tab', { name: 'Duplicates', exact: true }).click();
    const copy = (file: string) => page.getByRole('row', { name: `Copy ${ids.get(file)}` });
    const flac = copy('lattice.flac').getByRole('radio');
    // Where each column starts: fixed, so every group's columns line up whatever their copies say.
    const columns = () =>
      page
        .getByRole('article')
        .first()
        .locator('th')
        .evaluateAll((ths) => ths.map((th) => Math.round(th.getBoundingClientRect().left)));
    await expect.poll(() => flac.isVisible()).toBe(true); // the groups shown before their columns are read
    const before = await columns();
    const question = page.getByRole('group', { name: `Keep copy ${ids.get('lattice.flac')}?` });
    await flac.click();
    await expect
      .poll(() => question.textContent())
      .toMatch(/The lossless FLAC copy is transcoded from the \d+ kbps Vorbis copy \(lattice\.ogg\)/);
    expect(await copy('lattice.ogg').getByRole('radio').isChecked()).toBe(true);
    await question.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => question.count()).toBe(0);
    expect(await flac.isChecked()).toBe(false);
    await flac.click();
    await question.getByRole('button', { name: 'Keep it anyway' }).click();
    await expect.poll(() => flac.isChecked()).toBe(true);
    expect(await copy('lattice.flac').locator('.badge').allTextContents()).toContain('your choice');
    expect(await columns()).toEqual(before);
    // The Keep is an edit in the history, named as the group names the copy: its notice's Undo takes the
    // choice back, the History view's Redo brings it again.
    const keep = 'Kept the FLAC copy of “Lattice” (lattice.flac)';
    await page.locator('.toast').filter({ hasText: keep }).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => copy('lattice.ogg').getByRole('radio').isChecked()).toBe(true);
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    const entry = page.locator('.history li').filter({ hasText: keep });
    await expect.poll(() => entry.getAttribute('class')).toBe('undone');
    await entry.getByRole('button', { name: /^Redo edit/ }).click();
    await expect.poll(() => entry.getAttribute('class')).toBe('');
    await page.getByRole('tab', { name: 'Duplicates', exact: true }).click();
    await expect.poll(() => flac.isChecked()).toBe(true);
    // The command line keeps it at once (its ID was named), and says the same.
    const [flacId, oggId] = [ids.get('lattice.flac'), ids.get('lattice.ogg')];
    expect(sleeveHere(home, ['dup', '--unprefer', String(flacId)]).stderr).toBe('');
    const kept = sleeveHere(home, ['dup', '--prefer', String(flacId)]);
    expect(kept.stdout).toContain(`keeping track ${flacId}`);
    expect(kept.stderr).toContain(
      `track ${flacId} is transcoded from track ${oggId} (${join(music, 'lattice.ogg')}): it holds nothing more than that copy`,
    );
  });
});
