// npm run bench -- gapless [--tracks N]
// The silence between two tracks of the play queue, in Debian's Chromium over `sleeve serve`, on real music
// (Ogg Vorbis, FLAC and MP3 from Debian's game music). Sleeve's player loads the next track ahead on a
// second <audio> element and starts it at the end of the first; the baseline in the same run, on the same
// files, server and browser, is one element given the next track when the first ends (what the player did
// before, less its React render). Each transition: the track is sought to 5 s before its end, and the gap
// is measured from its `ended` event to the next track's `playing` event, and to the first frame whose
// media clock has moved (currentTime > 0, polled every animation frame: ±17 ms).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { serveProcess } from '../tests/fixtures/backend.ts';
import { launchChromium } from '../tests/fixtures/browser.ts';
import { machine, percentile, scanTagsOnly } from './measure.ts';
import { musicLibrary } from './music-library.ts';
import { benchTempDir } from './temp-dir.ts';

const CLI = new URL('../app/cli/sleeve.js', import.meta.url).pathname;
const BEFORE_END_S = 5;

// In-page code is plain JavaScript: this file is type-checked for Node, without the DOM's types.

/** Records, for every `ended` of an <audio> in the page, when another one plays and when its clock moves. */
const RECORD_GAPS = `() => {
  window.gaps = [];
  document.addEventListener('ended', (e) => {
    const ended = e.target, at = performance.now(), gap = { playing: null, moving: null };
    window.gaps.push(gap);
    const onPlaying = () => {
      if (gap.playing === null) gap.playing = performance.now() - at;
      document.removeEventListener('playing', onPlaying, true);
    };
    document.addEventListener('playing', onPlaying, true);
    const poll = () => {
      // The baseline's one element counts once it has started over.
      const moving = [...document.querySelectorAll('audio')].some(
        (a) => !a.paused && a.currentTime > 0 && (a !== ended || a.currentTime < a.duration / 2),
      );
      if (moving) gap.moving = performance.now() - at;
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }, true);
}`;

/** One element in the page, given the next track when the last one ends (its 'ended' listener runs after
 *  the page's capture listener, like the player's onEnded). */
const BASELINE = `async ([urls, beforeEnd]) => {
  const a = document.body.appendChild(document.createElement('audio'));
  const event = (name) => new Promise((r) => a.addEventListener(name, r, { once: true }));
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  a.src = urls[0];
  await event('canplay');
  for (let i = 0; i + 1 < urls.length; i++) {
    a.currentTime = Math.max(0, a.duration - beforeEnd);
    await a.play();
    await event('ended');
    a.src = urls[i + 1];
    void a.play();
    while (window.gaps.length <= i || window.gaps[i].moving === null) await frame();
    a.pause();
  }
  a.remove();
}`;

interface Gap {
  playing: number | null;
  moving: number | null;
}

/** Polls an expression in the page until it is true (the app's CSP refuses waitForFunction's eval). */
async function until(page: Page, expression: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const gapsOf = (page: Page) => page.evaluate('window.gaps') as Promise<Gap[]>;

function summary(label: string, gaps: readonly Gap[]): string {
  const part = (key: keyof Gap) => {
    const values = gaps.map((g) => g[key]).filter((v): v is number => v !== null);
    const sorted = [...values].sort((a, b) => a - b);
    return `p50 ${percentile(sorted, 50).toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms (${values.length} of ${gaps.length})`;
  };
  return `${label}\n  ended → next 'playing' event: ${part('playing')}\n  ended → its clock moving: ${part('moving')}`;
}

export async function main(args: string[]): Promise<void> {
  const tracksArg = args.indexOf('--tracks');
  const tracks = tracksArg >= 0 ? Number(args[tracksArg + 1]) : 9;
  console.log(`machine: ${machine()}`);
  const music = musicLibrary(tracks);
  const home = join(benchTempDir('sleeve-bench-gapless-'), 'home');
  scanTagsOnly(home, music);
  const ids = execFileSync(process.execPath, [
    CLI,
    '--home',
    home,
    'ls',
    '--all-copies',
    'path:/./',
    '-f',
    '$id',
  ])
    .toString()
    .trim()
    .split('\n');
  console.log(`library: ${ids.length} tracks of real music (Ogg Vorbis, FLAC, MP3)`);
  // What `npm run web` serves: the renderer built into renderer/dist.
  await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
  const server = await serveProcess(home, { sleeveJs: CLI, ui: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('.track-table .row[data-id]');
    await page.evaluate(`(${RECORD_GAPS})()`);

    // 1. Sleeve's player: the whole list queued from its first row, each track sought near its end.
    await page.locator('.track-table .row').first().dblclick();
    for (let t = 0; t + 1 < ids.length; t++) {
      await until(
        page,
        `(() => {
        const a = document.querySelector('audio[data-active]');
        return a && Number.isFinite(a.duration) && a.duration > ${BEFORE_END_S} && !a.paused;
      })()`,
      );
      await page.evaluate(`(() => {
        const a = document.querySelector('audio[data-active]');
        a.currentTime = a.duration - ${BEFORE_END_S};
      })()`);
      await until(page, `window.gaps.length > ${t} && window.gaps[${t}].moving !== null`);
    }
    await page.getByRole('button', { name: 'Pause' }).click();
    const player = await gapsOf(page);

    // 2. Baseline: one element, the next track given to it at the end.
    await page.evaluate('window.gaps = []');
    const urls = ids.map((id) => `http://127.0.0.1:${server.port}/media/${id}?token=${server.token}`);
    await page.evaluate(`(${BASELINE})(${JSON.stringify([urls, BEFORE_END_S])})`);
    const baseline = await gapsOf(page);

    console.log(
      summary(
        `Sleeve's player (next track loaded ahead on a second element): ${player.length} transitions`,
        player,
      ),
    );
    console.log(
      summary(`baseline (one element, loaded at the end): ${baseline.length} transitions`, baseline),
    );
  } finally {
    await browser.close();
    server.stop();
  }
}
