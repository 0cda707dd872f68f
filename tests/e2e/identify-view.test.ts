// The Identify view in Debian's Chromium, 1280 px wide, with the web services out of reach: the library's
// own proposals (from a better-tagged copy) show while AcoustID is still being asked, and stay, said as
// such, when it refuses the connection (tried once: no retries); tick all, none and the strong only; the
// keys (arrows, Space, Enter); the offline switch; nothing scrolls sideways; the originals never written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_KEY } from '../fixtures/acoustid-server.ts';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { writeCopies } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

describe('the Identify view with the web services out of reach', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;
  let view: Locator;
  let before: Map<string, string>;
  /** Where the services are configured: a server that takes requests and never answers, until closed
   *  (then nothing listens there: a refused connection). */
  const silent = createServer();
  const held: IncomingMessage[] = [];
  silent.on('request', (req: IncomingMessage) => held.push(req));

  beforeAll(async () => {
    // One recording four times, only the FLAC tagged: the MP3 and the Ogg get strong proposals from it,
    // the partial copy one to review.
    mkdirSync(music);
    writeCopies(music, 'song', 'other');
    tool('metaflac', [
      '--set-tag=TITLE=Amber Light',
      '--set-tag=ARTIST=The Lanterns',
      '--set-tag=ALBUM=Night Roads',
      join(music, 'song.flac'),
    ]);
    before = hashTree(music);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const at = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({
        identify: {
          acoustid: { enabled: true, apiKey: FIXTURE_KEY, url: `${at}/v2` },
          musicbrainz: { enabled: true, url: `${at}/ws/2`, contact: 'tests@sleeve.invalid' },
        },
      }),
    );
    app = await openApp(home);
    ({ page } = app);
    await page.setViewportSize({ width: 1280, height: 800 });
    view = page.getByRole('region', { name: 'Identify' });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (silent.listening) await new Promise((r) => silent.close(r));
  });

  const proposals = () => view.locator('ul.proposals > li');
  const ticks = () => view.locator('input.tick');
  /** Each proposal's file and whether it is ticked, in order. */
  const ticked = async () =>
    Promise.all(
      (await proposals().all()).map(
        async (li) =>
          `${await li.locator('strong').first().textContent()} ${await li.locator('input.tick').isChecked()}`,
      ),
    );
  const focused = (i: number) =>
    ticks()
      .nth(i)
      .evaluate((el) => el === el.ownerDocument.activeElement);
  const applyButton = () => view.getByRole('button', { name: /^Apply/ });
  const tagsOf = (name: string) =>
    sleeveHereJson<Array<{ tags: Record<string, string[]> }>>(home, [
      'ls',
      '--json',
      '--all-copies',
      `path:${name}`,
    ])[0]!.tags;

  const openView = async () => {
    await page.getByRole('button', { name: 'Identify…' }).click();
    await expect.poll(() => view.count()).toBe(1);
  };

  it('shows the library’s own proposals while AcoustID is asked, and lets them be applied', async () => {
    await page.getByLabel('One per recording').uncheck();
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.count()).toBe(5);
    await rows.first().click();
    await page.keyboard.press('Control+a');
    await openView();
    // The proposals are there while the status still says the services are being asked.
    await expect
      .poll(async () => `${await proposals().count()} ${await view.getByRole('status').textContent()}`)
      .toMatch(/^3 Asking/);
    await expect.poll(() => held.length).toBeGreaterThan(0); // AcoustID has the request, unanswered
    expect(await view.locator('.answer .hint').first().textContent()).toContain(
      'so far the library’s own, from its better-tagged copies',
    );
    await expect.poll(ticked).toEqual(['song-end.flac false', 'song.mp3 true', 'song.ogg true']);
    expect(await applyButton().textContent()).toBe('Apply 2 tracks');
    expect(await applyButton().isEnabled()).toBe(true); // no need to wait for the services
    // The keys work at once: the first proposal has the focus.
    await expect.poll(() => focused(0)).toBe(true);
    // Closing stops the run: the request AcoustID held is given up.
    await view.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => held.every((r) => r.socket.destroyed)).toBe(true);
  });

  it('keeps them when AcoustID refuses the connection, saying so, without retrying', async () => {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r)); // nothing listens there now
    await openView();
    const alert = view.getByRole('alert');
    await expect.poll(() => alert.count()).toBe(1);
    // Tried once: the message of the retries ("cannot reach …; tried 5 times") after their 15 s of backoff
    // is not the one shown, and nothing is being asked any more.
    expect(await alert.textContent()).toMatch(
      /^AcoustID could not be reached: 127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\)\. The proposals shown are the library’s own, from its better-tagged copies\.$/,
    );
    await expect.poll(() => view.getByRole('status').count()).toBe(0);
    expect(await proposals().count()).toBe(3);

    // Tick all, none, the strong only.
    const tickAll = view.getByRole('group', { name: 'Tick' });
    await tickAll.getByRole('button', { name: 'All' }).click();
    await expect.poll(ticked).toEqual(['song-end.flac true', 'song.mp3 true', 'song.ogg true']);
    await expect.poll(() => applyButton().textContent()).toBe('Apply 3 tracks');
    await tickAll.getByRole('button', { name: 'None' }).click();
    await expect.poll(ticked).toEqual(['song-end.flac false', 'song.mp3 false', 'song.ogg false']);
    await expect.poll(() => applyButton().isDisabled()).toBe(true);
    await tickAll.getByRole('button', { name: 'Strong only' }).click();
    await expect.poll(ticked).toEqual(['song-end.flac false', 'song.mp3 true', 'song.ogg true']);

    // Wide: nothing scrolls sideways, and every badge is inside the view.
    const overflow = await view.evaluate((el) =>
      [el, ...el.querySelectorAll('*')]
        .filter(
          (e) =>
            e.scrollWidth > e.clientWidth &&
            el.ownerDocument.defaultView!.getComputedStyle(e).overflowX !== 'visible',
        )
        .map((e) => e.className),
    );
    expect(overflow).toEqual([]);
    const body = view.locator('.identify-body');
    expect(await body.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const right = await view.evaluate((el) => el.getBoundingClientRect().right);
    for (const badge of await view.locator('.badge').all())
      expect((await badge.boundingBox())!.x + (await badge.boundingBox())!.width).toBeLessThanOrEqual(right);

    // The keys: ↓ from the button just clicked goes to the first proposal, ↓ again to the next; Space
    // unticks it; Enter applies.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(0)).toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(1)).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(ticked).toEqual(['song-end.flac false', 'song.mp3 false', 'song.ogg true']);
    const ogg = tagsOf('song.ogg');
    await page.keyboard.press('Enter');
    const toast = page.locator('.toast').filter({ hasText: 'Identified 1 track' });
    await expect.poll(() => toast.count()).toBe(1);
    await expect.poll(() => view.count()).toBe(0);
    expect(tagsOf('song.ogg')).toMatchObject({ title: ['Amber Light'], album: ['Night Roads'] });
    expect(tagsOf('song.mp3').title).toBeUndefined();
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => tagsOf('song.ogg')).toEqual(ogg);
  });

  it('asks only the library’s own copies when offline', async () => {
    await openView();
    await expect.poll(() => view.getByRole('alert').count()).toBe(1);
    await view.getByLabel(/Offline: only/).check();
    // The services' failure is not this run's: gone, with nothing asked.
    await expect.poll(() => view.getByRole('alert').count()).toBe(0);
    await expect.poll(() => view.getByRole('status').count()).toBe(0);
    expect(await view.locator('.answer .hint').first().textContent()).toContain(
      'Offline: the library’s own proposals, from its better-tagged copies; no web service asked',
    );
    expect(await proposals().count()).toBe(3);
    await page.keyboard.press('Escape');
    await expect.poll(() => view.count()).toBe(0);
    expect(hashTree(music)).toEqual(before);
  });
});
