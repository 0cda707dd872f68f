// npm run bench -- map [--tracks N] [--screenshots] [--figures PATH]
// The library map with 100k tracks in Debian's Chromium, a tenth of them held twice (recording groups of
// two), so the map draws one point per recording: the backend's map.points (time, payload; against the
// same library before its copies were grouped, every file a point), time to the first drawn map, and frame rate while panning (mouse drags) and zooming (wheel), from frame
// timestamps and the map's own draw count. Baselines in the same page and run, on a canvas of the same
// size: drawing every point as a Canvas2D path (arc + fill per point), and one SVG node per point (the
// trap the issue names) panned by a transform.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { RpcClient } from '../renderer/src/rpc-client.ts';
import { serveProcess } from '../tests/fixtures/backend.ts';
import { launchChromium } from '../tests/fixtures/browser.ts';
import { groupCopies, syntheticEmbeddings, syntheticLibrary } from '../tests/fixtures/synthetic-library.ts';
import { machine, percentile, writeFigures } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

// In-page code is plain JavaScript: this file is type-checked for Node, without the DOM's types.

/** Drives the map from inside the page, one input event per animation frame (a drag's pointer moves,
 *  or wheel steps in then out), and records each frame's timestamp and the map's draws (each draw
 *  rewrites the canvas's data-view). Playwright's own mouse is too slow to ask for a frame every 16 ms. */
const DRIVE = `async ([kind, frames]) => {
  const canvas = document.querySelector('.library-map canvas');
  let draws = 0;
  const observer = new MutationObserver(() => { draws++; });
  observer.observe(canvas, { attributes: true, attributeFilter: ['data-view'] });
  const r = canvas.getBoundingClientRect();
  const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  const pointer = (type, x, y) => canvas.dispatchEvent(new PointerEvent(type, {
    bubbles: true, clientX: x, clientY: y, pointerId: 1, pointerType: 'mouse', isPrimary: true, buttons: type === 'pointerup' ? 0 : 1 }));
  if (kind === 'pan') pointer('pointerdown', cx, cy);
  const stamps = [];
  for (let f = 0; f < frames; f++) {
    if (kind === 'pan') pointer('pointermove', cx + 200 * Math.sin(f / 20), cy + 120 * Math.cos(f / 25));
    else canvas.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: cx + 50, clientY: cy - 30, deltaY: f < frames / 2 ? -40 : 40 }));
    stamps.push(await new Promise((done) => requestAnimationFrame(done)));
  }
  if (kind === 'pan') pointer('pointerup', cx, cy);
  await new Promise((done) => requestAnimationFrame(done));
  observer.disconnect();
  return { frames: stamps, draws };
}`;

/** Baseline 1: every point as its own Canvas2D path, as a straightforward scatter plot draws. */
const CANVAS_PATHS = `async (frames) => {
  const src = document.querySelector('.library-map canvas');
  const c = document.createElement('canvas');
  c.width = src.width; c.height = src.height;
  c.style.cssText = 'position:fixed;left:0;top:0;z-index:100';
  document.body.append(c);
  const ctx = c.getContext('2d');
  const xy = window.benchXy; const cat = window.benchCat;
  const colors = ['#4e79a7','#f28e2b','#e15759','#76b7b2','#59a14f','#edc948','#b07aa1','#ff9da7','#9c755f','#2f4b7c','#a05195','#665191'];
  const times = [];
  for (let f = 0; f < frames; f++) {
    const t0 = performance.now();
    ctx.clearRect(0, 0, c.width, c.height);
    const s = Math.min(c.width, c.height) / 2 * 0.92, ox = c.width / 2 + f * 3, oy = c.height / 2;
    for (let i = 0; i < xy.length / 2; i++) {
      ctx.beginPath();
      ctx.arc(xy[2*i] * s + ox, oy - xy[2*i+1] * s, 1.5, 0, 6.283);
      ctx.fillStyle = colors[cat[i] % 12];
      ctx.fill();
    }
    await new Promise((r) => requestAnimationFrame(r));
    times.push(performance.now() - t0);
  }
  c.remove();
  return times;
}`;

/** Baseline 2: one SVG circle per point, panned by changing the group's transform each frame. */
const SVG_NODES = `async (frames) => {
  const t0 = performance.now();
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const src = document.querySelector('.library-map canvas');
  svg.setAttribute('width', src.clientWidth); svg.setAttribute('height', src.clientHeight);
  svg.style.cssText = 'position:fixed;left:0;top:0;z-index:100;background:#fff';
  const g = document.createElementNS(ns, 'g');
  svg.append(g);
  const xy = window.benchXy; const cat = window.benchCat;
  const colors = ['#4e79a7','#f28e2b','#e15759','#76b7b2','#59a14f','#edc948','#b07aa1','#ff9da7','#9c755f','#2f4b7c','#a05195','#665191'];
  const s = Math.min(src.clientWidth, src.clientHeight) / 2 * 0.92;
  for (let i = 0; i < xy.length / 2; i++) {
    const c = document.createElementNS(ns, 'circle');
    c.setAttribute('cx', (xy[2*i] * s + src.clientWidth / 2).toFixed(1));
    c.setAttribute('cy', (src.clientHeight / 2 - xy[2*i+1] * s).toFixed(1));
    c.setAttribute('r', '1.5');
    c.setAttribute('fill', colors[cat[i] % 12]);
    g.append(c);
  }
  document.body.append(svg);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const firstPaint = performance.now() - t0;
  const times = [];
  for (let f = 0; f < frames; f++) {
    const t = performance.now();
    g.setAttribute('transform', 'translate(' + (f * 3) + ',0)');
    await new Promise((r) => requestAnimationFrame(r));
    times.push(performance.now() - t);
  }
  svg.remove();
  return { firstPaint, times };
}`;

const run = <T>(page: Page, fn: string, arg: unknown): Promise<T> =>
  page.evaluate(`(${fn})(${JSON.stringify(arg)})`) as Promise<T>;

function rate(label: string, frames: readonly number[], draws: number): number {
  const gaps = frames
    .slice(1)
    .map((t, i) => t - frames[i]!)
    .sort((a, b) => a - b);
  const seconds = (frames.at(-1)! - frames[0]!) / 1000;
  const fps = draws / seconds;
  console.log(
    `${label}: ${draws} map draws in ${seconds.toFixed(2)} s = ${fps.toFixed(1)} draws/s; frame gaps p50 ${percentile(gaps, 50).toFixed(1)} ms, p95 ${percentile(gaps, 95).toFixed(1)} ms, max ${gaps.at(-1)!.toFixed(1)} ms`,
  );
  return fps;
}

/** A sorted copy: `percentile` wants its input in ascending order. */
const ascending = (times: readonly number[]) => [...times].sort((a, b) => a - b);
/** Frames per second at the median frame time. */
const frameRate = (times: readonly number[]) => 1000 / percentile(ascending(times), 50);

/** What the map measured (`--figures PATH` writes it for the million benchmark's analysis part). */
export interface MapFigures {
  readonly points: number;
  readonly pointsColdMs: number;
  readonly pointsCachedMs: number;
  readonly firstFrameMs: number;
  readonly panFps: number;
  readonly zoomFps: number;
  readonly firstNeighboursMs: number;
  readonly laterNeighboursMs: number;
}

export async function main(args: string[]): Promise<void> {
  const tracksArg = args.indexOf('--tracks');
  const tracks = tracksArg >= 0 ? Number(args[tracksArg + 1]) : 100_000;
  const figuresArg = args.indexOf('--figures');
  const figuresPath = figuresArg >= 0 ? args[figuresArg + 1] : undefined;
  console.log(`map benchmark — ${machine()}, ${new Date().toISOString().slice(0, 10)}`);
  const home = join(benchTempDir('sleeve-bench-map-'), 'home');
  mkdirSync(home, { recursive: true });
  syntheticLibrary(home, tracks);
  console.log(`synthetic library: ${syntheticEmbeddings(home)} tracks with embeddings`);
  await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
  /** The backend alone, fresh: the projection (cold, then cached), then after the first edit of file
   *  `edited` (a copy's first edit may move its recording's kept copy), and the packed payload. */
  const mapPoints = async (
    label: string,
    edited: number,
  ): Promise<{ count: number; coldMs: number; cachedMs: number; editedMs: number }> => {
    const server = await serveProcess(home, { ui: true });
    const client = new RpcClient(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`);
    const times: number[] = [];
    let count = 0;
    for (const when of ['cold', 'cached', `after file ${edited}'s first edit`]) {
      if (times.length === 2) {
        const summary = await client.call('tags.summary', {
          target: { kind: 'query', query: `id:${edited}`, except: [] },
        });
        const changes = [{ key: 'genre', values: ['Mapped'], loadedFrom: summary.preview }];
        await client.call('tags.edit', { preview: summary.preview, changes });
      }
      const t0 = performance.now();
      const map = await client.call('map.points', { color: 'genre' });
      times.push(performance.now() - t0);
      const bytes = map.ids.length + map.xy.length + map.category.length;
      count = map.count;
      console.log(
        `map.points ${when}, ${label}: ${times.at(-1)!.toFixed(0)} ms, ${map.count} points, ${(bytes / 1e6).toFixed(2)} MB of base64`,
      );
    }
    client.close();
    server.stop();
    return { count, coldMs: times[0]!, cachedMs: times[1]!, editedMs: times[2]! };
  };
  await mapPoints('every file a point (no copies grouped yet)', 3);
  console.log(`${groupCopies(home)} tracks put in recording groups of two`);
  const projected = await mapPoints('one point per recording', 1);
  const points = projected.count;
  const server = await serveProcess(home, { ui: true });
  const client = new RpcClient(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`);
  const browser = await launchChromium();
  try {
    await client.call('map.points', { color: 'genre' }); // the projection cached, as above
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(server.url);
    await page.waitForSelector('.track-table .row[data-id]');
    const t0 = performance.now();
    await page.getByRole('tab', { name: 'Similar' }).click();
    await page.waitForSelector(`.library-map canvas[data-points="${points}"][data-view]`, {
      timeout: 60_000,
    });
    const firstFrameMs = performance.now() - t0;
    console.log(`Similar tab → first map frame: ${firstFrameMs.toFixed(0)} ms`);
    const pan = await run<{ frames: number[]; draws: number }>(page, DRIVE, ['pan', 300]);
    const panFps = rate('pan (a drag, one pointer move per frame)', pan.frames, pan.draws);
    const zoom = await run<{ frames: number[]; draws: number }>(page, DRIVE, ['zoom', 300]);
    const zoomFps = rate('zoom (wheel steps, in then out, one per frame)', zoom.frames, zoom.draws);

    // A click on the map: the first "more like this" also brings LanceDB's table up to date (100k rows
    // written and indexed once), later ones only search.
    const canvas = page.locator('.library-map canvas');
    await canvas.dblclick();
    const box = (await canvas.boundingBox())!;
    const neighboursMs: number[] = [];
    for (const [label, fx] of [
      ['first (syncs the similarity table)', 0.45],
      ['second', 0.6],
    ] as const) {
      const t = performance.now();
      await page.mouse.click(box.x + box.width * fx, box.y + box.height * 0.5);
      await page.waitForSelector('.neighbours li', { timeout: 300_000 });
      await page.waitForSelector('.similar-list .loading', { state: 'detached', timeout: 300_000 });
      neighboursMs.push(performance.now() - t);
      console.log(`click on the map → neighbours listed, ${label}: ${neighboursMs.at(-1)!.toFixed(0)} ms`);
    }
    if (args.includes('--screenshots')) {
      await page.waitForTimeout(500);
      await page.screenshot({ path: new URL('../docs/screenshots/map-100k.png', import.meta.url).pathname });
    }

    // Baselines: the same points, drawn the two ways the app avoids.
    const map = await client.call('map.points', { color: 'genre' });
    await page.evaluate(
      `window.benchXy = new Float32Array(Uint8Array.from(atob(${JSON.stringify(map.xy)}), (c) => c.charCodeAt(0)).buffer);
       window.benchCat = Uint8Array.from(atob(${JSON.stringify(map.category)}), (c) => c.charCodeAt(0));`,
    );
    const paths = await run<number[]>(page, CANVAS_PATHS, 20);
    const svg = await run<{ firstPaint: number; times: number[] }>(page, SVG_NODES, 30);
    console.log(
      `baseline, a Canvas2D path per point: frame p50 ${percentile(ascending(paths), 50).toFixed(0)} ms = ${frameRate(paths).toFixed(1)} fps`,
    );
    console.log(
      `baseline, an SVG node per point: first paint ${svg.firstPaint.toFixed(0)} ms; pan frame p50 ${percentile(ascending(svg.times), 50).toFixed(0)} ms = ${frameRate(svg.times).toFixed(1)} fps`,
    );
    const worst = Math.min(panFps, zoomFps);
    if (figuresPath !== undefined) {
      const [firstNeighboursMs, laterNeighboursMs] = neighboursMs as [number, number];
      const { coldMs: pointsColdMs, cachedMs: pointsCachedMs } = projected;
      writeFigures(figuresPath, {
        points,
        pointsColdMs,
        pointsCachedMs,
        firstFrameMs,
        panFps,
        zoomFps,
        firstNeighboursMs,
        laterNeighboursMs,
      } satisfies MapFigures);
    }
    console.log(
      `\nratios: map ${worst.toFixed(1)} draws/s (slower of pan and zoom) = ${(worst / frameRate(paths)).toFixed(1)}× the path-per-point canvas, ${(worst / frameRate(svg.times)).toFixed(1)}× the SVG; goal ≥ 30 fps: ${worst >= 30 ? 'met' : 'NOT met'}`,
    );
  } finally {
    client.close();
    await browser.close();
    server.stop();
  }
}
