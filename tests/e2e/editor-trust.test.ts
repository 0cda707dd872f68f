// The tag editor at 1280×800, as a new user meets it: editing one row writes that one file; other copies
// only when turned on, each listed with what it would change and written only when ticked (a partial
// copy never by default); a field changed by a `sleeve` command since the user began typing is never
// saved over: the editor shows the new value and waits for the user's word.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { sharedChromium, sharedRenderer } from '../fixtures/browser.ts';
import { writeCopies } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Listed {
  path: string;
  tags: Record<string, string[]>;
}

/** An input and its datalist, as the page has them (this file is checked without the DOM's types). */
interface Offering {
  readonly list: { readonly options: Iterable<{ readonly value: string; readonly label: string }> } | null;
}

describe('the tag editor writes exactly what the user meant', () => {
  const music = tempDir();
  const home = join(tempDir(), 'home');
  let backend: TestBackend;
  let page: Page;
  let before: Map<string, string>;

  const field = (key: string) =>
    Object.fromEntries(
      sleeveHereJson<Listed[]>(home, ['ls', '--json', '--all-copies', 'path:heroes']).map((t) => [
        t.path.slice(t.path.lastIndexOf('/') + 1),
        t.tags[key]?.join('; ') ?? null,
      ]),
    );

  beforeAll(async () => {
    writeCopies(music, 'heroes', 'other');
    before = hashTree(music);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    expect(sleeveHere(home, ['set', 'path:heroes', 'title=Heroes Rite', '--copies', '-y']).status).toBe(0);
    // The partial copy (the last 40 s) has a title of its own.
    expect(sleeveHere(home, ['set', 'path:heroes-end', 'title=Heroes Rite (edit)', '-y']).status).toBe(0);
    backend = await startBackend(home, sharedRenderer(), { watchMs: 100 });
    const browser = await sharedChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(backend.server.url);
    await page.getByLabel('One per recording').uncheck();
    await page.getByLabel('Query').fill('path:heroes.flac');
    // The one row the query keeps (the FLAC is listed by its path's end), once the list is the query's and
    // no longer the whole library's (the partial copy, heroes-end.flac, is listed there too).
    await page.getByRole('status').getByText('1 track', { exact: true }).waitFor();
    await page.locator('.track-table .row').nth(1).waitFor({ state: 'detached' });
    await page.locator('.track-table .row', { hasText: 'flac' }).click();
  }, 120_000);

  afterAll(async () => {
    await page?.context().close();
    await backend?.close();
  });

  const editor = () => page.getByRole('form', { name: 'Tag editor' });
  const save = () => editor().getByRole('button', { name: /^Save/ });

  it('shows the common fields of one track without scrolling, with the copies choice beside Save', async () => {
    const title = editor().getByLabel('Title', { exact: true });
    await expect.poll(() => title.inputValue()).toBe('Heroes Rite');
    for (const label of ['Title', 'Artist', 'Album', 'Track', 'Date', 'Genre']) {
      const box = await editor().getByLabel(label, { exact: true }).boundingBox();
      expect(box, label).not.toBeNull();
      expect(box!.y + box!.height, `${label} is below the window`).toBeLessThanOrEqual(800);
    }
    // The table fits beside it, the file's name in view.
    const file = page.locator('.track-table .row [data-column="file"]').first();
    expect(await file.textContent()).toBe('heroes.flac');
    const [cell, table] = [await file.boundingBox(), await page.locator('.track-table').boundingBox()];
    expect(cell!.x + cell!.width).toBeLessThanOrEqual(table!.x + table!.width);
    const copies = editor().getByLabel('Other copies (3)');
    expect(await copies.isChecked()).toBe(false);
    // The copy players get: nothing to warn of.
    expect(await editor().getByRole('note').count()).toBe(0);
    const [c, s] = [await copies.boundingBox(), await save().boundingBox()];
    expect(Math.abs(c!.y - s!.y)).toBeLessThan(40); // on Save's line
    expect(s!.y + s!.height).toBeLessThanOrEqual(800);
  });

  it('edits the one row selected: one file written, its copies untouched', async () => {
    await editor().getByLabel('Title', { exact: true }).fill("Heroes' Rite");
    expect(await save().textContent()).toBe('Save to 1 track');
    await editor().getByLabel('Title', { exact: true }).press('Control+Enter');
    await expect
      .poll(() => field('title'))
      .toEqual({
        'heroes.flac': "Heroes' Rite",
        'heroes.mp3': 'Heroes Rite',
        'heroes.ogg': 'Heroes Rite',
        'heroes-end.flac': 'Heroes Rite (edit)',
      });
    // In the page too before the next edit begins there: the library has it first, then the page its
    // save's answer (the notice, the draft gone: the editor shows what it loaded before), then the field
    // as the library now has it, what the next edit starts from.
    await expect
      .poll(() => page.locator('.toast').filter({ hasText: 'Saved 1 track as edit' }).count())
      .toBe(1);
    await expect.poll(() => editor().getByLabel('Title', { exact: true }).inputValue()).toBe("Heroes' Rite");
  });

  it('turned on, lists each copy with what it would change; writes only those ticked, never the partial one by default', async () => {
    const items = editor().getByRole('list', { name: 'Other copies' }).getByRole('listitem');
    // A window short enough that the list, once there, would start below the editor's fold.
    await page.setViewportSize({ width: 1280, height: 600 });
    try {
      await editor().getByLabel('Title', { exact: true }).fill('Heroes of the Rite');
      await editor().getByLabel('Other copies (3)').check();
      await expect.poll(() => items.count()).toBe(3);
      // Brought into view where it is seen, beside the fields, not under the save bar.
      const seen = () =>
        items.first().evaluate((e) => {
          const r = e.getBoundingClientRect();
          const hit = e.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          const height = e.ownerDocument.defaultView!.innerHeight;
          return r.top >= 0 && r.bottom <= height && hit !== null && e.contains(hit);
        });
      await expect.poll(seen).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    const item = (name: string) => items.filter({ hasText: name });
    expect(await item('heroes-end.flac').textContent()).toContain('part of the recording only');
    expect(await item('heroes-end.flac').textContent()).toContain(
      'Title: “Heroes Rite (edit)” → “Heroes of the Rite”',
    );
    expect(await item('heroes-end.flac').getByRole('checkbox').isChecked()).toBe(false);
    // The MP3 and the Ogg still say "Heroes Rite", the selected copy "Heroes' Rite": they differ, so
    // they wait for a tick too; the user ticks the MP3 alone.
    expect(await item('heroes.mp3').getByRole('checkbox').isChecked()).toBe(false);
    await item('heroes.mp3').getByRole('checkbox').check();
    await expect.poll(() => save().textContent()).toBe('Save to 2 tracks');
    await save().click();
    await expect
      .poll(() => field('title'))
      .toEqual({
        'heroes.flac': 'Heroes of the Rite',
        'heroes.mp3': 'Heroes of the Rite',
        'heroes.ogg': 'Heroes Rite',
        'heroes-end.flac': 'Heroes Rite (edit)',
      });
    await editor().getByLabel('Other copies (3)').uncheck();
  });

  it('says when players get another copy of the track selected, until its copies are turned on', async () => {
    await page.getByLabel('Query').fill('path:heroes.mp3');
    await page.getByRole('status').getByText('1 track', { exact: true }).waitFor();
    await page.locator('.track-table .row', { hasText: 'mp3' }).click();
    const note = editor().getByRole('note');
    await expect
      .poll(() => note.textContent())
      .toBe('Players get another copy of this recording: tick Other copies to write it too.');
    await editor().getByLabel('Other copies (3)').check();
    await expect.poll(() => note.count()).toBe(0);
    await editor().getByLabel('Other copies (3)').uncheck();
    await page.getByLabel('Query').fill('path:heroes.flac');
    await page.getByRole('status').getByText('1 track', { exact: true }).waitFor();
    await page.locator('.track-table .row', { hasText: 'flac' }).click();
    await expect.poll(() => note.count()).toBe(0);
  });

  it('keeps what was typed in a track left unsaved until it shows again, and a discard can be restored', async () => {
    const genre = editor().getByLabel('Genre', { exact: true });
    const shown = await genre.inputValue();
    await genre.fill('Left Behind');
    await page.getByRole('tab', { name: 'History' }).click();
    const toast = (text: string) => page.locator('.toast').filter({ hasText: text });
    await expect
      .poll(() =>
        toast('Not saved: your edit to Genre, kept until you select the same tracks again.').count(),
      )
      .toBe(1);
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await expect.poll(() => genre.inputValue()).toBe('Left Behind');
    // Escape in the field drops its draft: said, with Restore.
    await genre.press('Escape');
    await expect.poll(() => genre.inputValue()).toBe(shown);
    await toast('Discarded your edit to Genre.').getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => genre.inputValue()).toBe('Left Behind');
    // Restored from another view, it waits for the track as drafts left there do.
    await genre.press('Escape');
    await expect.poll(() => genre.inputValue()).toBe(shown);
    await page.getByRole('tab', { name: 'History' }).click();
    await toast('Discarded your edit to Genre.').last().getByRole('button', { name: 'Restore' }).click();
    await expect
      .poll(() => toast('Restored your edit to Genre: select the same tracks again to go on.').count())
      .toBe(1);
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await expect.poll(() => genre.inputValue()).toBe('Left Behind');
    await genre.press('Escape');
    await expect.poll(() => genre.inputValue()).toBe(shown);
    expect(field('genre')['heroes.flac']).toBe(shown || null);
  });

  it('never saves over a field a sleeve command changed since the user began typing', async () => {
    const comment = editor().getByLabel('Comment', { exact: true });
    await comment.fill('mine');
    const set = sleeveHere(home, ['set', 'path:heroes.flac', 'comment=theirs', 'genre=Ambient', '-y']);
    expect(set.status, set.stderr).toBe(0);
    const alert = editor().getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toContain('Changed elsewhere since you began typing: now “theirs”');
    expect(await comment.inputValue()).toBe('mine');
    expect(await save().isDisabled()).toBe(true);
    await comment.press('Control+Enter');
    // Asked to save all the same (its button greyed): it says why not.
    await expect
      .poll(() =>
        page
          .locator('.toast')
          .filter({
            hasText:
              'Not saved: Comment changed elsewhere since you began typing — keep yours or take theirs first.',
          })
          .count(),
      )
      .toBe(1);
    // The other field the command changed shows as it is now; nothing was saved over it.
    await expect.poll(() => editor().getByLabel('Genre', { exact: true }).inputValue()).toBe('Ambient');
    expect(field('comment')['heroes.flac']).toBe('theirs');
    await alert.getByRole('button', { name: 'Keep mine' }).click();
    // The field has the focus back: the editor's keys save where the user is.
    await expect.poll(() => comment.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => field('comment')['heroes.flac']).toBe('mine');
    expect(field('genre')['heroes.flac']).toBe('Ambient');
  });

  it('proposes the tags of a tagged copy for a track without any, as drafts saved like typing', async () => {
    const clear = ['--clear', 'title', '--clear', 'comment', '--clear', 'genre'];
    expect(sleeveHere(home, ['set', 'path:heroes.flac', ...clear, '-y']).status).toBe(0);
    const note = editor().getByRole('note').filter({ hasText: 'No tags here' });
    await expect
      .poll(() => note.textContent())
      .toContain('Its copy heroes.mp3 says Title “Heroes of the Rite”');
    await note.getByRole('button', { name: 'Use these' }).click();
    expect(await editor().getByLabel('Title', { exact: true }).inputValue()).toBe('Heroes of the Rite');
    expect(field('title')['heroes.flac']).toBeNull(); // nothing written until saved
    await save().click();
    await expect.poll(() => field('title')['heroes.flac']).toBe('Heroes of the Rite');
  });

  it('keeps each copy tick as it was shown while the user goes on typing', async () => {
    await editor().getByLabel('Other copies (3)').check();
    const items = editor().getByRole('list', { name: 'Other copies' }).getByRole('listitem');
    await expect.poll(() => items.count()).toBe(3);
    const ogg = items.filter({ hasText: 'heroes.ogg' });
    // Nothing typed yet: the whole copies agree on every field edited (none), and are ticked.
    expect(await ogg.getByRole('checkbox').isChecked()).toBe(true);
    // A title the Ogg does not say: it now differs, and stays ticked as the user saw it.
    await editor().getByLabel('Title', { exact: true }).fill('Heroes Again');
    await expect.poll(() => ogg.textContent()).toContain('→ “Heroes Again”');
    expect(await ogg.getByRole('checkbox').isChecked()).toBe(true);
    await expect.poll(() => save().textContent()).toBe('Save to 3 tracks');
    await editor().getByLabel('Other copies (3)').uncheck();
  });

  it("offers the library's values as the user types, the most used first, and every field by name", async () => {
    expect(
      sleeveHere(home, ['set', 'path:other', 'artist=The Beatles', 'genre=Jazz', 'genre=Ambient', '-y'])
        .status,
    ).toBe(0);
    expect(sleeveHere(home, ['set', 'path:heroes-end', 'genre=Jazz', '-y']).status).toBe(0);
    const offers = (label: string) =>
      editor()
        .getByLabel(label, { exact: true })
        .evaluate((input) =>
          [...((input as unknown as Offering).list?.options ?? [])].map((o) => `${o.value} | ${o.label}`),
        );
    await editor().getByLabel('Artist', { exact: true }).fill('the b');
    await expect.poll(() => offers('Artist')).toEqual(['The Beatles | 1 track']);
    // A field of several values: the value being typed, after the ";", the rest kept.
    await editor().getByLabel('Genre', { exact: true }).fill('Rock; a');
    await expect.poll(() => offers('Genre')).toEqual(['Rock; Ambient | 1 track']);
    await editor().getByLabel('Genre', { exact: true }).fill('Rock; ');
    await expect.poll(() => offers('Genre')).toEqual(['Rock; Jazz | 2 tracks', 'Rock; Ambient | 1 track']);
    expect(await offers('Title')).toEqual([]); // titles are not suggested
    const names = await editor()
      .getByLabel('New field name')
      .evaluate((input) => [...((input as unknown as Offering).list?.options ?? [])].map((o) => o.value));
    expect(names).toEqual(expect.arrayContaining(['performer', 'conductor', 'composer']));
    await editor().getByRole('button', { name: 'Discard' }).click();
  });

  it('takes an edit back from the copy it was carried to, and History says where it went', async () => {
    const id = (name: string) =>
      sleeveHereJson<Array<{ id: number; path: string }>>(home, [
        'ls',
        '--json',
        '--all-copies',
        'path:heroes',
      ]).find((t) => t.path.endsWith(`/${name}`))!.id;
    expect(sleeveHere(home, ['set', 'path:heroes.flac', 'mood=Carried Along', '-y']).status).toBe(0);
    expect(sleeveHere(home, ['dup', '--prefer', String(id('heroes.mp3')), '-y']).status).toBe(0);
    expect(field('mood')['heroes.mp3']).toBe('Carried Along');
    await page.getByRole('tab', { name: 'History' }).click();
    const edit = page
      .locator('.history li', { hasText: 'where path:heroes.flac' })
      .filter({ hasText: 'mood' });
    await edit.getByText('(and 1 other copy it was carried to)').waitFor();
    await edit.getByRole('button', { name: /^Undo edit/ }).click();
    await edit.getByRole('button', { name: /^Redo edit/ }).waitFor();
    await page
      .locator('.toast', { hasText: 'and took it back from 1 other copy it was carried to' })
      .waitFor();
    expect(field('mood')).toMatchObject({ 'heroes.flac': null, 'heroes.mp3': null });
    await page.getByRole('tab', { name: 'Tracks' }).click();
  });

  it('never writes the originals', () => {
    expect(hashTree(music)).toEqual(before);
  });
});
