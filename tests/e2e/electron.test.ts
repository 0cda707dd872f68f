// The desktop app itself, through Playwright's Electron driver: runs only where an Electron binary is
// installed (it cannot be downloaded on the CI machine), and says so when skipped.
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../app/server/renderer-build.ts';
import { buildPreload } from '../../main/build.ts';
import { electronBinary } from '../../main/electron-binary.ts';
import { tempDir } from '../helpers.ts';

const root = join(import.meta.dirname, '../..');
const found = electronBinary(join(root, 'node_modules', 'electron'));

describe('the Electron shell', () => {
  it('opens the app in a secure window with only the bridge exposed', async (ctx) => {
    if ('missing' in found) return ctx.skip(`no Electron binary here: ${found.missing}`);
    await Promise.all([ensureRenderer(() => undefined), buildPreload()]);
    const app = await electron.launch({
      executablePath: found.path,
      args: [root],
      env: { ...process.env, SLEEVE_HOME: join(tempDir(), 'home') },
    });
    try {
      const page = await app.firstWindow();
      expect(page.url()).toBe('app://sleeve/');
      await expect
        .poll(() => page.getByText('Your library is empty.').isVisible(), { timeout: 30_000 })
        .toBe(true);
      expect(await page.evaluate('Object.keys(window.sleeve)')).toEqual([
        'backendUrl',
        'token',
        'pickFolder',
        'revealInFolder',
        'notify',
      ]);
      expect(await page.evaluate('typeof require')).toBe('undefined');
      expect(await page.evaluate('typeof process')).toBe('undefined');
      // Navigation away from the app is denied: the attempt reaches the main process (will-navigate, whose
      // handlers run before the navigation would start), and the page stays where it is.
      type Watched = typeof globalThis & { navigated?: Promise<string> };
      await app.evaluate(({ BrowserWindow }) => {
        (globalThis as Watched).navigated = new Promise<string>((resolve) =>
          BrowserWindow.getAllWindows()[0]!.webContents.once('will-navigate', (_event, url) => resolve(url)),
        );
      });
      await page.evaluate("location.href = 'https://example.com/'");
      expect(await app.evaluate(() => (globalThis as Watched).navigated)).toBe('https://example.com/');
      expect(page.url()).toBe('app://sleeve/');
    } finally {
      await app.close();
    }
  }, 120_000);
});
