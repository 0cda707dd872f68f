// Leaving a folder inside a library folder out (`sleeve exclude`), as a user with an Audiobooks folder
// inside Music: shown before it is made, its tracks leave the lists and a live mount, edits kept; scans
// (and a scan of the folder itself) skip it and mark nothing in it missing; `--remove` and a scan bring it
// back as it was.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';
import { servedNames, unmountChecked, waitFor } from '../mount-helpers.ts';

describe('sleeve exclude', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const books = join(music, 'Audiobooks');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  let originals: Map<string, string>;
  const listed = (query = '') =>
    sleeveHere(home, ['ls', '--all-copies', '-f', '$title $status', ...(query ? [query] : [])])
      .stdout.trim()
      .split('\n')
      .filter(Boolean)
      .sort();

  beforeAll(() => {
    mkdirSync(join(books, 'Novel'), { recursive: true });
    writeWav(join(music, 'song.wav'), synthesizePiece(1, 5));
    writeWav(join(books, 'Novel', 'chapter 1.wav'), synthesizePiece(2, 5));
    writeWav(join(books, 'chapter 0.wav'), synthesizePiece(3, 5));
    originals = hashTree(music);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    expect(sleeveHere(home, ['set', 'path:"chapter 1"', 'title=Edited Chapter', '-y']).status).toBe(0);
    expect(sleeveHere(home, ['mount', mnt]).stderr).toBe('');
  });

  afterAll(() => unmountChecked(home, mnt, music, originals));

  it('says what it would leave out, and refuses a library folder or a place outside the library', () => {
    const shown = sleeveHere(home, ['exclude', books]);
    expect([shown.status, shown.stderr]).toEqual([
      1,
      expect.stringContaining(`not leaving out ${books}: 2 track(s)`),
    ]);
    expect(sleeveHere(home, ['exclude', music, '-y']).stderr).toContain(
      `${music} is a library folder: "sleeve forget"`,
    );
    expect(sleeveHere(home, ['exclude', dir, '-y']).stderr).toContain(
      `${dir} is not inside a library folder`,
    );
    const track = join(books, 'chapter 0.wav');
    expect(sleeveHere(home, ['exclude', track, '-y']).stderr).toContain(
      `${track} is a track, not a folder: exclude leaves out folders`,
    );
    // forget names exclude for a folder inside a library folder.
    expect(sleeveHere(home, ['forget', books, '-y']).stderr).toContain(
      `"sleeve exclude ${books}" leaves it out`,
    );
    expect(listed()).toHaveLength(3);
  });

  it('takes its tracks out of the lists and the live mount, and lists the rule', async () => {
    const r = sleeveHere(home, ['exclude', books, '-y']);
    expect([r.status, r.stdout]).toEqual([0, `left out ${books}: 2 track(s) left the library\n`]);
    expect(listed()).toEqual(['song ok']);
    await waitFor('the mount to drop the left-out tracks', () =>
      servedNames(mnt, '.wav').length === 1 ? true : undefined,
    );
    expect(sleeveHere(home, ['exclude', '--list']).stdout).toBe(`${books}\n`);
    expect(sleeveHere(home, ['exclude', join(books, 'Novel'), '-y']).stderr).toContain('is left out already');
  });

  it('is skipped by a scan of its library folder (nothing in it missing) and refused as a scan of its own', () => {
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    expect(listed()).toEqual(['song ok']);
    expect(listed('status:missing')).toEqual([]);
    const own = sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', books]);
    expect(own.status).not.toBe(0);
    expect(own.stderr).toContain(`which is left out of the library ("sleeve exclude --remove ${books}"`);
  });

  it('comes back with its edits when the rule is removed and its library folder scanned', async () => {
    expect(sleeveHere(home, ['exclude', '--remove', books]).stdout).toBe(`${books} is no longer left out\n`);
    expect(sleeveHere(home, ['exclude', '--remove', books]).stderr).toContain(
      'is not left out (no folder is)',
    );
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    expect(listed()).toEqual(['Edited Chapter ok', 'chapter 0 ok', 'song ok']);
    await waitFor('the mount to serve them again', () =>
      servedNames(mnt, '.wav').length === 3 ? true : undefined,
    );
    expect(hashTree(music)).toEqual(originals);
  });
});
