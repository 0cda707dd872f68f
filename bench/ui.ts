// npm run bench -- ui [--tracks N] [--screenshots]
// The app with a synthetic library of 100k tracks, a tenth of them held twice (recording groups of two)
// and a tenth edited (the table marks edited fields),
// in Debian's Chromium with the Tracks view's default of one file per recording: time to the first rows
// after load, latency per keystroke of query-as-you-type, frame times while scrolling, backend and
// renderer memory. Baselines in the same run: the backend's own answer time for each query, one per
// recording and every file (so the UI's share and the cost of leaving copies out show), and the trap the
// app avoids — the whole library fetched and rendered as one plain table.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import type { TrackRow } from '../app/shared/rpc-contract.ts';
import { RpcClient } from '../renderer/src/rpc-client.ts';
import { serveProcess } from '../tests/fixtures/backend.ts';
import { launchChromium } from '../tests/fixtures/browser.ts';
import { editAlbums, groupCopies, syntheticLibrary } from '../tests/fixtures/synthetic-library.ts';
import { machine, percentile } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

/** Resident memory of a Chromium's renderer processes (each browser here has one page). */
async function rendererRssMb(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + rssMb(p.id), 0);
}

async function heapMb(page: Page): Promise<{ heap: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { heap: get('JSHeapUsedSize') / 1024 / 1024, nodes: get('Nodes') };
}

// In-page code is plain JavaScript: this file is type-checked for Node, without the DOM's types.

/** Sets the query bar as a keystroke would, and times until that query's rows are painted. */
const KEYSTROKE = `async (value) => {
  const input = document.querySelector('input[aria-label="Query"]');
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  const t0 = performance.now();
  setter.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  for (;;) {
    await new Promise((r) => requestAnimationFrame(r));
    const area = document.querySelector('.table-area');
    if (area && area.dataset.query === value && area.getAttribute('aria-busy') === 'false') break;
  }
  await new Promise((r) => requestAnimationFrame(r)); // the frame that shows the rows
  return performance.now() - t0;
}`;

/** Scrolls an element by `step` px per frame for `frames` frames; returns each frame's duration. */
const SCROLL = `async ([selector, step, frames]) => {
  const el = document.querySelector(selector);
  const times = [];
  let last = await new Promise((r) => requestAnimationFrame(r));
  for (let i = 0; i < frames; i++) {
    el.scrollTop += step;
    const now = await new Promise((r) => requestAnimationFrame(r));
    times.push(now - last);
    last = now;
  }
  return times;
}`;

/** Records when the first track row with data appears (installed before the page loads). */
const FIRST_ROWS = `new MutationObserver((_, observer) => {
  if (document.querySelector('.track-table .row[data-id]')) {
    window.firstRowsMs = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, childList: true });`;

/** The baseline: every row in one plain table, timed to its first paint. */
const RENDER_ALL = `(rows) => {
  const t0 = performance.now();
  const table = document.createElement('table');
  for (const r of rows) {
    const tr = table.insertRow();
    for (const v of [r.tags.tracknumber, r.tags.title, r.tags.artist, r.tags.album, r.tags.date, r.tags.genre, r.path])
      tr.insertCell().textContent = v ?? '';
  }
  const box = document.createElement('div');
  box.style.cssText = 'height:100vh;overflow:auto';
  box.id = 'all';
  box.append(table);
  document.body.append(box);
  return new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(() => res(performance.now() - t0))));
}`;

const run = <T>(page: Page, fn: string, arg: unknown): Promise<T> =>
  page.evaluate(`(${fn})(${JSON.stringify(arg)})`) as Promise<T>;
const keystroke = (page: Page, text: string) => run<number>(page, KEYSTROKE, text);
const scrollFrames = (page: Page, selector: string, step: number, frames: number) =>
  run<number[]>(page, SCROLL, [selector, step, frames]);

function frameSummary(times: readonly number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const dropped = times.filter((t) => t > 1.5 * (1000 / 60)).length;
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms, ${dropped} of ${times.length} frames over 25 ms`;
}

export async function main(args: string[]): Promise<void> {
  const tracksArg = args.indexOf('--tracks');
  const tracks = tracksArg >= 0 ? Number(args[tracksArg + 1]) : 100_000;
  const shots = args.includes('--screenshots');
  console.log(`machine: ${machine()}`);
  const home = join(benchTempDir('sleeve-bench-ui-'), 'home');
  mkdirSync(home, { recursive: true });
  let started = performance.now();
  syntheticLibrary(home, tracks);
  const grouped = groupCopies(home);
  // A tenth of the tracks edited (an album's genre per batch): the table marks edited fields, read with
  // every window of rows.
  const edited = editAlbums(home);
  console.log(
    `synthetic library: ${tracks} tracks, ${grouped} of them in recording groups of two, ${edited} edited; written, grouped and edited in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // What `npm run web` serves: the renderer built into renderer/dist.
  await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
  const server = await serveProcess(home, { ui: true });
  const client = new RpcClient(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.addInitScript(FIRST_ROWS);

    // 1. First rows after load (navigation start → first data row in the DOM), cold backend then warm.
    const firstRows: number[] = [];
    for (let i = 0; i < 5; i++) {
      if (i === 0) await page.goto(server.url);
      else await page.reload();
      await page.waitForSelector('.track-table .row[data-id]');
      firstRows.push((await page.evaluate('window.firstRowsMs')) as number);
    }
    console.log(
      `\nfirst rows after load (ms): ${firstRows.map((t) => t.toFixed(0)).join(', ')} (first is a cold backend)`,
    );

    // 2. Query as you type: each keystroke's latency to painted rows, against the backend's own time.
    const typed = [
      'l',
      'lu',
      'lum',
      'lume',
      'lumen',
      'lumen g',
      'lumen ge',
      'lumen gen',
      'lumen genre',
      'lumen genre:',
      'lumen genre:j',
      'lumen genre:ja',
      'lumen genre:jaz',
    ];
    console.log(
      '\nquery as you type (ms per keystroke: UI to painted rows | backend library.page alone, one per recording | the same, every file | matches, counted after)',
    );
    const ui: number[] = [];
    const backendMs: number[] = [];
    const everyFileMs: number[] = [];
    const backendPage = async (query: string, onePerRecording: boolean) => {
      const b0 = performance.now();
      await client.call('library.page', { query, sort: null, offset: 0, limit: 100, onePerRecording });
      return performance.now() - b0;
    };
    for (const text of typed) {
      const t = await keystroke(page, text);
      // First the count: it waits for the UI's own count (one query at a time on the backend's query
      // worker; the UI asks for it after painting), so the timings below wait for nothing else.
      const matches = (await client.call('library.count', { query: text, onePerRecording: true })).total;
      // A trailing space parses the same but misses the backend's cache of the UI's query.
      const b = await backendPage(`${text} `, true);
      const every = await backendPage(`${text}  `, false);
      ui.push(t);
      backendMs.push(b);
      everyFileMs.push(every);
      console.log(
        `  ${JSON.stringify(text).padEnd(18)} ${t.toFixed(1).padStart(7)} | ${b.toFixed(1).padStart(7)} | ${every.toFixed(1).padStart(7)} | ${matches}`,
      );
    }
    const uiSorted = [...ui].sort((a, b) => a - b);
    console.log(
      `  UI p50 ${percentile(uiSorted, 50).toFixed(1)} ms, max ${uiSorted.at(-1)!.toFixed(1)} ms; backend share of the total ${((backendMs.reduce((a, b) => a + b, 0) / ui.reduce((a, b) => a + b, 0)) * 100).toFixed(0)} %; backend one per recording / every file: ${(backendMs.reduce((a, b) => a + b, 0) / everyFileMs.reduce((a, b) => a + b, 0)).toFixed(2)}×`,
    );
    await keystroke(page, '');

    // 3. Scrolling: 240 frames at 300 px per frame (a fast fling), in the app and in the baseline table.
    await page.locator('.track-table').focus();
    const appFrames = await scrollFrames(page, '.track-table', 300, 240);
    const jumpFrames = await scrollFrames(page, '.track-table', 50_000, 40);
    console.log('\nscroll frame times');
    console.log(`  app, 300 px/frame:        ${frameSummary(appFrames)}`);
    console.log(`  app, 50,000 px/frame:     ${frameSummary(jumpFrames)}`);

    // 4. Memory.
    const appMem = await heapMb(page);
    console.log('\nmemory');
    console.log(`  backend RSS ${rssMb(server.pid).toFixed(0)} MB`);
    console.log(
      `  renderer process RSS ${(await rendererRssMb(browser)).toFixed(0)} MB, JS heap ${appMem.heap.toFixed(1)} MB, ${appMem.nodes} DOM nodes`,
    );

    if (shots) await screenshots(page);

    // Baseline: the whole library in the renderer at once, fetched (200 windows of 500) into one plain
    // table. Last and in its own browser, so its load never slows the app's measurements.
    started = performance.now();
    const all: TrackRow[] = [];
    for (let offset = 0; offset < tracks; offset += 500)
      all.push(...(await client.call('library.page', { query: '', sort: null, offset, limit: 500 })).rows);
    const fetchAllMs = performance.now() - started;
    const baselineBrowser = await launchChromium();
    const baseline = await baselineBrowser.newPage({ viewport: { width: 1400, height: 860 } });
    await baseline.goto('about:blank');
    const renderAllMs = await run<number>(baseline, RENDER_ALL, all);
    console.log(
      `  baseline, whole library at once: fetch ${fetchAllMs.toFixed(0)} ms + render ${renderAllMs.toFixed(0)} ms`,
    );
    const warmFirst = percentile(
      [...firstRows.slice(1)].sort((a, b) => a - b),
      50,
    );
    console.log(
      `  ratio: first rows (warm median ${warmFirst.toFixed(0)} ms) / whole-library baseline = ${(warmFirst / (fetchAllMs + renderAllMs)).toFixed(3)}`,
    );
    const baseFrames = await scrollFrames(baseline, '#all', 300, 240);
    console.log(`  baseline scrolling, 300 px/frame: ${frameSummary(baseFrames)}`);
    const baseMem = await heapMb(baseline);
    console.log(
      `  baseline renderer RSS ${(await rendererRssMb(baselineBrowser)).toFixed(0)} MB, ${baseMem.nodes} DOM nodes`,
    );
    await baselineBrowser.close();
  } finally {
    client.close();
    await browser.close();
    server.stop();
  }
}

/** The main views for docs/screenshots. */
async function screenshots(page: Page): Promise<void> {
  const dir = new URL('../docs/screenshots/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  await page.evaluate("document.querySelector('.track-table').scrollTop = 0");
  await keystroke(page, 'lumen genre:jazz');
  const rows = page.locator('.track-table .row');
  await rows.nth(0).click();
  await rows.nth(2).click({ modifiers: ['Shift'] });
  await page
    .getByRole('form', { name: 'Tag editor' })
    .getByLabel('Genre', { exact: true })
    .fill('Jazz; Fusion');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(dir, 'tracks.png') });
  await page.getByRole('form', { name: 'Tag editor' }).getByRole('button', { name: 'Save' }).click();
  await keystroke(page, '');
  await page.getByRole('tab', { name: 'Albums' }).click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(dir, 'albums.png') });
  await page.getByRole('tab', { name: 'Artists' }).click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(dir, 'artists.png') });
  await page.getByRole('tab', { name: 'History' }).click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(dir, 'history.png') });
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await page.getByLabel('Query').fill('genre:"jazz');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(dir, 'query-error.png') });
  await page.getByLabel('Query').fill('');
  await page.keyboard.press('?');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(dir, 'shortcuts.png') });
  console.log(`\nscreenshots in ${dir}`);
}
