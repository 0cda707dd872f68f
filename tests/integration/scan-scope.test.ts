// The scanner as a watcher drives it: looks at some places only (a folder's own files, or a folder that
// appeared), files found at a new path kept as the same track (by inode, then by what was recorded of
// them), and nothing marked missing when the folder is no longer the one meant.
import { copyFileSync, cpSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { ensureHome, type Home, resolveHome } from '../../app/core/home.ts';
import { applyEdit, planEdit } from '../../app/core/library/edits.ts';
import { libraryRoots, removeFolder } from '../../app/core/library/library-folders.ts';
import { getFile } from '../../app/core/library/list.ts';
import { KeptScanWorkers } from '../../app/core/scan/kept-scan-workers.ts';
import { offLimits } from '../../app/core/scan/off-limits.ts';
import { scanLibrary } from '../../app/core/scan/pipeline.ts';
import { Readers } from '../../app/core/scan/scan-read.ts';
import { type ScanOptions, type ScanProgress, scan as scanWith } from '../../app/core/scan/scanner.ts';
import { SERVED_VERSION } from '../../app/core/served/served-plan.ts';
import { makeWav } from '../fixtures/library.ts';
import { copyFixtures, tempDir } from '../helpers.ts';

const options = { workers: 2, includeHidden: false, ignore: [] };
/** A scan as the pipeline runs one: the places off limits computed for it. */
const scan = async (db: Db, o: ScanOptions, readers?: Readers) =>
  scanWith(db, o, await offLimits(db), readers);

describe('scans of some places, and moves', () => {
  let root: string;
  let db: Db;
  const idOf = (rel: string) =>
    db.prepare('SELECT id FROM files WHERE path = ?').pluck().get(join(root, rel)) as number | undefined;
  const status = (id: number) => db.prepare('SELECT status FROM files WHERE id = ?').pluck().get(id);

  beforeAll(async () => {
    root = copyFixtures();
    db = openDatabase(join(tempDir(), 'library.db'));
    await scan(db, { ...options, folders: [root] });
  });

  it('a shallow look sees its own files and its gone subfolders, not the files of subfolders still there', async () => {
    const third = idOf('Alpha/Album One/03 Third.mp3')!;
    rmSync(join(root, 'Alpha/Album One/03 Third.mp3'));
    const shallow = await scan(db, {
      ...options,
      folders: [root],
      only: [{ path: join(root, 'Alpha'), deep: false }],
    });
    expect(shallow).toMatchObject({ missing: 0, added: 0 });
    expect(status(third)).toBe('ok'); // its folder is still there: not this look's to judge
    const first = idOf('Alpha/Album One/01 First.flac')!;
    rmSync(join(root, 'Alpha/Album One'), { recursive: true });
    const gone = await scan(db, {
      ...options,
      folders: [root],
      only: [{ path: join(root, 'Alpha'), deep: false }],
    });
    expect(gone.missing).toBe(3);
    expect([status(first), status(third)]).toEqual(['missing', 'missing']);
  });

  it('a deep look takes in a folder that appeared, and nothing else', async () => {
    rmSync(join(root, 'Gamma/pcm.aiff'));
    cpSync(join(root, 'Beta'), join(root, 'Delta'), { recursive: true });
    const s = await scan(db, {
      ...options,
      folders: [root],
      only: [{ path: join(root, 'Delta'), deep: true }],
    });
    expect(s).toMatchObject({ added: 2, missing: 0, moved: 0 });
    expect(idOf('Gamma/pcm.aiff')).toBeDefined(); // outside the look: still listed until looked at
  });

  it('scans a folder inside a library folder as a look at that part of it, not a library folder of its own', async () => {
    cpSync(join(root, 'Beta'), join(root, 'Zeta'), { recursive: true });
    rmSync(join(root, 'Gamma/pcm.aiff'), { force: true });
    const s = await scan(db, { ...options, folders: [join(root, 'Zeta')] });
    expect(s).toMatchObject({ added: 2, missing: 0 });
    expect(libraryRoots(db)).toEqual([root]);
    expect(idOf('Gamma/pcm.aiff')).toBeDefined(); // outside the look: still listed until looked at
    // Beside a folder of another library folder (or none), it is refused: one library folder at a time.
    await expect(scan(db, { ...options, folders: [join(root, 'Zeta'), tempDir()] })).rejects.toThrow(
      `${join(root, 'Zeta')} is inside the library folder ${root}: scan it alone`,
    );
    expect(libraryRoots(db)).toEqual([root]);
  });

  it('a place named twice (two bursts merged) is read once', async () => {
    cpSync(join(root, 'Beta'), join(root, 'Epsilon'), { recursive: true });
    const album = { path: join(root, 'Epsilon/Second Album'), deep: false };
    const s = await scan(db, { ...options, folders: [root], only: [album, album] });
    expect(s).toMatchObject({ added: 2, errors: 0 });
    expect(getFile(db, idOf('Epsilon/Second Album/01 Song.mp3')!)?.tags.title).toBeDefined();
  });

  it('leaves stale served facts outside the look to a whole look (finding them walks every file)', async () => {
    const stale = () =>
      db
        .prepare("SELECT count(*) FROM files WHERE status = 'ok' AND served_version IS NOT ?")
        .pluck()
        .get(SERVED_VERSION) as number;
    db.prepare("UPDATE files SET served_version = ? WHERE status = 'ok'").run(SERVED_VERSION - 1);
    const before = stale();
    expect(before).toBeGreaterThan(3);
    await scan(db, { ...options, folders: [root], only: [{ path: join(root, 'Beta'), deep: false }] });
    expect(stale()).toBe(before);
    await scan(db, { ...options, folders: [root] });
    expect(stale()).toBe(0);
  });

  it("keeps a renamed folder's tracks (by inode), with their edits", async () => {
    const song = idOf('Beta/Second Album/01 Song.mp3')!;
    applyEdit(db, planEdit(db, [song], [{ key: 'mood', values: ['calm'] }]), {
      description: 'mood',
      origin: 'cli',
    });
    renameSync(join(root, 'Beta'), join(root, 'Beta (renamed)'));
    const s = await scan(db, { ...options, folders: [root] });
    expect(s).toMatchObject({ moved: 2, added: 0 });
    expect(getFile(db, song)).toMatchObject({
      path: join(root, 'Beta (renamed)/Second Album/01 Song.mp3'),
      status: 'ok',
      tags: { mood: ['calm'] },
    });
  });

  it('knows a file copied back from elsewhere (a new inode and time) by what it recorded of it', async () => {
    const ogg = idOf('Gamma/vorbis.ogg')!;
    const away = join(tempDir(), 'vorbis.ogg');
    copyFileSync(join(root, 'Gamma/vorbis.ogg'), away);
    rmSync(join(root, 'Gamma/vorbis.ogg'));
    expect((await scan(db, { ...options, folders: [root] })).missing).toBeGreaterThan(0);
    expect(status(ogg)).toBe('missing');
    mkdirSync(join(root, 'Restored'));
    copyFileSync(away, join(root, 'Restored/vorbis.ogg')); // a new inode and modification time
    const s = await scan(db, { ...options, folders: [root] });
    expect(s).toMatchObject({ moved: 1, added: 0 });
    expect(getFile(db, ogg)).toMatchObject({ path: join(root, 'Restored/vorbis.ogg'), status: 'ok' });
  });

  it('marks nothing missing when the folder is no longer the one meant', async () => {
    const wav = idOf('Gamma/pcm.wav')!;
    rmSync(join(root, 'Gamma/pcm.wav'));
    const s = await scan(db, { ...options, folders: [root], folderStillThere: async () => false });
    expect(s.missing).toBe(0);
    expect(s.folderErrors).toEqual([{ path: root, reason: 'it disappeared during the scan' }]);
    expect(status(wav)).toBe('ok');
  });
});

describe('a scan stopped while it walks', () => {
  it('marks nothing missing and reads nothing; a removed folder stays removed until a walk of it ends', async () => {
    const root = copyFixtures();
    const home = resolveHome(tempDir());
    const db = openDatabase(join(tempDir(), 'library.db'));
    const statuses = () =>
      new Set(db.prepare('SELECT DISTINCT status FROM files WHERE status <> ?').pluck().all('error'));
    await scan(db, { ...options, folders: [root] });
    rmSync(join(root, 'Alpha'), { recursive: true });
    copyFileSync(join(root, 'Gamma/pcm.wav'), join(root, 'Gamma/new.wav'));
    // Stopped as soon as the walk says it has found something, before it has been everywhere.
    const stopped = async () => {
      const abort = new AbortController();
      const onProgress = (p: ScanProgress) => p.phase === 'walk' && abort.abort();
      return scan(db, { ...options, folders: [root], signal: abort.signal, onProgress });
    };
    expect(await stopped()).toMatchObject({ interrupted: true, added: 0, updated: 0, moved: 0, missing: 0 });
    expect(statuses()).toEqual(new Set(['ok']));

    removeFolder(db, home, root);
    expect(await stopped()).toMatchObject({ interrupted: true, added: 0, missing: 0 });
    expect(libraryRoots(db)).toEqual([]);
    expect(statuses()).toEqual(new Set(['removed']));

    const whole = await scan(db, { ...options, folders: [root] });
    expect(whole).toMatchObject({ interrupted: false, added: 1 });
    expect(whole.missing).toBeGreaterThan(0);
    expect(libraryRoots(db)).toEqual([root]);
    expect(statuses()).toEqual(new Set(['ok', 'missing']));
  });
});

describe('reader threads started ahead of a scan (as `sleeve scan` starts one while it loads)', () => {
  it('read the scan, and are left running for their owner to close', async () => {
    const root = copyFixtures();
    const db = openDatabase(join(tempDir(), 'library.db'));
    const readers = new Readers().start();
    try {
      const s = await scan(db, { ...options, folders: [root] }, readers);
      expect(s.added).toBeGreaterThan(5);
      // Still open: a scan closes only the readers it started itself.
      const wav = join(root, 'Gamma/pcm.wav');
      const [again] = await readers
        .for(1, 2)
        .run([{ path: wav, size: statSync(wav).size, scan: 0, isNew: true }]);
      expect(again).toMatchObject({ track: { format: 'wav' }, served: { path: expect.any(String) } });
    } finally {
      await readers.close();
    }
  });
});

describe('reader threads started ahead of a whole scan (`sleeve scan`)', () => {
  it('are closed by the pipeline once the scan has read, before any analysis', async () => {
    const home = resolveHome(tempDir());
    ensureHome(home);
    const db = openDatabase(home.database);
    const readers = new Readers().start();
    const result = await scanLibrary(db, home, {
      ...options,
      folders: [copyFixtures()],
      fingerprint: false,
      embed: false,
      loudness: false,
      signal: new AbortController().signal,
      onWait: () => {},
      readers,
    });
    expect(result.scan.added).toBeGreaterThan(5);
    expect(() => readers.for(1, 2)).toThrow(/the reader threads are closed/);
  });
});

describe('the threads and processes an owner keeps between scans (a watcher’s looks, the app’s scans)', () => {
  const scanInto = (home: Home, folder: string, kept: KeptScanWorkers, loudness = false) => {
    ensureHome(home);
    const db = openDatabase(home.database);
    return scanLibrary(db, home, {
      ...options,
      folders: [folder],
      fingerprint: false,
      embed: false,
      loudness,
      signal: new AbortController().signal,
      onWait: () => {},
      ...kept.forScan,
    }).finally(() => db.close());
  };

  it('start for the first scan, as many as its files need, and serve the next one too', async () => {
    const home = resolveHome(tempDir());
    const music = tempDir();
    const kept = new KeptScanWorkers(2);
    try {
      makeWav(join(music, 'first.wav'), 440, 2);
      expect((await scanInto(home, music, kept, true)).analysis?.measured).toBe(1);
      // One file: one reader and one analysis process, of the two each may have.
      expect([kept.readers.started, kept.analysisPool.started]).toEqual([1, 1]);
      makeWav(join(music, 'second.wav'), 660, 2);
      expect((await scanInto(home, music, kept, true)).analysis?.measured).toBe(1);
      expect([kept.readers.started, kept.analysisPool.started]).toEqual([1, 1]); // the same ones
    } finally {
      await kept.close();
    }
  });

  it('give each scan the pictures whole, though a kept reader read them for the one before', async () => {
    const music = copyFixtures();
    const kept = new KeptScanWorkers(2);
    const pictures = (home: Home) => {
      const db = openDatabase(home.database);
      try {
        return db.prepare('SELECT hash FROM art ORDER BY hash').pluck().all();
      } finally {
        db.close();
      }
    };
    try {
      const [first, second] = [resolveHome(tempDir()), resolveHome(tempDir())];
      await scanInto(first, music, kept);
      await scanInto(second, music, kept); // another library: it has none of them yet
      expect(kept.readers.started).toBe(1);
      expect(pictures(first).length).toBeGreaterThan(0);
      expect(pictures(second)).toEqual(pictures(first));
    } finally {
      await kept.close();
    }
  });
});
