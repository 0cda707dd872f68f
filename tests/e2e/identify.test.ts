// Identify by album in Debian's Chromium, against local AcoustID, MusicBrainz and Cover Art Archive
// fixtures: a folder of untagged tracks selected, its album matched to the original release with the
// remaster as the other candidate, the candidate changed, the tracks ticked and applied (tags and the
// release's front cover in one edit), then undone from the notice; an archive that drips its image holds
// back no tags, and Cancel stops it; the original files never written.
// And offline, from a better-tagged copy: the other copies of the recording left alone unless asked for,
// and when asked for, each listed with its diff and counted on the button.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '../fixtures/backend.ts';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { writeCopies } from '../fixtures/copies.ts';
import {
  ALBUM_TITLES,
  type AlbumServices,
  startAlbumServices,
  writeUntaggedAlbum,
} from '../fixtures/untagged-album.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

describe('identify an album in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let services: AlbumServices;
  let backend: TestBackend;
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;

  beforeAll(async () => {
    const folder = join(music, 'untagged album');
    mkdirSync(folder, { recursive: true });
    writeUntaggedAlbum(folder, dir, 3);
    before = hashTree(music);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    services = await startAlbumServices(home, 'untagged', dir);
    services.configure();
    app = await openApp(home);
    ({ backend, page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await services?.close();
  });

  /** Each track's album, in path order ('' for none). */
  const albums = () =>
    sleeveHere(home, ['ls', 'path:untagged', '-f', '$album']).stdout.split('\n').slice(0, -1);
  const pictures = () =>
    sleeveHereJson<Array<{ pictures: Array<{ type: number }> }>>(home, [
      'art',
      'path:untagged',
      '--json',
    ]).map((f) => f.pictures.length);

  it('matches the album, changes the candidate, applies with the cover, and undoes', async () => {
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.count()).toBe(3);
    await rows.first().click();
    await page.keyboard.press('Control+a');
    await page.getByRole('button', { name: 'Identify…' }).click();
    const panel = page.getByRole('region', { name: 'Identify' });
    const album = panel.getByRole('group', { name: /^Album untagged album/ });
    const candidates = album.getByRole('radio');
    await expect.poll(() => candidates.count(), { timeout: 20_000 }).toBe(2);
    // The original is proposed (the lengths agree); the remaster is the other candidate.
    expect(await candidates.nth(0).isChecked()).toBe(true);
    expect(await album.getByRole('listitem').nth(0).textContent()).toMatch(/Harbour Lights by Ada North/);
    expect(await album.getByRole('listitem').nth(1).textContent()).toContain('Harbour Lights (Remastered)');
    const tracks = panel.getByRole('list', { name: /^Tracks of / }).getByRole('listitem');
    await expect.poll(() => tracks.count()).toBe(3);
    // What every track gets is shown once, for the album.
    expect(await panel.locator('.every-track').textContent()).toMatch(/album—→Harbour Lights/);

    // The user prefers the remaster. MusicBrainz is asked again (its answers forgotten) and holds its answer:
    // meanwhile the choice shows (check() fails unless the click leaves the radio checked), and the old
    // proposals stay, dimmed and not appliable, under "asking again". Then the new answer replaces them.
    backend.db.prepare("DELETE FROM web_cache WHERE service = 'musicbrainz'").run();
    const letThrough = services.mb.hold();
    const answer = panel.locator('.answer');
    await candidates.nth(1).check();
    await expect.poll(() => panel.getByRole('status').textContent()).toMatch(/^Asking/);
    expect(await answer.getAttribute('aria-busy')).toBe('true');
    expect(await candidates.nth(1).isChecked()).toBe(true);
    expect(await panel.locator('.every-track').textContent()).toMatch(/album—→Harbour Lights(?! \()/);
    expect(await panel.getByRole('button', { name: /^Apply/ }).isDisabled()).toBe(true);
    letThrough();
    // MusicBrainz is asked at its pace, a request a second.
    await expect
      .poll(
        async () =>
          `${await answer.getAttribute('aria-busy')} ${await answer.locator('.every-track').textContent()}`,
        { timeout: 20_000 },
      )
      .toMatch(/^false .*album—→Harbour Lights \(Remastered\)/);
    expect(await candidates.nth(1).isChecked()).toBe(true);
    expect(await album.textContent()).toContain('chosen over "Harbour Lights"');
    expect(await tracks.nth(0).textContent()).toContain('← the release “Harbour Lights (Remastered)”');
    // A chosen release is for review: nothing ticked until the user ticks it. One track is left out.
    for (let i = 0; i < 3; i++) expect(await tracks.nth(i).getByRole('checkbox').isChecked()).toBe(false);
    await tracks.nth(0).getByRole('checkbox').check();
    await tracks.nth(1).getByRole('checkbox').check();
    expect(await panel.getByLabel(/Add the release's front cover/).isChecked()).toBe(true);
    await panel.getByRole('button', { name: 'Apply 2 tracks' }).click();

    await expect.poll(albums).toEqual(['Harbour Lights (Remastered)', 'Harbour Lights (Remastered)', '']);
    await expect.poll(pictures).toEqual([1, 1, 0]); // the covers follow the tags
    expect(
      sleeveHere(home, ['ls', 'path:untagged', '-f', '$tracknumber $title'])
        .stdout.trim()
        .split('\n')
        .slice(0, 2),
    ).toEqual([`1 ${ALBUM_TITLES[0]}`, `2 ${ALBUM_TITLES[1]}`]);
    await page
      .locator('.toast')
      .filter({ hasText: 'Identified 2 tracks' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await expect.poll(albums).toEqual(['', '', '']);
    expect(pictures()).toEqual([0, 0, 0]);
    expect(hashTree(music)).toEqual(before);
  });

  it('shows a slow run’s progress, and cancels it', async () => {
    // MusicBrainz forgotten and busy: the lookup is retried with backoff, so the run takes seconds.
    backend.db.prepare("DELETE FROM web_cache WHERE service = 'musicbrainz'").run();
    services.mb.failNext(3, 'http503');
    await page.getByRole('button', { name: 'Identify…' }).click();
    const panel = page.getByRole('region', { name: 'Identify' });
    const status = panel.getByRole('status');
    await expect.poll(() => status.textContent()).toContain('Asking MusicBrainz: 0 of 1 album');
    await status.getByRole('button', { name: 'Cancel' }).click();
    // Stopped within a request's turn (the limiter's second), not after the retries' 7 s of backoff.
    await expect
      .poll(() => panel.getByRole('alert').textContent(), { timeout: 5000 })
      .toContain('identification cancelled: the answers already received are kept');
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  it('saves the tags at once and cancels the covers of an archive that drips', async () => {
    services.mb.dripCovers(true);
    await page.getByRole('button', { name: 'Identify…' }).click();
    const panel = page.getByRole('region', { name: 'Identify' });
    const tracks = panel.getByRole('list', { name: /^Tracks of / }).getByRole('listitem');
    await expect.poll(() => tracks.count(), { timeout: 20_000 }).toBe(3);
    await tracks.nth(0).getByRole('checkbox').check();
    await panel.getByRole('button', { name: 'Apply 1 track' }).click();
    const status = panel.getByRole('status');
    await expect.poll(() => status.textContent()).toContain('Asking Cover Art Archive: 0 of 1 cover');
    expect(albums()[0]).toBe('Harbour Lights'); // saved while the cover drips
    await status.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => page.locator('.toast').allTextContents())
      .toContainEqual(expect.stringContaining('No cover: cancelled: the front covers of 1 release(s)'));
    await expect.poll(() => services.mb.dripping.every((d) => d.closed)).toBe(true);
    services.mb.dripCovers(false);
    expect(pictures()).toEqual([0, 0, 0]);
    await page
      .locator('.toast')
      .filter({ hasText: 'Identified 1 track' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await expect.poll(albums).toEqual(['', '', '']);
    expect(hashTree(music)).toEqual(before);
  });
});

describe('identify with the other copies in Chromium', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let before: Map<string, string>;

  beforeAll(async () => {
    // One recording four times (FLAC, MP3, Ogg, a partial copy); only the FLAC tagged.
    mkdirSync(music);
    writeCopies(music, 'song', 'other');
    tool('metaflac', [
      '--set-tag=TITLE=Amber Light',
      '--set-tag=ARTIST=The Lanterns',
      '--set-tag=ALBUM=Night Roads',
      '--set-tag=TRACKNUMBER=3',
      join(music, 'song.flac'),
    ]);
    before = hashTree(music);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    app = await openApp(home);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  /** A file's tags as the library shows them. */
  const tagsOf = (name: string) =>
    sleeveHereJson<Array<{ tags: Record<string, string[]> }>>(home, [
      'ls',
      '--json',
      '--all-copies',
      `path:${name}`,
    ])[0]!.tags;

  it('leaves the other copies alone unless asked; asked, lists each with its diff and counts it', async () => {
    const rows = page.locator('.track-table .row');
    await page.getByLabel('Query').fill('path:song.ogg');
    await expect.poll(() => rows.allTextContents()).toHaveLength(1);
    await rows.first().click();
    const panel = page.getByRole('region', { name: 'Identify' });
    const applyButton = panel.getByRole('button', { name: /^Apply/ });
    const alsoCopies = panel.getByLabel(/Also their other copies/);
    const copies = panel.getByRole('list', { name: 'Other copies of song.ogg' }).getByRole('listitem');
    const toast = (text: string) => page.locator('.toast').filter({ hasText: text });
    const untouched = [tagsOf('song.mp3'), tagsOf('song-end.flac')];
    const ogg = tagsOf('song.ogg');

    // By default: the Ogg's proposal alone, its copies neither listed nor written.
    await page.getByRole('button', { name: 'Identify…' }).click();
    await expect.poll(() => applyButton.textContent()).toBe('Apply 1 track');
    expect(await alsoCopies.isChecked()).toBe(false);
    expect(await panel.getByRole('list', { name: /^Other copies of / }).count()).toBe(0);
    await applyButton.click();
    await expect.poll(() => toast('Identified 1 track').count()).toBe(1);
    expect(tagsOf('song.ogg')).toMatchObject({ title: ['Amber Light'], album: ['Night Roads'] });
    expect([tagsOf('song.mp3'), tagsOf('song-end.flac')]).toEqual(untouched);
    await toast('Identified 1 track').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => tagsOf('song.ogg')).toEqual(ogg);

    // Asked for: the MP3 listed under the Ogg with what it gets (the recording's fields, not the album),
    // and counted; the partial copy, another length, is not.
    await page.getByRole('button', { name: 'Identify…' }).click();
    await expect.poll(() => applyButton.textContent()).toBe('Apply 1 track');
    await alsoCopies.check();
    await expect.poll(() => copies.allTextContents()).toHaveLength(1);
    const listed = (await copies.first().textContent())!;
    expect(listed).toMatch(/song\.mp3.*artist—→The Lanterns/);
    expect(listed).toMatch(/title—→Amber Light/);
    expect(listed).not.toMatch(/album|tracknumber/);
    expect(await applyButton.textContent()).toBe('Apply 2 tracks');
    await applyButton.click();
    await expect.poll(() => toast('Identified 2 tracks').count()).toBe(1);
    expect(tagsOf('song.mp3')).toEqual({ ...untouched[0], title: ['Amber Light'], artist: ['The Lanterns'] });
    expect(tagsOf('song-end.flac')).toEqual(untouched[1]);
    await toast('Identified 2 tracks').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => [tagsOf('song.ogg'), tagsOf('song.mp3')]).toEqual([ogg, untouched[0]]);
    expect(hashTree(music)).toEqual(before);
  });
});
