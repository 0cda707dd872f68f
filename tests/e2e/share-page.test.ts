// A Subsonic share opened as its recipient does, in Chromium at 1280×800 with no login: the page names the
// songs as the library has them (an edit shows), its style applies under its content policy with nothing
// refused, a song plays in the page and downloads, and once revoked the link shows nothing.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedChromium } from '../fixtures/browser.ts';
import { makeWav } from '../fixtures/library.ts';
import { startTestSubsonic, type TestSubsonic, tokenAuth } from '../fixtures/subsonic-library.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Answer = any;
/** What the test asks of the page's audio element (the tests compile without the DOM's types). */
type Audio = { play(): Promise<void>; readonly currentTime: number; readonly currentSrc: string };

describe('a share opened in a browser', () => {
  const music = join(tempDir(), 'music');
  const home = join(tempDir(), 'home');
  let before: Map<string, string>;
  let server: TestSubsonic;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** What the browser refused or failed at: a content policy's refusal shows here. */
  const problems: string[] = [];

  const api = async (method: string, params: Record<string, string | string[]>): Promise<Answer> => {
    const q = new URLSearchParams({ ...tokenAuth(), v: '1.16.1', c: 'test', f: 'json' });
    for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) q.append(k, x);
    const body = (await (await fetch(`${server.url}/rest/${method}?${q}`)).json()) as Answer;
    expect(body['subsonic-response'].status, JSON.stringify(body)).toBe('ok');
    return body['subsonic-response'];
  };

  beforeAll(async () => {
    makeWav(join(music, 'low.wav'), 220, 3);
    makeWav(join(music, 'high.wav'), 880, 3);
    before = hashTree(music);
    const scan = ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music];
    expect(sleeveHere(home, scan).status).toBe(0);
    expect(sleeveHere(home, ['set', 'path:low.wav', 'title=Low & Slow', '-y']).status).toBe(0);
    server = await startTestSubsonic(home);
    browser = await sharedChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    expect(hashTree(music)).toEqual(before);
  });

  it('plays and downloads the shared songs as the library names them, then shows nothing once revoked', async () => {
    const songs = (await api('search3', { query: '', songCount: '10' })).searchResult3.song as Answer[];
    const share = (await api('createShare', { id: songs.map((s) => s.id), description: 'For the road' }))
      .shares.share[0];
    await page.goto(share.url);
    await expect.poll(() => page.getByRole('heading', { name: 'For the road' }).isVisible()).toBe(true);
    const items = page.getByRole('listitem');
    expect(await items.count()).toBe(2);
    // Untagged but for its title: filed as the mount and the app file it.
    expect(await items.allTextContents()).toContain('Low & Slow Unknown Artist — Unknown AlbumDownload');
    // The page's own style applies under its content policy: 44rem and its padding (refused, the body
    // would span the window).
    expect(await page.locator('body').evaluate((b) => b.getBoundingClientRect().width)).toBe(736);

    // The first song plays in the page, from the share's own address.
    const audio = page.locator('audio').first();
    await audio.evaluate((a: Audio) => a.play());
    await expect.poll(() => audio.evaluate((a: Audio) => a.currentTime)).toBeGreaterThan(0.2);
    expect(await audio.evaluate((a: Audio) => new URL(a.currentSrc).pathname)).toBe(`/share/${share.id}/0`);

    // A download is the served file, named by its title.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      items.first().getByRole('link', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${share.entry[0].title}.wav`);
    expect(await download.failure()).toBeNull();
    expect(problems).toEqual([]);

    await api('deleteShare', { id: share.id });
    await page.reload();
    await expect.poll(() => page.getByText('Nothing is shared at this link').isVisible()).toBe(true);
  });
});
