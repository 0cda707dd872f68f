// Undoing an edit in the app takes back its carry to the copy kept since (app/core/library/carry-follow.ts),
// and says so: the notice names the carry taken back, and the History marks it undone with the edit.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApp, openApp } from '../fixtures/browser.ts';
import { writeTwoFormatAlbum } from '../fixtures/copies.ts';
import { sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Listed {
  id: number;
  path: string;
  tags: Record<string, string[]>;
}

describe('undoing an edit carried to another copy, in the app', () => {
  const music = tempDir();
  const home = join(tempDir(), 'home');
  let app: OpenApp;
  let rename: number;
  let carry: number;
  const run = (...args: string[]) => {
    const r = sleeveHere(home, args);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  const batchOf = (said: string) => Number(/edit batch (\d+)/.exec(said)![1]);
  const shownAlbum = () => sleeveHereJson<Listed[]>(home, ['ls', '--json'])[0]!.tags.album?.[0];

  beforeAll(async () => {
    writeTwoFormatAlbum(music, 'Band', 'Old Name', ['Nine'], { firstPiece: 97 });
    run('scan', '--no-embeddings', music);
    rename = batchOf(run('set', 'album:Old Name', 'album=New Name', '-y'));
    const mp3 = sleeveHereJson<Listed[]>(home, ['ls', '--json', '--all-copies']).find((t) =>
      t.path.endsWith('.mp3'),
    )!.id;
    carry = batchOf(run('dup', '--prefer', String(mp3)));
    expect(shownAlbum()).toBe('New Name');
    app = await openApp(home, { width: 1280, height: 800 });
  }, 120_000);

  afterAll(() => app?.close());

  it("names the carry in the undo's notice, and the History shows it undone with the edit", async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('button', { name: `Undo edit ${rename}` }).click();
    const notice = page.locator('.toast').filter({ hasText: `Undid edit ${rename}:` });
    await expect
      .poll(() => notice.textContent())
      .toMatch(new RegExp(`took back edit batch ${carry}, which carried this batch's edits to other copies`));
    const carried = page.getByRole('listitem').filter({ hasText: `#${carry}` });
    await expect.poll(() => carried.locator('.batch-meta').textContent()).toMatch(`with #${rename}`);
    expect(shownAlbum()).toBe('Old Name');
  });
});
