// A save through the mount while another process holds the library's write lock (a long edit, a scan's
// batch): the tagger is told it saved at once, the save is journalled in the home, and it lands in the
// library as soon as the lock is free — or, if the daemon dies first, when the next daemon starts. Three
// taggers (libFLAC's metaflac, mutagen, TagLib's kid3-cli) save while the test holds the lock for longer
// than SQLite's 5 s busy timeout, which used to fail every save with EIO after the tagger had written. A
// library rebuilt beside a dead daemon's journal sets its save aside with the reason and goes on.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMounts, readMountReport } from '../../app/core/mounts/mount-registry.ts';
import { flacTags, makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, tempDir, tool } from '../helpers.ts';
import { holdLibrary as holdOpen, readLibrary } from '../library-probe.ts';
import { findServed, PY, waitFor } from '../mount-helpers.ts';

const SET_GENRE_MUTAGEN = `import sys, mutagen
f = mutagen.File(sys.argv[1], easy=True)
f['genre'] = sys.argv[2]
f.save()`;

/** The batches saved through the mount, oldest first. */
const throughMount = (home: string) =>
  readLibrary(home, (db) =>
    db
      .prepare(
        "SELECT description FROM edit_batches WHERE description LIKE 'written through the mount:%' ORDER BY id",
      )
      .pluck()
      .all(),
  ) as string[];

const genreOf = (home: string, name: string) =>
  readLibrary(home, (db) =>
    db
      .prepare(
        `SELECT t.value FROM tags t JOIN files f ON f.id = t.file_id
         WHERE f.path LIKE ? AND t.key = 'genre'`,
      )
      .pluck()
      .get(`%/${name}`),
  ) as string | undefined;

function holdLibrary(home: string): () => void {
  const db = holdOpen(join(home, 'library.db'));
  return () => {
    db.exec('ROLLBACK');
    db.close();
  };
}

describe('saves through the mount while the library is held', () => {
  let music: string;
  let home: string;
  let mnt: string;
  let originals: Map<string, string>;
  const pending = () => readMountReport(home, mnt)?.pendingSaves;

  beforeAll(() => {
    const dir = tempDir();
    music = join(dir, 'music');
    home = join(dir, 'home');
    mnt = join(dir, 'mnt');
    mkdirSync(music);
    const wav = join(dir, 'tone.wav');
    makeWav(wav, 440, 3);
    const tags = { ARTIST: 'Journal', ALBUM: 'Held' };
    tool('flac', [
      '--silent',
      '-f',
      ...flacTags({ ...tags, TITLE: 'Flac' }),
      '-o',
      join(music, 'a.flac'),
      wav,
    ]);
    tool('lame', ['--quiet', '--tt', 'Mpeg', '--ta', 'Journal', '--tl', 'Held', wav, join(music, 'b.mp3')]);
    tool('oggenc', ['-Q', '-t', 'Vorbis', '-a', 'Journal', '-l', 'Held', '-o', join(music, 'c.ogg'), wav]);
    originals = hashTree(music);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
  });

  afterAll(() => {
    if (mnt) {
      const r = sleeveHere(home, ['umount', mnt]);
      if (r.status !== 0) spawnSync('fusermount3', ['-uz', mnt]);
    }
    expect(hashTree(music)).toEqual(originals);
  });

  it('tells each tagger it saved at once, shows the saves pending, and applies all of them when the lock is free', async () => {
    const release = holdLibrary(home);
    try {
      const flac = spawnSync('metaflac', ['--set-tag=GENRE=From metaflac', findServed(mnt, 'Flac.flac')]);
      expect(flac.stderr.toString()).toBe('');
      expect(flac.status).toBe(0);
      const ogg = spawnSync(PY, ['-c', SET_GENRE_MUTAGEN, findServed(mnt, 'Vorbis.ogg'), 'From mutagen']);
      expect(ogg.stderr.toString()).toBe('');
      expect(ogg.status).toBe(0);
      const mp3 = spawnSync('kid3-cli', ['-c', 'set genre "From TagLib"', findServed(mnt, 'Mpeg.mp3')]);
      expect(mp3.stdout.toString()).toBe('');
      expect(mp3.status).toBe(0);
      await waitFor('three saves reported pending', () => (pending() === 3 ? true : undefined), 15_000);
      expect(throughMount(home)).toEqual([]);
      const listed = sleeveHere(home, ['mounts']);
      expect(listed.stdout).toContain(
        '3 save(s) waiting for the library (another process holds the library)',
      );
    } finally {
      release();
    }
    await waitFor('the saves applied', () => (throughMount(home).length === 3 ? true : undefined), 15_000);
    expect(genreOf(home, 'a.flac')).toBe('From metaflac');
    expect(genreOf(home, 'b.mp3')).toBe('From TagLib');
    expect(genreOf(home, 'c.ogg')).toBe('From mutagen');
    await waitFor('nothing pending', () => (pending() === 0 ? true : undefined), 15_000);
  });

  it('applies a journalled save exactly once after the daemon is killed before applying it', async () => {
    const release = holdLibrary(home);
    let released = false;
    try {
      const r = spawnSync('metaflac', ['--set-tag=COMMENT=survives a crash', findServed(mnt, 'Flac.flac')]);
      expect(r.status).toBe(0);
      await waitFor('the save reported pending', () => (pending() === 1 ? true : undefined), 15_000);
      const { pid } = listMounts(home).mounts.find((m) => m.mountpoint === mnt)!;
      process.kill(pid, 'SIGKILL');
      await waitFor(
        'the daemon gone',
        () => (listMounts(home).mounts.length === 0 ? true : undefined),
        15_000,
      );
      spawnSync('fusermount3', ['-uz', mnt]);
      release();
      released = true;
      expect(throughMount(home)).toHaveLength(3);
      expect(sleeveHere(home, ['mounts']).stderr).toContain(
        '1 save(s) waiting for the library (a mount that stopped',
      );
    } finally {
      if (!released) release();
    }
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
    const comment = () =>
      readLibrary(home, (db) =>
        db
          .prepare("SELECT value FROM tags WHERE key = 'comment' AND value = 'survives a crash'")
          .pluck()
          .all(),
      );
    await waitFor(
      'the save applied by the next daemon',
      () => (comment().length === 1 ? true : undefined),
      15_000,
    );
    // Applied before the mount was served: no watcher to tell yet, and nothing said of it.
    expect((readMountReport(home, mnt)?.problems ?? []).filter((p) => p.includes('watchers'))).toEqual([]);
    await waitFor('its journal removed', () =>
      readdirSync(join(home, 'saves')).some(
        (n) => n.endsWith('.journal') && !n.startsWith(`${pidOfMount()}-`),
      )
        ? undefined
        : true,
    );
    // Mounted once more: nothing is applied twice.
    expect(sleeveHere(home, ['umount', mnt]).status).toBe(0);
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
    expect(throughMount(home)).toHaveLength(4);
  });

  const pidOfMount = () => listMounts(home).mounts.find((m) => m.mountpoint === mnt)?.pid;

  it('sets aside the save of a library rebuilt beside its journal, with the reason, and lands every later save', async () => {
    const release = holdLibrary(home);
    try {
      expect(spawnSync('metaflac', ['--set-tag=MOOD=stranded', findServed(mnt, 'Flac.flac')]).status).toBe(0);
      await waitFor('the save reported pending', () => (pending() === 1 ? true : undefined), 15_000);
      process.kill(pidOfMount()!, 'SIGKILL');
      await waitFor('the daemon gone', () => (listMounts(home).mounts.length === 0 ? true : undefined));
      spawnSync('fusermount3', ['-uz', mnt]);
    } finally {
      release();
    }
    // The library rebuilt (a new library file, scanned again): the dead daemon's journal stays beside it.
    for (const f of ['library.db', 'library.db-wal', 'library.db-shm'])
      rmSync(join(home, f), { force: true });
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
    await waitFor('the stranded save set aside', () =>
      sleeveHere(home, ['saves']).stdout.includes('accepted for another library') ? true : undefined,
    );
    expect(sleeveHere(home, ['mounts']).stderr).toMatch(
      /1 save\(s\) through a mount set aside, first: accepted for another library/,
    );
    expect(spawnSync('metaflac', ['--set-tag=MOOD=landed', findServed(mnt, 'Flac.flac')]).status).toBe(0);
    const moods = () =>
      readLibrary(home, (db) => db.prepare("SELECT value FROM tags WHERE key = 'mood'").pluck().all());
    await waitFor('the later save applied', () => (moods().includes('landed') ? true : undefined));
    expect(moods()).toEqual(['landed']);
    const applied = sleeveHere(home, ['saves', 'apply', '--all']);
    expect(applied.stderr).toContain('cannot be applied: accepted for another library');
    expect(sleeveHere(home, ['saves', 'discard', '--all']).status).toBe(0);
    expect(sleeveHere(home, ['saves']).stdout).toContain('no saves are set aside');
  });
});
