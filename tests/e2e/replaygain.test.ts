// ReplayGain in the app, in Debian's Chromium, on two albums of steady tones Sleeve measured in its scan:
// the editor's loudness facts, the Track gain column, and the player applying the track or the album gain
// (what reaches the speakers, through Web Audio) with clipping prevention; and the same sound when the
// page is on another origin than the backend, as in the desktop shell.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGain } from '../../renderer/src/format.ts';
import { outputPeak, tapAudioOutput } from '../fixtures/audio-tap.ts';
import { type OpenApp, openApp, openAsShell } from '../fixtures/browser.ts';
import { flacTags, makeWav, run } from '../fixtures/library.ts';
import { sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Facts {
  path: string;
  integrated: number;
  range: number;
  truePeak: number;
  trackGain: number;
  album: { gain: number; tracks: number } | null;
}

/** Each file's amplitude (a 440 Hz sine), album and format; `burst`: a full-scale blip at its end, so a
 *  quiet track's gain would clip. */
const TRACKS = {
  bright: { amplitude: 0.5, album: 'Loud', ext: 'flac' },
  dim: { amplitude: 0.2, album: 'Loud', ext: 'flac' },
  whisper: { amplitude: 0.02, album: 'Quiet', ext: 'flac', burst: true },
  far: { amplitude: 0.1, album: 'Quiet', ext: 'wv' },
} as const;
type Name = keyof typeof TRACKS;
const SECONDS = 20;

function makeTrack(dir: string, name: Name, number: number): void {
  const t = TRACKS[name];
  mkdirSync(join(dir, t.album), { recursive: true });
  const wav = join(dir, `${name}.wav`);
  makeWav(wav, 440, SECONDS, 44100, 2, t.amplitude);
  if ('burst' in t) {
    makeWav(join(dir, 'burst.wav'), 440, 0.01, 44100, 2, 0.95);
    run('sox', [wav, join(dir, 'burst.wav'), join(dir, 'joined.wav')]);
    run('mv', [join(dir, 'joined.wav'), wav]);
  }
  const tags = {
    title: name,
    artist: 'Tester',
    albumartist: 'Tester',
    album: t.album,
    tracknumber: `${number}`,
  };
  const out = join(dir, t.album, `${name}.${t.ext}`);
  if (t.ext === 'flac') run('flac', ['-s', '-f', ...flacTags(tags), wav, '-o', out]);
  else
    run('wavpack', [
      '-q',
      '-y',
      ...Object.entries(tags).flatMap(([k, v]) => ['-w', `${k}=${v}`]),
      wav,
      '-o',
      out,
    ]);
  run('rm', ['-f', wav, join(dir, 'burst.wav')]);
}

/** Scans the music (its loudness measured) and opens the app on it, the audio output tapped. */
async function scanAndOpen(
  home: string,
  music: string,
  open: (home: string) => Promise<OpenApp>,
): Promise<OpenApp> {
  expect(sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
  const app = await open(home);
  await tapAudioOutput(app.page);
  await app.page.reload();
  return app;
}

/** What the speakers get of a tone at this gain. */
const level = (amplitude: number, db: number) => amplitude * 10 ** (db / 20);
/** Within 3% of the expected level. */
const near = (expected: number) => (peak: number) => Math.abs(peak - expected) / expected < 0.03;

describe('ReplayGain in the app', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let facts: Record<Name, Facts>;
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    for (const [i, name] of (Object.keys(TRACKS) as Name[]).entries()) makeTrack(music, name, i + 1);
    app = await scanAndOpen(home, music, openApp);
    ({ page } = app);
    const all = sleeveHereJson<Facts[]>(home, ['loudness', '--json', '--all-copies']);
    facts = Object.fromEntries(all.map((f) => [f.path.split('/').pop()!.split('.')[0], f])) as typeof facts;
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  const row = (name: string) => page.locator('.track-table .row').filter({ hasText: name });
  const player = () => page.getByRole('region', { name: 'Player' });
  const applied = () => player().locator('.replaygain .applied').getAttribute('title');
  const peak = () => outputPeak(page);
  const mode = (m: string) => player().getByLabel('ReplayGain mode').selectOption(m);
  const playIn = async (m: string, name: Name) => {
    await mode(m);
    await row(name).dblclick();
    await expect.poll(() => player().locator('.now-playing strong').textContent()).toBe(name);
  };

  it("shows a track's loudness facts in the editor", async () => {
    await row('bright').click();
    const loudness = page.getByRole('form', { name: 'Tag editor' }).getByRole('region', { name: 'Loudness' });
    const f = facts.bright;
    const dB = (n: number, digits: number) => n.toFixed(digits).replace('-', '−');
    await expect
      .poll(() => loudness.locator('dt, dd').allTextContents())
      .toEqual([
        'Integrated',
        `${dB(f.integrated, 2)} LUFS`,
        'Range',
        `${dB(f.range, 1)} LU`,
        'True peak',
        `${dB(20 * Math.log10(f.truePeak), 2)} dBTP`,
        'Track gain',
        formatGain(f.trackGain),
        'Album gain',
        `${formatGain(f.album!.gain)} over 2 tracks`,
        'Players get',
        'ReplayGain measured by Sleeve',
      ]);
  });

  it('plays a track at its track gain or its album gain; auto: the album gain while its album plays in order', async () => {
    const f = facts.bright;
    await playIn('track', 'bright');
    await expect.poll(applied).toBe(`ReplayGain: track ${formatGain(f.trackGain)}`);
    await expect.poll(peak).toSatisfy(near(level(0.5, f.trackGain)));

    await mode('album');
    await expect.poll(applied).toBe(`ReplayGain: album ${formatGain(f.album!.gain)}`);
    await expect.poll(peak).toSatisfy(near(level(0.5, f.album!.gain)));

    // The table lists by path: dim is queued after bright, from its album.
    await mode('auto');
    await expect
      .poll(applied)
      .toBe(`ReplayGain: album ${formatGain(f.album!.gain)} (auto: an album in order)`);
    await player().getByRole('button', { name: 'Shuffle' }).click();
    await expect
      .poll(applied)
      .toBe(`ReplayGain: track ${formatGain(f.trackGain)} (auto: not an album in order)`);
    await expect.poll(peak).toSatisfy(near(level(0.5, f.trackGain)));
    await player().getByRole('button', { name: 'Shuffle' }).click();

    await mode('off');
    await expect.poll(applied).toBe('ReplayGain off');
    await expect.poll(peak).toSatisfy(near(0.5));
  });

  it("lowers a gain that would clip the track's peak, and remembers the mode", async () => {
    const f = facts.whisper;
    const peakTag = Number(f.truePeak.toFixed(6));
    const capped = -20 * Math.log10(peakTag);
    expect(f.trackGain).toBeGreaterThan(capped + 6);
    await playIn('track', 'whisper');
    await expect
      .poll(applied)
      .toBe(
        `ReplayGain: track ${formatGain(capped)} (lowered from ${formatGain(f.trackGain)}: its peak would clip)`,
      );
    await expect.poll(peak).toSatisfy(near(level(0.02, capped)));
    await player().getByRole('button', { name: 'Pause' }).click();

    await page.reload();
    await expect.poll(() => player().getByLabel('ReplayGain mode').inputValue()).toBe('track');
  });

  it('shows the Track gain column when chosen, sorted by the gain', async () => {
    expect(await page.getByRole('columnheader', { name: 'Track gain' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Choose columns' }).click();
    await page.getByRole('dialog', { name: 'Columns' }).getByLabel('Track gain (ReplayGain)').check();
    await page.getByRole('dialog', { name: 'Columns' }).getByRole('button', { name: 'Done' }).click();
    const gainOf = (name: Name) => row(name).locator('[data-column="replaygain_track_gain"]').textContent();
    await expect.poll(() => gainOf('bright')).toBe(formatGain(facts.bright.trackGain));
    await page.getByRole('columnheader', { name: 'Track gain' }).getByRole('button').click();
    const loudestFirst = (Object.keys(TRACKS) as Name[]).sort(
      (a, b) => facts[a].trackGain - facts[b].trackGain,
    );
    await expect
      .poll(() => page.locator('.track-table .row [data-column="title"]').allTextContents())
      .toEqual(loudestFirst);
  });

  it('lets a track that carries its own ReplayGain be played at the measured one, and back', async () => {
    expect(sleeveHere(home, ['set', 'title:far', 'replaygain_track_gain=-1.00 dB', '-y']).status).toBe(0);
    await row('far').click();
    const loudness = page.getByRole('form', { name: 'Tag editor' }).getByRole('region', { name: 'Loudness' });
    const playersGet = () => loudness.locator('dt:text-is("Players get") + dd').textContent();
    await expect.poll(playersGet).toBe('the file’s own ReplayGain');
    const choice = loudness.getByLabel('ReplayGain players get');
    expect(await choice.inputValue()).toBe('default');
    await choice.selectOption('measured');
    await expect.poll(playersGet).toBe('ReplayGain measured by Sleeve');
    // The table and the player read what is served now: the measured gain.
    const gainCell = row('far').locator('[data-column="replaygain_track_gain"]');
    await expect.poll(() => gainCell.textContent()).toBe(formatGain(facts.far.trackGain));
    const far = sleeveHereJson<Array<{ source: string; chosen: boolean }>>(home, [
      'loudness',
      '--json',
      'title:far',
    ]);
    expect(far[0]).toMatchObject({ source: 'measured', chosen: true });

    await choice.selectOption('default');
    await expect.poll(playersGet).toBe('the file’s own ReplayGain');
    await expect.poll(() => gainCell.textContent()).toBe(formatGain(-1));
  });
});

describe('ReplayGain with the page on another origin, as in the desktop shell', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    makeTrack(music, 'bright', 1);
    makeTrack(music, 'dim', 2);
    makeTrack(music, 'far', 3);
    app = await scanAndOpen(home, music, openAsShell);
    ({ page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  const player = () => page.getByRole('region', { name: 'Player' });
  const playing = () => player().locator('.now-playing strong').textContent();
  const audio = () => page.locator('audio[data-active]');
  /** What the playing element was given plays, and reaches the speakers. */
  const heard = async () => {
    await expect
      .poll(() => audio().evaluate((a: { currentTime: number }) => a.currentTime))
      .toBeGreaterThan(0.5);
    await expect.poll(() => outputPeak(page)).toBeGreaterThan(0.01);
  };

  it('is heard: a file as it is, the hand-over to the next, a transcoded one and a seek in it', async () => {
    await player().getByLabel('ReplayGain mode').selectOption('track');
    await page.locator('.track-table .row').filter({ hasText: 'bright' }).dblclick();
    await expect.poll(playing).toBe('bright');
    await heard();

    // To its end: dim, loaded ahead on the other element, starts there at its own gain.
    await player()
      .getByLabel('Seek')
      .fill(String(SECONDS - 1));
    await expect.poll(playing).toBe('dim');
    expect(await page.locator('audio').nth(1).getAttribute('data-active')).toBe('true');
    const dim = sleeveHereJson<Facts[]>(home, ['loudness', '--json', 'title:dim'])[0]!;
    await expect.poll(() => outputPeak(page)).toSatisfy(near(level(0.2, dim.trackGain)));

    await page.locator('.track-table .row').filter({ hasText: 'far' }).dblclick();
    await expect.poll(playing).toBe('far');
    await heard();
    await player().getByLabel('Seek').fill('12');
    await expect.poll(() => audio().getAttribute('src')).toMatch(/[?&]start=12\b/);
    await heard();
    expect(await page.locator('.toast').count()).toBe(0);
  });
});
