// The walk and links: each real folder once per pass, a file reached through links one entry, a link to
// the library folder, to a folder holding it (`..`, `/`) or into a place the library already reaches not
// followed, and each of those named with why. A look at some places of the folder (a watcher's) decides
// as a walk of the whole folder does.
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FollowedLinks } from '../../app/core/scan/links.ts';
import { placesOffLimits } from '../../app/core/scan/off-limits.ts';
import { type WalkOptions, walk } from '../../app/core/scan/walk.ts';
import { FileLanes } from '../../kit/file-lanes.ts';
import { tempDir } from '../helpers.ts';

interface Walked {
  /** Entries, relative to the library folder. */
  readonly files: string[];
  /** Skipped places, relative, with why. */
  readonly skipped: Map<string, string>;
  readonly folderErrors: string[];
}

/** The walks' file lanes, for the whole file. */
const lanes = new FileLanes();
afterAll(() => lanes.close());

/** More entries than the tree holds: a walk gone round a circle (or out to /) is stopped there. */
const RUNAWAY = 200;

async function walked(root: string, extra: Partial<WalkOptions> = {}): Promise<Walked> {
  const rel = (p: string) => p.slice(root.length + 1);
  const skipped = new Map<string, string>();
  const folderErrors: string[] = [];
  const files: string[] = [];
  for await (const batch of walk(root, {
    includeHidden: false,
    ignore: new Set(),
    offLimits: await placesOffLimits(join(tempDir(), 'library.db'), [], lanes),
    onFolderError: (path) => folderErrors.push(rel(path)),
    onSkipped: (path, reason) => skipped.set(rel(path), reason),
    files: lanes,
    ...extra,
  })) {
    files.push(...batch.map((e) => rel(e.stat.path)));
    if (files.length > RUNAWAY) break;
  }
  return { files: files.sort(), skipped, folderErrors };
}

function file(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'not really audio; the walk does not read it');
}

describe('walk, through links', () => {
  let top: string;
  let lib: string;
  let out: string;

  beforeAll(() => {
    top = tempDir();
    lib = join(top, 'lib');
    out = join(top, 'out'); // another disk, as far as the library knows
    file(join(lib, 'a', 'x.flac'));
    linkSync(join(lib, 'a', 'x.flac'), join(lib, 'a', 'hard.flac')); // a hard link: a file of its own
    file(join(out, 'o.flac'));
    file(join(top, 'solo', 's.flac'));
    mkdirSync(join(lib, 'sub'));
    symlinkSync('..', join(lib, 'sub', 'up')); // ln -s .. sub/up
    symlinkSync('../a', join(lib, 'sub', 'deeper')); // into the library's own tree
    symlinkSync(lib, join(lib, 'itself'));
    symlinkSync('/', join(lib, 'slash'));
    symlinkSync('..', join(lib, 'above')); // the folder holding the library folder
    symlinkSync('/proc', join(lib, 'proc'));
    symlinkSync('../out', join(lib, 'ext')); // out of the library: followed
    symlinkSync('../lib', join(out, 'back')); // and from there back in: a circle
    symlinkSync('.', join(out, 'self'));
    mkdirSync(join(lib, 'fav'));
    symlinkSync('../a/x.flac', join(lib, 'fav', 'one.flac')); // a file the library has already
    symlinkSync('../../out/o.flac', join(lib, 'fav', 'two.flac')); // one the link `ext` reaches
    symlinkSync('../../solo/s.flac', join(lib, 'fav', 'three.flac')); // one only links reach: two of them
    symlinkSync('../../solo/s.flac', join(lib, 'fav', 'four.flac'));
  });

  it('walks each real folder once and follows a link out of the library, and no circle', async () => {
    const w = await walked(lib);
    const solo = w.files.filter((f) => f.startsWith('fav/'));
    expect(solo).toHaveLength(1); // three.flac or four.flac, whichever the walk met first
    expect(w.files).toEqual(['a/hard.flac', 'a/x.flac', 'ext/o.flac', ...solo].sort());
    const other = solo[0] === 'fav/three.flac' ? 'fav/four.flac' : 'fav/three.flac';
    expect(Object.fromEntries(w.skipped)).toEqual({
      'sub/up': `a link to ${lib}, this library folder: following it would go round in a circle`,
      itself: `a link to ${lib}, this library folder: following it would go round in a circle`,
      slash: 'a link to /, which holds this library folder: following it would go round in a circle',
      above: `a link to ${top}, which holds this library folder: following it would go round in a circle`,
      'ext/back': `a link to ${lib}, this library folder: following it would go round in a circle`,
      'ext/self': `a link to ${out}, which the library has at ${join(lib, 'ext')}`,
      'sub/deeper': `a link to ${join(lib, 'a')}, which the library has at ${join(lib, 'a')}`,
      proc: "a link to /proc: /proc holds the kernel's files, not music",
      'fav/one.flac': `a link to ${join(lib, 'a', 'x.flac')}, which the library has at ${join(lib, 'a', 'x.flac')}`,
      'fav/two.flac': `a link to ${join(out, 'o.flac')}, which the library has at ${join(lib, 'ext', 'o.flac')}`,
      [other]: `a link to ${join(top, 'solo', 's.flac')}, which the library has at ${join(lib, solo[0]!)}`,
    });
    expect(w.folderErrors).toEqual([]);
  });

  it('follows only one of two links to the same outside folder', async () => {
    const two = join(tempDir(), 'lib');
    file(join(two, 'keep.flac'));
    symlinkSync(out, join(two, 'first'));
    symlinkSync(out, join(two, 'second'));
    const w = await walked(two);
    const via = w.files.filter((f) => f.endsWith('o.flac'));
    expect(via).toHaveLength(1);
    const taken = via[0]!.split('/')[0]!;
    const left = taken === 'first' ? 'second' : 'first';
    expect(w.skipped.get(left)).toBe(`a link to ${out}, which the library has at ${join(two, taken)}`);
  });

  it('follows no link into another library folder, nor to a folder holding one', async () => {
    const shelf = join(tempDir(), 'shelf');
    const mine = join(shelf, 'mine');
    const theirs = join(shelf, 'theirs');
    file(join(mine, 'm.flac'));
    file(join(theirs, 'Album', 't.flac'));
    symlinkSync('../theirs/Album', join(mine, 'into'));
    // Out of the library, and followed; from there a link back to the shelf that holds this folder.
    const away = join(tempDir(), 'away');
    mkdirSync(away);
    symlinkSync(shelf, join(away, 'shelf'));
    symlinkSync(away, join(mine, 'away'));
    const w = await walked(mine, { libraryFolders: [mine, theirs] });
    expect(w.files).toEqual(['m.flac']);
    expect(Object.fromEntries(w.skipped)).toEqual({
      into: `a link to ${join(theirs, 'Album')}, which the library has at ${join(theirs, 'Album')}`,
      'away/shelf': `a link to ${shelf}, which holds this library folder: following it would go round in a circle`,
    });
    // A link to a folder that holds another library folder, not this one.
    const other = join(tempDir(), 'other');
    file(join(other, 'o.flac'));
    symlinkSync(shelf, join(other, 'shelf'));
    expect(Object.fromEntries((await walked(other, { libraryFolders: [other, theirs] })).skipped)).toEqual({
      shelf: `a link to ${shelf}, which holds the library folder ${theirs}`,
    });
  });

  it('decides a look at some places as the walk of the whole folder did', async () => {
    const followed = new FollowedLinks();
    const whole = await walked(lib, { followed });
    const look = (only: Array<{ path: string; deep: boolean }>) =>
      walked(lib, { followed, only: only.map((t) => ({ ...t, path: join(lib, t.path) })) });
    // A link that appeared (the watcher looks at it as a new folder): the same verdict, nothing walked.
    for (const circle of ['sub/up', 'itself', 'slash', 'above', 'sub/deeper', 'proc'])
      expect([circle, await look([{ path: circle, deep: true }])]).toEqual([
        circle,
        { files: [], skipped: new Map([[circle, whole.skipped.get(circle)]]), folderErrors: [] },
      ]);
    expect(await look([{ path: 'sub', deep: true }])).toEqual({
      files: [],
      skipped: new Map([
        ['sub/up', whole.skipped.get('sub/up')],
        ['sub/deeper', whole.skipped.get('sub/deeper')],
      ]),
      folderErrors: [],
    });
    // Links to files: the outside one it followed is still the one followed, the others still not.
    const fav = await look([{ path: 'fav', deep: false }]);
    expect(fav.files).toEqual(whole.files.filter((f) => f.startsWith('fav/')));
    expect(fav.skipped).toEqual(new Map([...whole.skipped].filter(([p]) => p.startsWith('fav/'))));
    // A place inside the followed outside folder is looked at where the library has it.
    expect((await look([{ path: 'ext', deep: false }])).files).toEqual(['ext/o.flac']);
  });
});
