// Links in a watched library folder: a circle (`ln -s .. sub/up`, a link to /, a link to the folder
// itself) is not followed, by the watcher or by `sleeve scan`, and each is named with why; a file that
// links reach is one row, however many lead there, and hard links stay files of their own. The watcher
// runs in the test's process on short clocks (tests/fixtures/watching.ts); the test waits for its looks.
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { WatchHere } from '../fixtures/watching.ts';
import { sleeveHere, sleeveHereAsync, tempDir } from '../helpers.ts';
import { readLibrary } from '../library-probe.ts';
import { waitFor } from '../mount-helpers.ts';

interface Skipped {
  path: string;
  reason: string;
}

/** Every row of the library: path and status, by path. */
function rows(home: string): string[] {
  return readLibrary(home, (db) =>
    (
      db.prepare('SELECT path, status FROM files ORDER BY path').all() as Array<{
        path: string;
        status: string;
      }>
    ).map((r) => `${r.path} ${r.status}`),
  );
}

describe('links in a watched folder', () => {
  let dir: string;
  let music: string;
  let home: string;
  let watching: WatchHere;

  /** What the watcher said it skipped, by path. */
  const watchSkipped = () =>
    new Map(watching.lines.flatMap((l) => l.skipped ?? []).map((s) => [s.path, s.reason] as const));

  /** `sleeve scan` of the folder: nothing added or missing, and what it skipped. */
  async function scanAgain(): Promise<Map<string, string>> {
    const r = await sleeveHereAsync(home, ['scan', '--json', '--no-embeddings', '--no-loudness', music]);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { added: number; missing: number; skipped: Skipped[] };
    expect([summary.added, summary.missing]).toEqual([0, 0]);
    return new Map(summary.skipped.map((s) => [s.path, s.reason]));
  }

  beforeAll(async () => {
    dir = tempDir();
    music = join(dir, 'music');
    home = join(dir, 'home');
    mkdirSync(join(music, 'Album'), { recursive: true });
    mkdirSync(home);
    writeFileSync(join(home, 'config.json'), JSON.stringify({ watch: { settleSeconds: 0.3 } }));
    writeWav(join(music, 'Album', 'one.wav'), synthesizePiece(1, 5));
    writeWav(join(music, 'Album', 'two.wav'), synthesizePiece(2, 5));
    const scanned = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]);
    expect(scanned.status, scanned.stderr).toBe(0);
    watching = new WatchHere(home);
    await watching.nextLooks(music); // its first look, at the whole folder
  });

  afterAll(async () => {
    await watching?.stop();
  });

  it('follows no circle: a link to its parent, to /, to the folder itself; each named, the rows unchanged', async () => {
    const before = rows(home);
    mkdirSync(join(music, 'sub'));
    symlinkSync('..', join(music, 'sub', 'up'));
    symlinkSync('/', join(music, 'slash'));
    symlinkSync(music, join(music, 'itself'));
    // Looks come one after another: once one covers a file written after the links, theirs are over.
    await watching.lookAfter(join(music, 'marker.txt'));
    const circle = 'following it would go round in a circle';
    const expected = new Map([
      [join(music, 'sub', 'up'), `a link to ${music}, this library folder: ${circle}`],
      [join(music, 'slash'), `a link to /, which holds this library folder: ${circle}`],
      [join(music, 'itself'), `a link to ${music}, this library folder: ${circle}`],
    ]);
    expect(rows(home)).toEqual(before);
    expect(watchSkipped()).toEqual(expected);
    expect(watching.failures).toEqual([]);
    // The same folder scanned: the same rows, the same links skipped.
    expect(await scanAgain()).toEqual(expected);
    expect(rows(home)).toEqual(before);
  }, 60_000);

  it('makes one row of a file two links reach, none of a link to a file it has, and keeps hard links', async () => {
    const elsewhere = join(dir, 'elsewhere'); // outside the library: links there are followed
    mkdirSync(elsewhere);
    writeWav(join(elsewhere, 'far.wav'), synthesizePiece(3, 5));
    linkSync(join(music, 'Album', 'one.wav'), join(music, 'Album', 'one hard.wav'));
    mkdirSync(join(music, 'Links'));
    symlinkSync(join(elsewhere, 'far.wav'), join(music, 'Links', 'a.wav'));
    symlinkSync(join(elsewhere, 'far.wav'), join(music, 'Links', 'b.wav'));
    symlinkSync('../Album/two.wav', join(music, 'Links', 'own.wav'));
    await watching.lookAfter(join(music, 'Links', 'marker.txt'));
    const now = rows(home);
    const linked = now.filter((r) => r.startsWith(join(music, 'Links')));
    expect(linked).toHaveLength(1); // a.wav or b.wav, whichever the look met first
    const taken = linked[0]!.split(' ')[0]!;
    const other = join(music, 'Links', taken.endsWith('a.wav') ? 'b.wav' : 'a.wav');
    expect(now).toContain(`${join(music, 'Album', 'one hard.wav')} ok`);
    expect(now.filter((r) => !r.startsWith(join(music, 'Links')))).toEqual([
      `${join(music, 'Album', 'one hard.wav')} ok`,
      `${join(music, 'Album', 'one.wav')} ok`,
      `${join(music, 'Album', 'two.wav')} ok`,
    ]);
    const skipped = watchSkipped();
    expect(skipped.get(other)).toBe(
      `a link to ${join(elsewhere, 'far.wav')}, which the library has at ${taken}`,
    );
    expect(skipped.get(join(music, 'Links', 'own.wav'))).toBe(
      `a link to ${join(music, 'Album', 'two.wav')}, which the library has at ${join(music, 'Album', 'two.wav')}`,
    );
    // `sleeve scan` keeps the row the watcher made, and skips the same links.
    const scanned = await scanAgain();
    expect(rows(home)).toEqual(now);
    expect(scanned.get(other)).toBe(skipped.get(other));
    expect(scanned.get(join(music, 'Links', 'own.wav'))).toBe(skipped.get(join(music, 'Links', 'own.wav')));
  }, 60_000);

  it('follows a link to a folder on another disk, and watches it there', async () => {
    const disk = join(dir, 'disk');
    mkdirSync(disk);
    writeWav(join(disk, 'kept.wav'), synthesizePiece(4, 5));
    symlinkSync(disk, join(music, 'Other disk'));
    symlinkSync(disk, join(music, 'Other disk again'));
    await watching.lookAfter(join(music, 'marker.txt'));
    const via = rows(home).filter((r) => r.includes('/Other disk'));
    expect(via).toHaveLength(1); // through one of the two links
    const link = via[0]!.slice(0, via[0]!.indexOf('/kept.wav'));
    // A file copied onto that disk is taken in through the link the library has it by.
    writeWav(join(disk, 'new.wav'), synthesizePiece(5, 5));
    const added = await waitFor('the file copied there', () =>
      rows(home).find((r) => r.startsWith(`${link}/new.wav`)),
    );
    expect(added).toBe(`${link}/new.wav ok`);
    const now = rows(home);
    expect(now.filter((r) => r.includes('/Other disk'))).toEqual([
      `${link}/kept.wav ok`,
      `${link}/new.wav ok`,
    ]);
    // The scan names what the watcher named, the other link among them.
    expect(await scanAgain()).toEqual(watchSkipped());
    expect(
      watchSkipped().get(link === join(music, 'Other disk') ? `${link} again` : join(music, 'Other disk')),
    ).toBe(`a link to ${disk}, which the library has at ${link}`);
    expect(rows(home)).toEqual(now);
  }, 60_000);
});

describe('many skipped links at sleeve scan', () => {
  it('names the first 20 and counts the rest, and --json lists every one', () => {
    const dir = tempDir();
    const music = join(dir, 'music');
    mkdirSync(join(music, 'links'), { recursive: true });
    writeWav(join(music, 'one.wav'), synthesizePiece(9, 2));
    for (let i = 0; i < 25; i++) symlinkSync('..', join(music, 'links', `up${i}`));
    const home = join(dir, 'home');
    const r = sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]);
    expect(r.status).toBe(0);
    const said = r.stderr.split('\n').filter((l) => l.startsWith('skipped '));
    expect(said).toHaveLength(21);
    expect(said.at(-1)).toBe('skipped 5 more link(s) (--json lists every one)');
    const json = sleeveHere(home, ['scan', '--json', '--no-fingerprint', '--no-embeddings', music]);
    const result = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { skipped: Skipped[] };
    expect(result.skipped).toHaveLength(25);
  });
});
