// Regenerates the screenshots of the engine views (duplicates, similar, mount) from the generated
// fixture library the e2e tests use, scanned for real: `node docs/screenshots/take.ts`. The 100k-point
// map comes from `npm run bench -- map --screenshots`; the other views from `npm run bench -- ui --screenshots`.
// Run by Node alone, not by vitest: the backend is `sleeve serve` (which builds the checkout's app page),
// its folders of its own.
import { join } from 'node:path';
import { fuseAvailability, stopMount } from '../../app/core/mounts/mount-control.ts';
import { benchTempDir } from '../../bench/temp-dir.ts';
import { serveProcess } from '../../tests/fixtures/backend.ts';
import { launchChromium } from '../../tests/fixtures/browser.ts';
import { makeEnginesLibrary } from '../../tests/fixtures/engines-library.ts';
import { sleeve } from '../../tests/helpers.ts';

const dir = import.meta.dirname;
const root = benchTempDir('sleeve-shots-');
const music = join(root, 'music');
const home = join(root, 'home');
makeEnginesLibrary(music);
if (sleeve(home, ['scan', music]).status !== 0) throw new Error('scan failed');
const backend = await serveProcess(home, { ui: true });
const browser = await launchChromium();
const mountpoint = join(root, 'Sleeve');
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(backend.url);
  await page.getByRole('tab', { name: 'Duplicates' }).click();
  await page.getByRole('article').waitFor();
  await page.screenshot({ path: join(dir, 'duplicates.png') });

  await page.getByRole('tab', { name: 'Tracks', exact: true }).click();
  await page.getByLabel('Query').fill('title:=breakbeat-1');
  await page.locator('.track-table .row').first().click();
  await page.getByRole('button', { name: 'More ▾' }).click();
  await page.getByRole('menuitem', { name: 'More like this' }).click();
  await page.getByRole('list', { name: 'Similar tracks' }).waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(dir, 'similar.png') });

  await page.getByRole('tab', { name: 'Tracks', exact: true }).click();
  await page.getByLabel('Query').fill('techno');
  await page.getByRole('tab', { name: 'Mount' }).click();
  await page.getByLabel('Path template').fill('%upper{$genre}/$artist - $title');
  if (fuseAvailability().ok) {
    await page.getByLabel('Mount point').fill(mountpoint);
    await page.getByRole('button', { name: 'Mount', exact: true }).click();
    await page.getByRole('listitem', { name: `Mount ${mountpoint}` }).waitFor();
    await page.waitForTimeout(3500); // the status refresh that reads the daemon's file count
  }
  await page.screenshot({ path: join(dir, 'mount.png') });
  console.log(`screenshots in ${dir}`);
} finally {
  await stopMount(home, mountpoint).catch(() => undefined);
  await browser.close();
  backend.stop();
}
