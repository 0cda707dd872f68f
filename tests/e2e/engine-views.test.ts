// The engine-backed views end to end in Debian's Chromium: a duplicate group and "keep this copy", more
// like this, the library map (hover and click), and the mount view (template errors, preview, mount,
// a shell listing, unmount) on a real, scanned fixture library.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuseAvailability, stopMount } from '../../app/core/mounts/mount-control.ts';
import { kernelMounts } from '../../app/core/mounts/mount-registry.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { sharedChromium, sharedRenderer } from '../fixtures/browser.ts';
import { COPIED, scannedEnginesLibrary } from '../fixtures/engines-library.ts';
import { styleOf } from '../fixtures/styles.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Member {
  id: number;
  path: string;
  preferred: boolean;
  suggested: boolean;
  best: boolean;
}
interface MapJson {
  points: Array<{ id: number; x: number; y: number }>;
}
interface Listed {
  id: number;
  path: string;
}

describe('duplicates, similar, map and mount views in Chromium', () => {
  let music: string;
  let homeDir: string;
  let backend: TestBackend;
  let browser: Browser;
  let page: Page;
  let before: Map<string, string>;
  let mountpoint: string;
  const fuse = fuseAvailability();

  let similarCalls = 0;
  const tab = (name: string) => page.getByRole('tab', { name, exact: true }).click();
  /** Types a query and waits for its one row, showing `title`: not a row still shown from the list before. */
  const onlyRow = async (query: string, title: string) => {
    await page.getByLabel('Query').fill(query);
    const rows = page.locator('.track-table .row');
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(title)]);
    return rows.first();
  };
  const idOf = (name: string) => {
    const found = sleeveHereJson<Listed[]>(homeDir, ['ls', '--json', '--all-copies', `path:${name}`]);
    return found[0]!.id;
  };

  beforeAll(async () => {
    ({ music, home: homeDir, before } = scannedEnginesLibrary());
    mountpoint = join(tempDir(), 'mnt');
    backend = await startBackend(homeDir, sharedRenderer(), { watchMs: 100 });
    browser = await sharedChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
    // How many times the page asked for similar tracks.
    page.on('websocket', (ws) =>
      ws.on('framesent', (f) => {
        if (String(f.payload).includes('"similar.tracks"')) similarCalls++;
      }),
    );
    await page.goto(backend.server.url);
  }, 180_000);

  afterAll(async () => {
    if (kernelMounts().has(mountpoint)) await stopMount(homeDir, mountpoint);
    await browser?.close();
    await backend?.close();
  });

  it('shows the duplicate group with the lossless copy suggested, and keeps the copy the user prefers', async () => {
    await tab('Duplicates');
    const group = page.getByRole('article');
    await expect.poll(() => group.count()).toBe(1);
    const flac = idOf(`${COPIED}.flac`);
    const mp3 = idOf(`${COPIED}-copy.mp3`);
    expect(await group.getByLabel(`Keep copy ${flac}`).isChecked()).toBe(true);
    expect(await group.getByRole('row', { name: `Copy ${flac}` }).textContent()).toContain('suggested');
    // Why it is kept, in words, from the same ranking as the suggestion.
    expect(await group.getByText(/^Kept: /).textContent()).toMatch(
      /^Kept: the lossless FLAC copy — the MP3 copy stops at [\d.]+ kHz, the kept copy reaches [\d.]+ kHz \(band-limited\)$/,
    );
    expect(await group.getByRole('row', { name: `Copy ${mp3}` }).textContent()).toContain('mp3');

    await group.getByLabel(`Keep copy ${mp3}`).check();
    await expect
      .poll(() => group.getByRole('row', { name: `Copy ${mp3}` }).textContent())
      .toContain('your choice');
    expect(await group.getByLabel(`Keep copy ${flac}`).isChecked()).toBe(false);
    // Stored in the library: the CLI sees it, and so does a reload.
    const [listed] = sleeveHereJson<Array<{ members: Member[] }>>(homeDir, ['dup', '--json']);
    const kept = listed!.members.find((m) => m.best)!;
    expect(kept).toMatchObject({ id: mp3, preferred: true, suggested: false });
    await page.reload();
    await tab('Duplicates');
    await expect.poll(() => page.getByLabel(`Keep copy ${mp3}`).isChecked()).toBe(true);

    // The filters: no byte-identical copies here, no partial ones either.
    await page.getByLabel('Byte-identical copies').check();
    await expect.poll(() => page.getByText('No group has byte-identical copies.').isVisible()).toBe(true);
    await page.getByLabel('All groups').check();
    await expect.poll(() => page.getByRole('article').count()).toBe(1);
  });

  it('lists one file per recording (a switch that persists); the editor writes the row selected, its other copies only when ticked', async () => {
    const flac = idOf(`${COPIED}.flac`);
    const mp3 = idOf(`${COPIED}-copy.mp3`);
    await tab('Tracks');
    const rows = page.locator('.track-table .row');
    const onePerRecording = page.getByLabel('One per recording');
    expect(await onePerRecording.isChecked()).toBe(true);
    await page.getByLabel('Query').fill(`title:=${COPIED}`);
    // The MP3 is the kept copy (the previous test chose it): the only row.
    await expect.poll(() => rows.allTextContents()).toHaveLength(1);
    expect(await rows.first().textContent()).toContain('mp3');
    await rows.first().click();
    const editor = page.getByRole('form', { name: 'Tag editor' });
    const alsoCopies = editor.getByLabel('Other copies (1)');
    // Off by default, beside Save: the edit writes the one row selected.
    await expect.poll(() => alsoCopies.isVisible()).toBe(true);
    expect(await alsoCopies.isChecked()).toBe(false);
    await editor.getByLabel('Composer', { exact: true }).fill('Only the kept copy');
    const save = editor.getByRole('button', { name: /^Save/ });
    expect(await save.textContent()).toBe('Save to 1 track');
    await save.click();
    const composers = () =>
      sleeveHereJson<Array<Listed & { tags: Record<string, string[]> }>>(homeDir, [
        'ls',
        '--json',
        '--all-copies',
        `title:=${COPIED}`,
      ]).map((t) => [t.id, t.tags.composer?.[0] ?? null]);
    /** Polls until the FLAC and the MP3 have these composers (in id order, as listed). */
    const composersAre = (ofFlac: string | null, ofMp3: string | null) =>
      expect.poll(composers).toEqual(
        [
          [flac, ofFlac],
          [mp3, ofMp3],
        ].sort((a, b) => Number(a[0]) - Number(b[0])),
      );
    // Each save and undo is in the library first, then in the page: the next step waits for the page.
    const saved = (tracks: string) =>
      expect
        .poll(() =>
          page
            .locator('.toast')
            .filter({ hasText: `Saved ${tracks} as edit` })
            .count(),
        )
        .toBe(1);
    const composerShown = (value: string) =>
      expect.poll(() => editor.getByLabel('Composer', { exact: true }).inputValue()).toBe(value);
    await composersAre(null, 'Only the kept copy');
    await saved('1 track');
    await page.keyboard.press('Control+z');
    await composersAre(null, null);
    await composerShown('');

    // Turned on: each copy listed with what the save would change; a whole copy that agrees is ticked.
    await editor.getByLabel('Composer', { exact: true }).fill('Daniel Roux');
    await alsoCopies.check();
    const copies = editor.getByRole('list', { name: 'Other copies' }).getByRole('listitem');
    await expect.poll(() => copies.count()).toBe(1);
    expect(await copies.first().textContent()).toContain('Composer: (none) → “Daniel Roux”');
    expect(await copies.first().getByRole('checkbox').isChecked()).toBe(true);
    await expect.poll(() => save.textContent()).toBe('Save to 2 tracks');
    await save.click();
    await composersAre('Daniel Roux', 'Daniel Roux');
    await saved('2 tracks');
    await page.keyboard.press('Control+z');
    await composersAre(null, null);
    await composerShown('');

    // Every file: both copies; the copy not kept edits only itself unless asked.
    await onePerRecording.uncheck();
    await expect.poll(() => rows.count()).toBe(2);
    await page.reload();
    await tab('Tracks');
    await page.getByLabel('Query').fill(`title:=${COPIED}`);
    expect(await page.getByLabel('One per recording').isChecked()).toBe(false);
    await expect.poll(() => rows.count()).toBe(2);
    await rows.filter({ hasText: 'flac' }).click();
    await expect.poll(() => alsoCopies.isChecked()).toBe(false);
    await page.getByLabel('One per recording').check();
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Query').fill('');
  });

  it('identifies a copy from its better-tagged twin: the proposal as a diff, applied, undone', async () => {
    // The kept MP3 loses its artist and album and gets a placeholder title; the FLAC keeps them.
    const mp3 = `path:${COPIED}-copy.mp3`;
    const set = sleeveHere(homeDir, [
      'set',
      mp3,
      'title=Track 01',
      '--clear',
      'artist',
      '--clear',
      'album',
      '-y',
    ]);
    expect(set.status, set.stderr).toBe(0);
    const mp3Title = () => sleeveHere(homeDir, ['ls', '--all-copies', mp3, '-f', '$title']).stdout.trim();
    await tab('Tracks');
    await (await onlyRow('title:="Track 01"', 'Track 01')).click();
    await page.getByRole('button', { name: 'Identify…' }).click();
    const panel = page.getByRole('region', { name: 'Identify' });
    const proposal = panel.getByRole('listitem');
    await expect.poll(() => proposal.count()).toBe(1);
    expect(await proposal.textContent()).toContain(`← its copy ${COPIED}.flac`);
    expect(await proposal.textContent()).toContain('to review');
    const title = proposal.getByRole('row').filter({ hasText: /^title/ });
    expect((await title.textContent())?.replace(/\s+/g, ' ')).toBe(`titleTrack 01→${COPIED}`);
    // To review: not ticked until the user ticks it.
    const tick = proposal.getByRole('checkbox');
    expect(await tick.isChecked()).toBe(false);
    await tick.check();
    await panel.getByRole('button', { name: 'Apply 1 track' }).click();
    await expect.poll(mp3Title).toBe(COPIED);
    await page
      .locator('.toast')
      .filter({ hasText: 'Identified 1 track' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await expect.poll(mp3Title).toBe('Track 01');
    expect(sleeveHere(homeDir, ['undo']).status).toBe(0); // the placeholder edit too
    expect(mp3Title()).toBe(COPIED);
    await page.getByLabel('Query').fill('');
  });

  it('opens more like this for a selected track and lists its neighbours, nearest first', async () => {
    await tab('Tracks');
    await (await onlyRow('title:=breakbeat-1', 'breakbeat-1')).click();
    await page.getByRole('button', { name: 'More ▾' }).click();
    await page.getByRole('menuitem', { name: 'More like this' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).first().textContent())
      .toContain('breakbeat-1');
    const list = page.getByRole('list', { name: 'Similar tracks' });
    // The list read in one go: a change to the library just before (the previous test's undo) makes the
    // view ask again, and a list read piece by piece could mix two renders.
    interface El {
      textContent: string | null;
      getAttribute(name: string): string | null;
    }
    const shown = () =>
      list.evaluate((ul: { querySelectorAll(s: string): ArrayLike<El> }) => {
        const all = (s: string) => Array.from(ul.querySelectorAll(s));
        return {
          titles: all('.neighbour-title').map((n) => n.textContent ?? ''),
          // How alike, in words, with the distance behind them in the title.
          distances: all('.alike').map((n) =>
            Number(/distance (-?[\d.]+)/.exec(n.getAttribute('title') ?? '')?.[1]),
          ),
          words: all('.alike-words').map((n) => n.textContent ?? ''),
          plays: all('button').filter((b) =>
            /^Play /.test(b.getAttribute('aria-label') ?? b.textContent ?? ''),
          ).length,
        };
      });
    await expect.poll(async () => (await shown()).titles.length).toBeGreaterThan(3);
    const { titles, distances, words, plays } = await shown();
    // The two other breakbeat pieces are the nearest; the seed itself is not listed.
    expect(titles.slice(0, 2).map((t) => styleOf(`${t.split(' ')[0]}.flac`))).toEqual([
      'breakbeat',
      'breakbeat',
    ]);
    expect(titles.some((t) => t.startsWith('breakbeat-1 '))).toBe(false);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(distances.every((d) => d >= 0)).toBe(true);
    expect(words.every((w) => ['the same sound', 'very alike', 'alike', 'a little alike'].includes(w))).toBe(
      true,
    );
    expect(plays).toBe(titles.length);
    // Each says its format: copies of a recording, listed when asked for, share the rest.
    expect(titles.every((t) => / · (FLAC|MP3)\b/.test(t))).toBe(true);

    // A change to the library (here from the shell) asks the question again; the answer on screen stays
    // until the new one replaces it, so the list never flashes empty (during a scan it would, constantly).
    await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: { querySelector(s: string): unknown };
        MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void };
        listGone: boolean;
      };
      g.listGone = false;
      const area = g.document.querySelector('.similar-list');
      new g.MutationObserver(() => {
        if (!g.document.querySelector('ol[aria-label="Similar tracks"]')) g.listGone = true;
      }).observe(area, { childList: true, subtree: true });
    });
    const asked = () => similarCalls;
    const before = asked();
    expect(before).toBeGreaterThan(0);
    expect(sleeveHere(homeDir, ['set', 'title:=techno-1', 'comment=changed', '-y']).status).toBe(0);
    await expect.poll(asked, { timeout: 10_000 }).toBeGreaterThan(before);
    await expect.poll(async () => (await shown()).titles.length).toBeGreaterThan(3);
    expect(await page.evaluate(() => (globalThis as unknown as { listGone: boolean }).listGone)).toBe(false);
    expect(sleeveHere(homeDir, ['undo']).status).toBe(0);
    // Opened from the Tracks view, a step of its own: Back returns there, Forward to the neighbours.
    const selected = (name: string) =>
      page.getByRole('tab', { name, exact: true }).getAttribute('aria-selected');
    await page.goBack();
    await expect.poll(() => selected('Tracks')).toBe('true');
    await page.goForward();
    await expect.poll(() => selected('Similar')).toBe('true');
    await expect.poll(async () => (await shown()).titles.length).toBeGreaterThan(3);
  });

  it('plays more like this as a radio: distinct recordings, next, auto-advance, refill, the queue, media session', async () => {
    // The Similar view still shows breakbeat-1's neighbours (the previous test).
    await page.getByRole('button', { name: 'Play as radio' }).click();
    const player = page.getByRole('region', { name: 'Player' });
    // Two elements take turns (gapless): the one playing, and the one loading the next track ahead.
    const audio = page.locator('audio[data-active]');
    const ahead = page.locator('audio:not([data-active])');
    const src = () => audio.evaluate((a: { src: string }) => a.src);
    const playingId = async () => Number(/\/media\/(\d+)/.exec(await src())?.[1]);
    await expect.poll(() => player.locator('.now-playing').textContent()).toContain('breakbeat-1');
    expect(await player.locator('.now-playing').textContent()).toContain('radio: “breakbeat-1');
    await expect.poll(() => page.title()).toContain('breakbeat-1');
    // What the OS's now-playing shows (the test runs under Node's types: the browser's are looser here).
    const sessionTitle = () =>
      page.evaluate(
        () =>
          (globalThis as unknown as { navigator: { mediaSession: { metadata: { title: string } | null } } })
            .navigator.mediaSession.metadata?.title,
      );
    await expect.poll(sessionTitle).toBe('breakbeat-1');
    await player.getByRole('button', { name: 'Queue', exact: true }).click();
    const queue = page.getByRole('list', { name: 'Queue' });
    const queued = async () =>
      (await queue.getByRole('listitem').locator('button.link').allTextContents()).map((t) => t.trim());
    const first = await queued();
    // The seed and its five nearest recordings; more come as it plays.
    expect(first[0]).toBe('breakbeat-1');
    expect(first).toHaveLength(6);
    // One file per recording: the copied piece never comes twice (its FLAC and MP3 share a title).
    expect(new Set(first).size).toBe(first.length);

    // Next, then the end of a track moves on by itself.
    const seedId = await playingId();
    await player.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => player.locator('.now-playing strong').textContent()).toBe(first[1]);
    const second = await playingId();
    expect(second).not.toBe(seedId);
    await expect.poll(() => audio.evaluate((a: { duration: number }) => a.duration)).toBeGreaterThan(1);
    const seekToEnd = (seconds: number) =>
      audio.evaluate((a: { duration: number; currentTime: number }, s) => {
        a.currentTime = a.duration - s;
      }, seconds);
    // Near its end, the next track is loaded ahead on the other element, ready to play...
    await seekToEnd(8);
    await expect.poll(() => ahead.evaluate((a: { src: string }) => a.src)).toMatch(/\/media\/\d+/);
    await expect
      .poll(() => ahead.evaluate((a: { readyState: number }) => a.readyState))
      .toBeGreaterThanOrEqual(2);
    const loadedAhead = await ahead.evaluate((a: { src: string; dataset: Record<string, string> }) => {
      a.dataset.loadedAhead = 'yes'; // marks the element itself: the next one must play on it
      return a.src;
    });
    // ...and the end of the track starts it there: handed over, not loaded again.
    await seekToEnd(0.3);
    await expect
      .poll(() => player.locator('.now-playing strong').textContent(), { timeout: 15_000 })
      .toBe(first[2]);
    expect(await src()).toBe(loadedAhead);
    expect(await audio.getAttribute('data-loaded-ahead')).toBe('yes');
    expect(await playingId()).not.toBe(second);
    await expect.poll(() => audio.evaluate((a: { currentTime: number }) => a.currentTime)).toBeGreaterThan(0);

    // Jump to the last queued track: the radio runs low and refills with recordings not yet queued.
    await queue.getByRole('listitem').last().locator('button.link').click();
    await expect.poll(async () => (await queued()).length, { timeout: 30_000 }).toBeGreaterThan(first.length);
    const refilled = await queued();
    expect(new Set(refilled).size).toBe(refilled.length);

    // The queue's own controls: remove, move, shuffle, repeat, volume (remembered).
    const before = await queued();
    await queue.getByRole('button', { name: `Remove ${before[1]}` }).click();
    await expect.poll(queued).toEqual([before[0], ...before.slice(2)]);
    await queue.getByRole('button', { name: `Move ${before[0]} down` }).click();
    await expect.poll(async () => (await queued()).slice(0, 2)).toEqual([before[2], before[0]]);
    const shuffle = player.getByRole('button', { name: 'Shuffle' });
    await shuffle.click();
    expect(await shuffle.getAttribute('aria-pressed')).toBe('true');
    await player.getByRole('button', { name: 'Repeat: off' }).click();
    await expect.poll(() => player.getByRole('button', { name: 'Repeat: all' }).count()).toBe(1);
    await player.getByLabel('Volume').fill('0.5');
    expect(await audio.evaluate((a: { volume: number }) => a.volume)).toBe(0.5);
    expect(await page.evaluate(() => localStorage.getItem('sleeve.player.volume'))).toBe('0.5');
    await player.getByRole('button', { name: 'Pause' }).click();
    // The player's own buttons left the queue open; Escape closes it, as a press outside the player does.
    await page.keyboard.press('Escape');
    await expect.poll(() => queue.count()).toBe(0);
    await player.getByRole('button', { name: 'Queue', exact: true }).click();
    await expect.poll(() => queue.count()).toBe(1);
    await page.getByRole('tab', { name: 'Similar' }).click(); // the view shown: a press outside the player
    await expect.poll(() => queue.count()).toBe(0);
  });

  it('saves the queue and a selection as playlists, makes a smart one, plays, edits, renames and removes them', async () => {
    const player = page.getByRole('region', { name: 'Player' });
    await player.getByRole('button', { name: 'Queue', exact: true }).click();
    const queued = await page.getByRole('list', { name: 'Queue' }).getByRole('listitem').count();
    await page.getByRole('button', { name: 'Save the queue as a playlist…' }).click();
    await page.getByLabel('Playlist name').fill('Radio mix');
    await page.getByRole('button', { name: 'Save playlist', exact: true }).click();
    await player.getByRole('button', { name: 'Queue', exact: true }).click();
    const cliLists = () =>
      sleeveHereJson<Array<{ name: string; tracks: number; query: string | null }>>(homeDir, [
        'playlist',
        '--json',
      ]).map((p) => [p.name, p.tracks, p.query]);
    // Saved once the backend has answered the click, which nothing on the page waited for.
    await expect.poll(cliLists).toEqual([['Radio mix', queued, null]]);

    await tab('Playlists');
    const names = page.getByRole('list', { name: 'Playlist names' });
    await names.getByRole('button', { name: 'Radio mix' }).click();
    const entries = page.getByRole('list', { name: 'Tracks of Radio mix' }).getByRole('listitem');
    await expect.poll(() => entries.count()).toBe(queued);
    const firstTitle = (await entries.first().locator('span').first().textContent())!;
    await entries
      .first()
      .getByRole('button', { name: `Remove ${firstTitle} from the playlist` })
      .click();
    await expect.poll(() => entries.count()).toBe(queued - 1);
    expect(cliLists()).toEqual([['Radio mix', queued - 1, null]]);

    // A smart playlist from a query: one file per recording, so the copied techno piece counts once.
    await page.getByRole('button', { name: 'New smart playlist' }).click();
    const form = page.getByRole('form', { name: 'New smart playlist' });
    await form.getByLabel('Name').fill('Techno');
    await form.getByLabel('Query').fill('genre:techno');
    await form.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Tracks of Techno' }).getByRole('listitem').count())
      .toBe(3);
    const playlistsView = page.getByRole('region', { name: 'Playlists' });
    await playlistsView.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => player.locator('.now-playing strong').textContent()).toMatch(/^techno-/);
    await player.getByRole('button', { name: 'Pause' }).click();

    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name').fill('Techno mix');
    await page.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(cliLists).toContainEqual(['Techno mix', 3, 'genre:techno']);
    await page.getByRole('button', { name: 'Remove…' }).click();
    await page.getByRole('button', { name: 'Remove playlist' }).click();
    await expect.poll(() => names.getByRole('listitem').count()).toBe(1);
    expect(cliLists().map(([n]) => n)).toEqual(['Radio mix']);
    // Undoable from the notice it leaves; then removed again.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(cliLists).toContainEqual(['Techno mix', 3, 'genre:techno']);
    await expect.poll(() => names.getByRole('listitem').count()).toBe(2);
    await page.getByRole('button', { name: 'Remove…' }).click();
    await page.getByRole('button', { name: 'Remove playlist' }).click();
    await expect.poll(() => names.getByRole('listitem').count()).toBe(1);

    // A selection saved as a list; a playlist made in the shell appears in the app by itself.
    await tab('Tracks');
    await (await onlyRow('title:=breakbeat-2', 'breakbeat-2')).click();
    await page.getByRole('button', { name: 'More ▾' }).click();
    await page.getByRole('menuitem', { name: 'Save as playlist…' }).click();
    await page.getByLabel('Playlist name').fill('Picked');
    await page.getByRole('button', { name: 'Save playlist', exact: true }).click();
    await expect.poll(() => cliLists().map(([n]) => n)).toContain('Picked');
    sleeveHere(homeDir, ['playlist', 'new', 'From the shell', '--smart', 'genre:breakbeat']);
    await tab('Playlists');
    await expect.poll(() => names.getByRole('button', { name: 'From the shell' }).count()).toBe(1);

    // Export a playlist as a file naming the originals; import one, told what could not be placed.
    await names.getByRole('button', { name: 'Picked' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export M3U8' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('Picked.m3u8');
    // The browser is the run's shared one (tests/e2e-setup.ts), reached over a socket: saved here.
    const copy = join(tempDir(), saved.suggestedFilename());
    await saved.saveAs(copy);
    const exported = readFileSync(copy, 'utf8');
    expect(exported).toBe(
      `#EXTM3U\n#EXTINF:20,breakbeat artist - breakbeat-2\n${join(music, 'breakbeat-2.flac')}\n`,
    );
    await page.locator('input[type=file]').setInputFiles({
      name: 'Imported.m3u8',
      mimeType: 'audio/x-mpegurl',
      buffer: Buffer.from(
        `#EXTM3U\n${join(music, 'techno-1.flac')}\nhttp://radio.example/live\nrelative.flac\n`,
      ),
    });
    const report = page.getByRole('status').filter({ hasText: 'Imported' });
    await expect.poll(() => report.textContent()).toContain('Imported 1 entry of 3 into “Imported”');
    expect(await page.getByRole('list', { name: 'Entries not imported' }).textContent()).toMatch(
      /line 3: http:\/\/radio\.example\/live \(a URL, not a file\).*line 4: relative\.flac \(a relative path/,
    );
    await expect
      .poll(() => page.getByRole('list', { name: 'Tracks of Imported' }).textContent())
      .toContain('techno-1');
    // The same file again: a list of its own beside the first, not refused.
    await page.locator('input[type=file]').setInputFiles({
      name: 'Imported.m3u8',
      mimeType: 'audio/x-mpegurl',
      buffer: Buffer.from(`#EXTM3U\n${join(music, 'techno-1.flac')}\n`),
    });
    await expect.poll(() => report.textContent()).toContain('Imported 1 entry of 1 into “Imported (2)”');
    await tab('Tracks');
    await page.getByLabel('Query').fill('');
  });

  it('draws the map, names a track on hover and selects it on click', async () => {
    // Earlier notices dismissed: a second one at once takes room from the view (and so from the map).
    // Each dismissal of the shown ones brings up those folded away (they wait there), until none is left.
    await expect
      .poll(async () => {
        await page.evaluate("document.querySelectorAll('.toast .close').forEach((b) => b.click())");
        return page.locator('.toast').count();
      })
      .toBe(0);
    await tab('Similar');
    // One point per recording: 13 files, one of them a copy of another.
    const canvas = page.getByRole('img', { name: /Library map of 12 tracks/ });
    await expect.poll(() => canvas.getAttribute('data-view')).not.toBeNull();
    const view = JSON.parse((await canvas.getAttribute('data-view'))!) as {
      cx: number;
      cy: number;
      scale: number;
      width: number;
      height: number;
    };
    const { points } = sleeveHereJson<MapJson>(homeDir, ['map', '--json']);
    const target = idOf('music-box-2.flac');
    const p = points.find((q) => q.id === target)!;
    const box = (await canvas.boundingBox())!;
    const x = box.x + (p.x - view.cx) * view.scale + view.width / 2;
    const y = box.y + (view.cy - p.y) * view.scale + view.height / 2;
    // Something was drawn there: the pixel under the point is not the background.
    const painted = await page.evaluate(
      `(() => { const c = document.querySelector('canvas'); const d = c.getContext('2d').getImageData(${Math.round(
        x - box.x,
      )}, ${Math.round(y - box.y)}, 1, 1).data; return d[3]; })()`,
    );
    expect(painted).toBe(255);
    await page.mouse.move(x, y);
    await expect.poll(() => page.getByRole('tooltip').textContent()).toContain('music-box-2');
    await page.mouse.click(x, y);
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).first().textContent())
      .toContain('music-box-2');
    // The new seed's neighbours replace the last ones once they arrive.
    const firstTitle = async () =>
      (
        await page.getByRole('list', { name: 'Similar tracks' }).locator('.neighbour-title').allTextContents()
      )[0];
    await expect.poll(firstTitle).toMatch(/^music-box-[01] /);
  });

  it('checks the template as it is typed, previews paths, mounts, is listed from a shell, and unmounts', async (ctx) => {
    if (!fuse.ok) return ctx.skip(`FUSE is unavailable on this machine: ${fuse.reason}`);
    await tab('Tracks');
    await page.getByLabel('Query').fill('techno');
    // Three techno recordings; the one held twice is listed once, as its kept copy (the MP3).
    await expect.poll(() => page.locator('.track-table .row').count()).toBe(3);
    await tab('Mount');
    const template = page.getByLabel('Path template');
    await page.getByLabel('Mount point').fill(mountpoint);
    const mountButton = page.getByRole('button', { name: 'Mount', exact: true });
    await template.fill('$genre/%if{$artist');
    await expect.poll(() => page.locator('#template-error').textContent()).toMatch(/position \d+/);
    expect(await mountButton.isDisabled()).toBe(true);
    // A field no file has and Sleeve does not know: the backend's error, where it is, with the closest name.
    await template.fill('$genre/$titel');
    await expect
      .poll(() => page.locator('#template-error').textContent())
      .toBe(
        'unknown field $titel at position 8 of the template: did you mean $title? (no file has it, and it is not one Sleeve knows) Use $genre/$title?',
      );
    expect(await mountButton.isDisabled()).toBe(true);
    // Cleared: nothing to mount (not the last valid template).
    await template.fill('');
    await expect.poll(() => page.locator('#template-error').textContent()).toBe('a template is needed');
    expect(await mountButton.isDisabled()).toBe(true);
    await template.fill('%upper{$genre}/$title');
    await expect.poll(() => page.locator('#template-error').count()).toBe(0);
    await expect.poll(() => mountButton.isDisabled()).toBe(false);
    const preview = page.getByRole('list', { name: 'Path preview' });
    await expect.poll(() => preview.textContent()).toContain('TECHNO/techno-1.flac');
    // The MP3 copy has no genre: an empty first component falls away.
    expect(await preview.textContent()).toContain(`${COPIED}.mp3`);

    // One file per recording: every duplicate group's other copies are left out.
    const groups = sleeveHereJson<Array<{ members: unknown[] }>>(homeDir, ['dup', '--json']);
    const copies = groups.reduce((n, g) => n + g.members.length - 1, 0);
    expect(copies).toBeGreaterThan(0);
    const mountAndList = async (expected: string) => {
      await page.getByRole('button', { name: 'Mount', exact: true }).click();
      const entry = page.getByRole('listitem', { name: `Mount ${mountpoint}` });
      await expect.poll(() => entry.textContent(), { timeout: 30_000 }).toContain(expected);
      const listing = execFileSync('ls', ['-R', mountpoint], { encoding: 'utf8' });
      await entry.getByRole('button', { name: 'Unmount' }).click();
      await expect
        .poll(() => page.getByText('Nothing is mounted.').isVisible(), { timeout: 15_000 })
        .toBe(true);
      expect(kernelMounts().has(mountpoint)).toBe(false);
      return listing;
    };
    const kept = await mountAndList(`${13 - copies} files · one copy per recording`);
    expect(kept).toContain('TECHNO');
    expect(kept).toContain('techno-1.flac');
    expect(kept).toContain('BREAKBEAT');
    // The copy kept in the Duplicates view above is the MP3: the mount serves it, not the FLAC.
    expect(kept).toContain(`${COPIED}.mp3`);
    expect(kept).not.toContain(`${COPIED}.flac`);
    // The playlists saved above, as files any player opens.
    expect(kept).toContain('Radio mix.m3u8');
    expect(kept).toContain('Picked.m3u8');
    await page.getByLabel('Every copy of a recording').check();
    const all = await mountAndList('13 files · every copy');
    expect(all).toContain(`${COPIED}.mp3`);
    expect(all).toContain(`${COPIED}.flac`);
  });

  it('never changes the original files', () => {
    expect(hashTree(music)).toEqual(before);
  });
});
