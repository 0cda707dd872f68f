// Watched folders as a user lives with them: the library mounted, and files copied in, copied slowly,
// renamed, deleted, and a library folder whose disk goes away and comes back. Nothing is pressed: the
// library and the mount follow by themselves. One test runs `sleeve watch` itself on a user's clocks; the
// others run the same watcher in the test's process on clocks a test can wait for (tests/fixtures/
// watching.ts), and wait on what it says and on the library, never on guessed durations.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_FLAGS } from '../../kit/scan-flags.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { stallingShare } from '../fixtures/stalling-share.ts';
import { CliWatch, WatchHere } from '../fixtures/watching.ts';
import { CLI, hashTree, sleeveHere, sleeveHereAsync, tempDir } from '../helpers.ts';
import { byName, groupCount, groupMembers, listed, readLibrary } from '../library-probe.ts';
import { findServed, servedNames, unmountChecked, waitFor } from '../mount-helpers.ts';

/**
 * Copies `from` to `to` in `pieces` appends `gapMs` apart, as a slow copy does, from a process of its own:
 * the watcher under test may run in this one, and its work must not stretch the pauses. `stampedAgoMs`:
 * each piece leaves the file's times that far in the past (a network share's clock behind ours).
 */
async function copySlowly(from: string, to: string, pieces: number, gapMs: number, stampedAgoMs = 0) {
  const script = `
    const { appendFileSync, readFileSync, utimesSync } = require('node:fs');
    const [from, to, pieces, gap, ago] = process.argv.slice(1);
    const bytes = readFileSync(from);
    const chunk = Math.ceil(bytes.length / pieces);
    let i = 0;
    const next = () => {
      appendFileSync(to, bytes.subarray(i * chunk, (i + 1) * chunk));
      if (Number(ago) > 0) { const t = new Date(Date.now() - Number(ago)); utimesSync(to, t, t); }
      if (++i < Number(pieces)) setTimeout(next, Number(gap));
    };
    next();`;
  const child = spawn(
    process.execPath,
    ['-e', script, from, to, String(pieces), String(gapMs), String(stampedAgoMs)],
    {
      stdio: 'inherit',
    },
  );
  const [code] = (await once(child, 'exit')) as [number];
  expect(code).toBe(0);
}

/** A library of one album, scanned, with an edit, mounted; `config` is its watch settings. */
function mountedLibrary(watch: object) {
  const dir = tempDir();
  const music = join(dir, 'music');
  const album = join(music, 'Album');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  const staging = join(dir, 'staging');
  mkdirSync(album, { recursive: true });
  mkdirSync(staging);
  mkdirSync(home);
  writeFileSync(join(home, 'config.json'), JSON.stringify({ watch }));
  writeWav(join(album, 'one.wav'), synthesizePiece(1, 20));
  writeWav(join(album, 'two.wav'), synthesizePiece(2, 20));
  expect(sleeveHere(home, ['scan', '--no-embeddings', music]).status).toBe(0);
  expect(sleeveHere(home, ['set', 'path:one.wav', 'title=Edited One', '-y']).status).toBe(0);
  expect(sleeveHere(home, ['mount', mnt]).stderr).toBe('');
  return { dir, music, album, home, mnt, staging, originals: hashTree(album) };
}

type Library = ReturnType<typeof mountedLibrary>;

describe('sleeve watch, as a user runs it', () => {
  let lib: Library;
  let watching: CliWatch;

  beforeAll(async () => {
    lib = mountedLibrary({ settleSeconds: 0.5 });
    watching = new CliWatch(lib.home);
    await waitFor(
      'the watch to start',
      () => (watching.folder(lib.music)?.state === 'watching' ? true : undefined),
      15_000,
    );
  });

  afterAll(async () => {
    await watching?.stop();
    if (lib && existsSync(lib.mnt)) unmountChecked(lib.home, lib.mnt, lib.album, lib.originals);
  });

  it('takes in an album copied in: listed, fingerprinted, grouped with its existing copy, mounted', async () => {
    const incoming = join(lib.staging, 'New Album');
    mkdirSync(incoming);
    writeWav(join(incoming, 'three.wav'), synthesizePiece(3, 20));
    copyFileSync(join(lib.album, 'one.wav'), join(incoming, 'one again.wav'));
    cpSync(incoming, join(lib.music, 'New Album'), { recursive: true });
    await waitFor('the album to be listed', () => byName(lib.home, 'three.wav'), 20_000);
    await waitFor(
      'the copy to join its recording',
      () =>
        groupMembers(lib.home).some((g) => g.some((p) => p.endsWith('one again.wav'))) ? true : undefined,
      20_000,
    );
    expect(sleeveHere(lib.home, ['fingerprint', 'path:three.wav']).stdout).toContain('FINGERPRINT=');
    await waitFor(
      'the mount to serve it',
      () => (servedNames(lib.mnt).some((n) => n.includes('three')) ? true : undefined),
      10_000,
    );
    // One look took in the whole album (its report comes once the similarity index is updated too).
    const look = await waitFor('the report', () => watching.changes(join(lib.music, 'New Album'))[0]);
    expect(look.added).toBe(2);
  }, 60_000);

  it('marks a deleted file missing, and the mount drops it', async () => {
    rmSync(join(lib.music, 'New Album', 'three.wav'));
    await waitFor(
      'missing',
      () => (byName(lib.home, 'three.wav')?.status === 'missing' ? true : undefined),
      20_000,
    );
    await waitFor(
      'the mount to drop it',
      () => (servedNames(lib.mnt).some((n) => n.includes('three')) ? undefined : true),
      10_000,
    );
  }, 60_000);

  it('refuses to watch a library without folders, saying how to add one', () => {
    const r = sleeveHere(tempDir(), ['watch']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('sleeve scan FOLDER');
  });
});

describe('the library watcher', () => {
  let lib: Library;
  let watching: WatchHere;

  beforeAll(async () => {
    lib = mountedLibrary({ settleSeconds: 0.5 });
    watching = new WatchHere(lib.home);
    await watching.nextLooks(lib.music); // its first look, at the whole folder
  });

  afterAll(async () => {
    await watching?.stop();
    if (lib && existsSync(lib.mnt)) unmountChecked(lib.home, lib.mnt, lib.album, lib.originals);
  });

  it('does not read a file still being copied: it is read once, complete', async () => {
    const slow = join(lib.music, 'Slow');
    mkdirSync(slow);
    const whole = join(lib.staging, 'long.wav');
    writeWav(whole, synthesizePiece(4, 20));
    const bytes = readFileSync(whole);
    // Twenty pieces 100 ms apart: every pause is far shorter than the settle time (500 ms).
    await copySlowly(whole, join(slow, 'long.wav'), 20, 100);
    expect(byName(lib.home, 'long.wav')).toBeUndefined();
    const row = await waitFor('the complete file', () => byName(lib.home, 'long.wav'), 20_000);
    expect(row.status).toBe('ok');
    expect(row.size).toBe(bytes.length);
    expect(Math.round(row.duration!)).toBe(20);
    await waitFor('the report', () => watching.changes(slow)[0]);
    // A second look (the file read half-way, then again) would be over once a later change is looked at.
    await watching.lookAfter(join(slow, 'marker.txt'));
    expect(watching.changes(slow).map((l) => [l.added, l.updated])).toEqual([[1, 0]]);
  }, 60_000);

  it('follows a renamed folder: the same tracks, their edits, and the mount', async () => {
    const before = byName(lib.home, 'one.wav')!;
    expect(before.tags.title).toEqual(['Edited One']);
    renameSync(lib.album, join(lib.music, 'Album (2019)'));
    const after = await waitFor(
      'the new path',
      () => listed(lib.home).find((t) => t.id === before.id && t.path.includes('Album (2019)')),
      20_000,
    );
    expect(after.tags.title).toEqual(['Edited One']);
    expect(listed(lib.home).filter((t) => t.status === 'missing')).toEqual([]);
    // The mount serves the edited track under its edited name, its audio read from the new place.
    await waitFor('the mount to read it from its new place', () => {
      try {
        return readFileSync(findServed(lib.mnt, 'Edited One.wav')).length > 0 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    renameSync(join(lib.music, 'Album (2019)'), lib.album); // back, for the hash check at the end
    await waitFor(
      'the old path again',
      () => listed(lib.home).find((t) => t.id === before.id && t.path.startsWith(`${lib.album}/`)),
      20_000,
    );
  }, 60_000);

  it('pauses a library folder that goes away, marking nothing missing, and resumes when it is back', async () => {
    const away = join(lib.dir, 'music-away');
    renameSync(lib.music, away);
    await waitFor(
      'paused',
      () => (watching.folder(lib.music)?.state === 'paused' ? true : undefined),
      10_000,
    );
    expect(watching.folder(lib.music)?.notice).toContain('nothing marked missing');
    await watching.nextChecks(3);
    expect(servedNames(lib.mnt).some((n) => n.endsWith('Edited One.wav'))).toBe(true); // the mount keeps it
    expect(listed(lib.home).filter((t) => t.status === 'missing')).toEqual([]);
    renameSync(away, lib.music);
    await waitFor(
      'watching again',
      () => (watching.folder(lib.music)?.state === 'watching' ? true : undefined),
      10_000,
    );
    writeWav(join(lib.music, 'Slow', 'five.wav'), synthesizePiece(5, 20));
    await waitFor('a file added after the resume', () => byName(lib.home, 'five.wav'), 20_000);
  }, 60_000);

  it('pauses a disk unmounted from under it (an empty mount point), and takes it back when mounted again', async () => {
    const disk = join(lib.dir, 'disk');
    mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', disk]);
    try {
      writeWav(join(disk, 'six.wav'), synthesizePiece(6, 20));
      copyFileSync(join(disk, 'six.wav'), join(lib.staging, 'six.wav'));
      // Not spawnSync: it would stop this process, whose watcher may hold the scan lock the scan waits for.
      expect((await sleeveHereAsync(lib.home, ['scan', '--no-embeddings', disk])).status).toBe(0);
      await waitFor(
        'the disk watched',
        () => (watching.folder(disk)?.state === 'watching' ? true : undefined),
        10_000,
      );
      execFileSync('umount', [disk]);
      await waitFor('paused', () => (watching.folder(disk)?.state === 'paused' ? true : undefined), 10_000);
      expect(watching.folder(disk)?.notice).toContain('not mounted');
      await watching.nextChecks(3);
      expect(byName(lib.home, 'six.wav')?.status).toBe('ok');
      execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', disk]);
      cpSync(join(lib.staging, 'six.wav'), join(disk, 'six.wav'), { preserveTimestamps: true });
      const looked = watching.looks(disk);
      await waitFor(
        'watching again',
        () => (watching.folder(disk)?.state === 'watching' ? true : undefined),
        10_000,
      );
      await waitFor('its look', () => (watching.looks(disk) > looked ? true : undefined), 10_000);
      expect(byName(lib.home, 'six.wav')?.status).toBe('ok');
    } finally {
      if (statSync(disk).dev !== statSync(lib.dir).dev) execFileSync('umount', ['-l', disk]);
    }
  }, 60_000);
});

describe('the library watcher where events cannot be had', () => {
  /** A scanned library of one file whose folder is polled (settle time 0.5 s). */
  function polledLibrary(): { dir: string; music: string; home: string } {
    const dir = tempDir();
    const music = join(dir, 'music');
    const home = join(dir, 'home');
    mkdirSync(music);
    mkdirSync(home);
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({ watch: { poll: true, pollSeconds: 5, settleSeconds: 0.5 } }),
    );
    writeWav(join(music, 'one.wav'), synthesizePiece(1, 10));
    const scanned = sleeveHere(home, ['scan', '--no-embeddings', music]);
    expect(scanned.status, scanned.stderr).toBe(0);
    return { dir, music, home };
  }

  it('looks every pollSeconds when watch.poll is set, and says so', async () => {
    const { music, home } = polledLibrary();
    const watching = new WatchHere(home);
    try {
      const state = await waitFor('polling', () => watching.folder(music), 15_000);
      expect(state.state).toBe('polling');
      expect(state.notice).toContain('watch.poll is set in config.json');
      expect(state.notice).toContain('every 5 s');
      writeWav(join(music, 'two.wav'), synthesizePiece(2, 10));
      await waitFor('the next look to find it', () => byName(home, 'two.wav'), 20_000);
    } finally {
      await watching.stop();
    }
  }, 60_000);

  it('reads a polled file only once two looks agree on it, whatever its times say (a server clock behind)', async () => {
    const { dir, music, home } = polledLibrary();
    const watching = new WatchHere(home);
    try {
      await watching.nextLooks(music);
      const whole = join(dir, 'long.wav');
      writeWav(whole, synthesizePiece(4, 20));
      const bytes = readFileSync(whole);
      const target = join(music, 'long.wav');
      // Written over 2.4 s (four polls at least), each piece stamped an hour old as a server behind us
      // would stamp it.
      await copySlowly(whole, target, 24, 100, 3_600_000);
      const row = await waitFor('the complete file', () => byName(home, 'long.wav'), 20_000);
      expect(row.size).toBe(bytes.length);
      await watching.nextLooks(music, 2); // a half-read file would be read again, as updated, by now
      const looks = watching.lines.filter((l) => l.event === 'changed' && (l.added || l.updated));
      expect(looks.map((l) => [l.added, l.updated])).toEqual([[1, 0]]);
    } finally {
      await watching.stop();
    }
  }, 60_000);

  it('finishes what a scan stopped part-way left: files read but never fingerprinted are grouped', async () => {
    const music = join(tempDir(), 'music');
    const home = tempDir();
    mkdirSync(music);
    // Half a minute each: the analysis of them all outlasts the kill by far (it is sent on its first line).
    for (let k = 1; k <= 6; k++) writeWav(join(music, `${k}.wav`), synthesizePiece(k, 30));
    copyFileSync(join(music, '1.wav'), join(music, '1 again.wav'));
    // Killed once it is fingerprinting (what a crash or a closed laptop does): everything was read. Node
    // started with the #! line's flags, as the installed command is (without them the scan starts Node
    // again to get them).
    const scan = spawn(process.execPath, [...SCAN_FLAGS, CLI, '--home', home, 'scan', '--json', music], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    scan.stderr!.on('data', (d: Buffer) => {
      err += d;
      if (err.includes('"phase":"analyse"')) scan.kill('SIGKILL');
    });
    await new Promise((r) => scan.once('exit', r));
    expect(err).toContain('"phase":"analyse"');
    expect(listed(home)).toHaveLength(7);
    expect(await groupCount(home)).toBe(0);
    const watching = new WatchHere(home);
    try {
      // Nothing changed on disk: only the watcher's first look can finish them.
      await watching.nextLooks(music);
      expect(await groupCount(home)).toBe(1);
    } finally {
      await watching.stop();
    }
  }, 90_000);

  it('leaves alone what a scan chose not to analyse (--no-fingerprint), and analyses what it takes in', async () => {
    const music = join(tempDir(), 'music');
    const home = tempDir();
    mkdirSync(music);
    writeWav(join(music, 'one.wav'), synthesizePiece(1, 20));
    copyFileSync(join(music, 'one.wav'), join(music, 'one again.wav'));
    expect(sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    const watching = new WatchHere(home);
    const fingerprinted = () =>
      readLibrary(home, (db) =>
        (
          db
            .prepare('SELECT f.path FROM fingerprints p JOIN files f ON f.id = p.file_id')
            .pluck()
            .all() as string[]
        )
          .map((path) => basename(path))
          .sort(),
      );
    try {
      await watching.nextLooks(music);
      expect(await groupCount(home)).toBe(0);
      // A file copied in is analysed, and only it: the files the scan left are analysed in id order, so
      // had the look taken them on, they would be done before it.
      writeWav(join(music, 'two.wav'), synthesizePiece(2, 20));
      await waitFor(
        'two.wav fingerprinted',
        () => (fingerprinted().includes('two.wav') ? true : undefined),
        30_000,
      );
      expect(fingerprinted()).toEqual(['two.wav']);
      expect(await groupCount(home)).toBe(0);
      // An edit is not something a look took in: a file edited, then another copied in, and only the
      // one copied in is analysed.
      expect(sleeveHere(home, ['set', 'path:one.wav', 'title=Edited', '-y']).status).toBe(0);
      writeWav(join(music, 'three.wav'), synthesizePiece(3, 20));
      await waitFor(
        'three.wav fingerprinted',
        () => (fingerprinted().includes('three.wav') ? true : undefined),
        30_000,
      );
      expect(fingerprinted()).toEqual(['three.wav', 'two.wav']);
    } finally {
      await watching.stop();
    }
  }, 60_000);
});

describe('a library folder that stops answering (a network share whose server went away)', () => {
  it('is paused after a few seconds while the other folders are still watched, and resumes', async () => {
    const dir = tempDir();
    const source = join(dir, 'source');
    const share = join(dir, 'share');
    const other = join(dir, 'other');
    const home = join(dir, 'home');
    for (const d of [source, share, other, home]) mkdirSync(d);
    writeWav(join(source, 'one.wav'), synthesizePiece(1, 20));
    writeWav(join(other, 'two.wav'), synthesizePiece(2, 20));
    const serving = await stallingShare(source, share);
    let watching: WatchHere | undefined;
    try {
      expect(sleeveHere(home, ['scan', '--no-embeddings', share, other]).status).toBe(0);
      // A question unanswered for 2 s pauses the folder (5 s for a user).
      watching = new WatchHere(home, { noAnswerMs: 2000 });
      const state = (folder: string) => watching!.folder(folder)?.state;
      // The first looks (nothing changed) are over: a share that stops answering in the middle of a
      // look's walk still holds the look until it answers (the walk's calls are synchronous).
      await Promise.all([watching.nextLooks(share), watching.nextLooks(other)]);
      expect([state(share), state(other)]).toEqual(['watching', 'watching']);
      await serving.stall(); // every stat under the share now hangs
      await waitFor('the share paused', () => (state(share) === 'paused' ? true : undefined), 20_000);
      expect(watching.folder(share)?.notice).toContain('it does not answer');
      writeWav(join(other, 'three.wav'), synthesizePiece(3, 20));
      await waitFor('the other folder taken in meanwhile', () => byName(home, 'three.wav'), 20_000);
      serving.resume();
      await waitFor(
        'the share watched again',
        () => (state(share) === 'watching' ? true : undefined),
        20_000,
      );
      expect(byName(home, 'one.wav')?.status).toBe('ok');
    } finally {
      serving.resume();
      await watching?.stop();
      serving.stop();
    }
  }, 90_000);
});
