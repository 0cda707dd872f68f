// npm run bench -- trial [--tracks N]
// The large-library trial a new user makes, scripted: a library of N synthetic tracks and 40 real FLACs,
// mounted; in the app (Debian's Chromium) every track but the tagger's is retagged through the tag editor
// while a tagger (mutagen) saves through the mount and the user browses (queries typed); the backend is
// killed (SIGKILL) while the edit is still being derived and started again, and the page reconnects by
// itself. Then: every track shows the edit, every save the tagger was told landed is in the mount, and
// the library is whole (`PRAGMA integrity_check`; the full-text index finds the edit on every track).
// What it prints is measured as the user sees it: the page's footer, the mount's bytes.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { serveProcess } from '../tests/fixtures/backend.ts';
import { launchChromium } from '../tests/fixtures/browser.ts';
import { syntheticLibrary } from '../tests/fixtures/synthetic-library.ts';
import {
  addRealTracks,
  lastSaves,
  mountLibrary,
  REAL_TRACKS,
  SAVED_TRACKS,
  startSaver,
  untilShown,
} from './edit-mount.ts';
import { latencies, machine, waitUntil } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

const GENRE = 'Zydeco Drone';
const SLEEVE_JS = new URL('../app/cli/sleeve.js', import.meta.url).pathname;

/** The footer's text (the page's status line). */
const footer = (page: Page) => page.getByRole('status').filter({ hasText: 'library:' }).textContent();

/** Types a query and times until the footer counts its tracks (`expected`). */
async function typed(page: Page, query: string, expected: RegExp, timeoutMs = 60_000): Promise<number> {
  const t0 = performance.now();
  await page.getByLabel('Query').fill(query);
  await waitUntil(async () => expected.test((await footer(page)) ?? ''), {
    what: `the count of ${query}`,
    timeoutMs,
  });
  return performance.now() - t0;
}

export async function main(args: string[]): Promise<void> {
  const i = args.indexOf('--tracks');
  const tracks = Number(i >= 0 ? args[i + 1] : 100_000);
  const edited = tracks + REAL_TRACKS - SAVED_TRACKS;
  const shownEdited = edited.toLocaleString('en');
  console.log(
    `trial on ${machine()}, ${new Date().toISOString()}: ${tracks} synthetic tracks, ${REAL_TRACKS} real FLACs`,
  );
  const home = benchTempDir('sleeve-bench-trial-');
  syntheticLibrary(home, tracks);
  addRealTracks(SLEEVE_JS, home, benchTempDir('sleeve-bench-trial-'));
  // Albums to browse to meanwhile (ten tracks each).
  const library = new Database(join(home, 'library.db'), { readonly: true });
  const albums = library
    .prepare("SELECT value FROM tags WHERE key = 'album' GROUP BY value HAVING count(*) = 10 LIMIT 10")
    .pluck()
    .all() as string[];
  library.close();
  const mount = mountLibrary(SLEEVE_JS, home, join(benchTempDir('sleeve-bench-trial-'), 'mnt'));
  await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
  let backend = await serveProcess(home, { ui: true });
  const browser = await launchChromium();
  let stopSaver: (() => Promise<unknown>) | undefined;
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(backend.url);
    // Every track but the tagger's: an edit of those would rightly be refused as changed since its preview.
    await typed(page, '^album:Saved', new RegExp(`^${shownEdited} tracks`));
    await page.locator('.track-table .row').first().click();
    await page.keyboard.press('Control+a');
    await waitUntil(async () => (await footer(page))?.includes(`${shownEdited} selected`) ?? false, {
      what: 'all selected',
      timeoutMs: 120_000,
    });
    const editor = page.getByRole('form', { name: 'Tag editor' });
    const genre = editor.getByLabel('Genre', { exact: true });
    await waitUntil(async () => (await genre.getAttribute('placeholder')) === '(mixed)', {
      what: 'the editor',
      timeoutMs: 120_000,
    });
    await genre.fill(GENRE);
    const stopTagger = await startSaver(mount.saved);
    stopSaver = stopTagger;
    let t0 = performance.now();
    await editor.getByRole('button', { name: 'Save' }).click();
    const notice = page.locator('.toast').filter({ hasText: `Saved ${shownEdited} tracks` });
    const saved = await waitUntil(async () => (await notice.count()) > 0, {
      what: 'the notice',
      timeoutMs: 120_000,
    });
    await waitUntil(async () => /updating [\d,]+ tracks…/.test((await footer(page)) ?? ''), {
      what: '"updating…"',
      timeoutMs: 120_000,
    });
    // Browsing meanwhile: one album's tracks after another, counted in the footer.
    const keystrokes: number[] = [];
    for (const album of albums) keystrokes.push(await typed(page, `album:"${album}"`, /^10 tracks/));
    const lagBefore = (await footer(page))?.match(/updating ([\d,]+) tracks/)?.[1] ?? 'none';
    process.kill(backend.pid, 'SIGKILL');
    const killedAtMs = Date.now();
    const killedAt = (performance.now() - t0) / 1000;
    await waitUntil(async () => (await footer(page))?.includes('unreachable') ?? false, {
      what: 'the page sees the backend gone',
      timeoutMs: 60_000,
    });
    backend = await serveProcess(home, { ui: true, port: backend.port });
    const back = await waitUntil(async () => !/connecting|unreachable/.test((await footer(page)) ?? ''), {
      what: 'the page reconnects',
      timeoutMs: 120_000,
    });
    // The footer says "updating…" again after the new backend's first slice; a query says when it is done.
    await typed(page, `genre:"${GENRE}"`, new RegExp(`^${shownEdited} tracks`), 1_800_000);
    const shown = (performance.now() - t0) / 1000;
    const watched = mount.watched.map((path) => ({ path, text: `=${GENRE}` }));
    const inMount = await untilShown(watched, 600_000);
    const mountSeconds = (performance.now() - t0) / 1000;
    const saves = await stopTagger();
    stopSaver = undefined;
    t0 = performance.now();
    const landed = await untilShown(lastSaves(saves), 120_000);
    const refused = saves.filter((s) => s.error !== null);
    backend.stop();
    const db = new Database(join(home, 'library.db'), { readonly: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    const count = (sql: string) => db.prepare(sql).pluck().get(GENRE) as number;
    const byTags = count("SELECT count(DISTINCT file_id) FROM tags WHERE key = 'genre' AND value = ?");
    const bySearch = count(`SELECT count(*) FROM search WHERE search MATCH '"' || ? || '"'`);
    db.close();
    console.log(`  the edit saved (its notice shown)                       ${saved.toFixed(1)} s`);
    console.log(`  queries typed meanwhile, counted in the footer          ${latencies(keystrokes)}`);
    console.log(
      `  backend killed (SIGKILL) ${killedAt.toFixed(1)} s after saving, with ${lagBefore} tracks left`,
    );
    console.log(`  the page reconnected to the new backend after           ${back.toFixed(1)} s`);
    console.log(
      `  every track shows the edit (a query counts them)        ${shown.toFixed(1)} s after saving`,
    );
    console.log(
      `  the mount shows it                                      ${inMount ? `${mountSeconds.toFixed(1)} s after saving` : 'NOT within 10 min'}`,
    );
    console.log(
      `  the tagger's saves through the mount                    ${saves.length}, took ${latencies(saves.map((s) => s.ms))}`,
    );
    const slowest = saves.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(
      `  … refused ${refused.length}; every last save in the mount: ${landed ? 'yes' : 'NO'}; the slowest began ${((slowest.at - killedAtMs) / 1000).toFixed(1)} s after the kill`,
    );
    console.log(`  PRAGMA integrity_check                                  ${integrity}`);
    console.log(
      `  tracks with the genre: by their tags ${byTags}, by the full-text index ${bySearch} (of ${edited})`,
    );
  } finally {
    await stopSaver?.();
    await browser.close();
    backend.stop();
    mount.unmount();
  }
}
