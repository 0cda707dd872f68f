// The Mount view's Subsonic server in Chromium at 1280×800: it says nobody can log in until a user is made,
// warns what listening on every network opens, starts on this machine only, answers a real token login
// at the address it shows, browsing by folder as the view's path template arranges the library, and
// stops; config.json changed meanwhile counts at the next start.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../app/core/home.ts';
import { setPassword } from '../../app/server/subsonic/users.ts';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { makeWav } from '../fixtures/library.ts';
import { tokenAuth } from '../fixtures/subsonic-library.ts';
import { sleeveHere, tempDir } from '../helpers.ts';

describe('the Subsonic server in the Mount view', () => {
  const home = join(tempDir(), 'home');
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    const music = join(tempDir(), 'music');
    makeWav(join(music, 'tone.wav'), 440);
    const scan = ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music];
    expect(sleeveHere(home, scan).status).toBe(0);
    app = await openApp(home);
    ({ page } = app);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('tab', { name: 'Mount' }).click();
  });

  afterAll(async () => {
    await app?.close();
  });

  const form = () => page.getByRole('form', { name: 'Start the Subsonic server' });

  it('says nobody can log in until a user is made, and names the users', async () => {
    await expect.poll(() => page.getByText('Nobody can log in yet').isVisible()).toBe(true);
    setPassword(resolveHome(home), 'alice', 'sesame open');
    // The view asks again when it is shown again.
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await page.getByRole('tab', { name: 'Mount' }).click();
    await expect.poll(() => page.getByText('Users: alice.').isVisible()).toBe(true);
    expect(await page.getByText('Nobody can log in yet').count()).toBe(0);
  });

  it('warns what every network opens, starts on this machine only, answers a login and stops', async () => {
    const warning = () => page.getByRole('note');
    expect(await warning().count()).toBe(0);
    await form().getByLabel('Listen on').selectOption('0.0.0.0');
    await expect.poll(() => warning().textContent()).toContain('Every device that can reach this machine');
    await form().getByLabel('Listen on').selectOption('127.0.0.1');
    expect(await warning().count()).toBe(0);
    await form().getByLabel('Port').fill('70000');
    expect(await form().getByRole('button', { name: 'Start' }).isDisabled()).toBe(true);
    await form().getByLabel('Port').fill('0');
    // Folders are browsed as the path template above arranges them: not while it is invalid.
    const template = page.getByLabel('Path template');
    await template.fill('Shelf/%if{$title');
    await expect.poll(() => form().getByRole('button', { name: 'Start' }).isDisabled()).toBe(true);
    await template.fill('Shelf/$title');
    await form().getByRole('button', { name: 'Start' }).click();
    const shown = page.locator('.subsonic-running code');
    // The address a client is given: it adds /rest/ itself.
    await expect.poll(() => shown.textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const url = `${await shown.textContent()}rest/`;
    const call = async (method: string) =>
      (
        (await (
          await fetch(
            `${url}${method}?${new URLSearchParams({ ...tokenAuth('alice', 'sesame open'), f: 'json' })}`,
          )
        ).json()) as { 'subsonic-response': { status: string; indexes?: { index: unknown } } }
      )['subsonic-response'];
    expect((await call('ping')).status).toBe('ok');
    expect((await call('getIndexes')).indexes?.index).toMatchObject([
      { name: 'S', artist: [{ name: 'Shelf' }] },
    ]);
    /** A client sending its password (config.json's passwordLogins allows it). */
    const passwordPing = async (at: string) =>
      (
        (await (
          await fetch(
            `${at}ping?${new URLSearchParams({ u: 'alice', p: 'sesame open', v: '1.16.1', c: 'old', f: 'json' })}`,
          )
        ).json()) as { 'subsonic-response': { status: string } }
      )['subsonic-response'].status;
    expect(await passwordPing(url)).toBe('failed');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => form().isVisible()).toBe(true);
    await expect(fetch(`${url}ping`)).rejects.toThrow();
    // The setting changed while the app runs counts at the next Start.
    writeFileSync(join(home, 'config.json'), JSON.stringify({ subsonic: { passwordLogins: true } }));
    await form().getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => shown.textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await passwordPing(`${await shown.textContent()}rest/`)).toBe('ok');
    rmSync(join(home, 'config.json'));
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => form().isVisible()).toBe(true);
  });

  it('shows a server started from the command line over the same library, until it stops', async () => {
    const sleeveJs = new URL('../../app/cli/sleeve.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [sleeveJs, '--home', home, 'subsonic', '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise((done) => child.once('exit', done));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(String(d)));
        child.once('exit', (code) => reject(new Error(`sleeve subsonic exited (${code})`)));
      });
      const { url } = JSON.parse(line) as { url: string };
      // The view asks again when it is shown again.
      await page.getByRole('tab', { name: 'Tracks' }).click();
      await page.getByRole('tab', { name: 'Mount' }).click();
      const said = page.getByRole('status').filter({ hasText: 'Running from the command line' });
      await expect.poll(() => said.textContent()).toContain(`process ${child.pid}) at ${url}`);
    } finally {
      child.kill('SIGINT');
      await exited;
    }
    await page.getByRole('tab', { name: 'Tracks' }).click();
    await page.getByRole('tab', { name: 'Mount' }).click();
    await expect.poll(() => form().isVisible()).toBe(true);
    expect(await page.getByText('Running from the command line').count()).toBe(0);
  });
});
