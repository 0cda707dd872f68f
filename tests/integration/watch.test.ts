// Watched folders as a user lives with them: `sleeve watch` running, the library mounted, and files copied
// in, copied slowly, renamed, deleted, and a library folder whose disk goes away and comes back. Nothing
// is pressed: the library and the mount follow by themselves.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { CLI, hashTree, sleeve, sleeveJson, tempDir } from '../helpers.ts';
import { findServed, servedNames, unmountChecked, waitFor } from '../mount-helpers.ts';

interface Listed {
  id: number;
  path: string;
  status: string;
  tags: Record<string, string[]>;
}

interface WatchLine {
  event: 'folder' | 'changed';
  path?: string;
  state?: string;
  notice?: string | null;
  places?: string[];
  added?: number;
  updated?: number;
  moved?: number;
  missing?: number;
}

/** `sleeve watch --json` in the background, its lines collected as they come. */
class Watching {
  readonly lines: WatchLine[] = [];
  readonly child: ChildProcess;
  stderr = '';

  constructor(home: string, args: string[] = []) {
    this.child = spawn(process.execPath, [CLI, '--home', home, 'watch', '--json', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let rest = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      rest += d;
      const parts = rest.split('\n');
      rest = parts.pop()!;
      for (const p of parts) if (p.trim()) this.lines.push(JSON.parse(p) as WatchLine);
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr += d;
    });
  }

  folder(path: string): WatchLine | undefined {
    return this.lines.filter((l) => l.event === 'folder' && l.path === path).at(-1);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGINT');
    await exited;
  }
}

/** How many recordings have more than one copy. */
const groupCount = (home: string) => sleeveJson<unknown[]>(home, ['dup', '--json']).length;
const listed = (home: string) => sleeveJson<Listed[]>(home, ['ls', '--all-copies', '--json']);
const byName = (home: string, name: string) => listed(home).find((t) => t.path.endsWith(`/${name}`));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sleeve watch', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const album = join(music, 'Album');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  const staging = join(dir, 'staging');
  let watching: Watching;
  let originals: Map<string, string>;

  beforeAll(async () => {
    mkdirSync(album, { recursive: true });
    mkdirSync(staging);
    mkdirSync(home);
    writeFileSync(join(home, 'config.json'), JSON.stringify({ watch: { settleSeconds: 0.5 } }));
    writeWav(join(album, 'one.wav'), synthesizePiece(1, 20));
    writeWav(join(album, 'two.wav'), synthesizePiece(2, 20));
    expect(sleeve(home, ['scan', '--no-embeddings', music]).status).toBe(0);
    expect(sleeve(home, ['set', 'path:one.wav', 'title=Edited One', '-y']).status).toBe(0);
    expect(sleeve(home, ['mount', mnt]).stderr).toBe('');
    originals = hashTree(album);
    watching = new Watching(home);
    await waitFor(
      'the watch to start',
      () => (watching.folder(music)?.state === 'watching' ? true : undefined),
      15_000,
    );
  }, 60_000);

  afterAll(async () => {
    await watching?.stop();
    if (existsSync(mnt)) unmountChecked(home, mnt, album, originals);
  });

  it('takes in an album copied in: listed, fingerprinted, grouped with its existing copy, mounted', async () => {
    const incoming = join(staging, 'New Album');
    mkdirSync(incoming);
    writeWav(join(incoming, 'three.wav'), synthesizePiece(3, 20));
    copyFileSync(join(album, 'one.wav'), join(incoming, 'one again.wav'));
    cpSync(incoming, join(music, 'New Album'), { recursive: true });
    await waitFor('the album to be listed', () => byName(home, 'three.wav'), 20_000);
    await waitFor(
      'the copy to join its recording',
      () => {
        const groups = sleeveJson<Array<{ members: Array<{ path: string }> }>>(home, ['dup', '--json']);
        return groups.some((g) => g.members.some((m) => m.path.endsWith('one again.wav'))) ? true : undefined;
      },
      20_000,
    );
    expect(sleeve(home, ['fingerprint', 'path:three.wav']).stdout).toContain('FINGERPRINT=');
    await waitFor(
      'the mount to serve it',
      () => (servedNames(mnt).some((n) => n.includes('three')) ? true : undefined),
      10_000,
    );
    // One look took in the whole album (its report comes once the similarity index is updated too).
    const look = await waitFor('the report', () =>
      watching.lines.find((l) => l.event === 'changed' && l.places?.some((p) => p.includes('New Album'))),
    );
    expect(look.added).toBe(2);
  }, 60_000);

  it('does not read a file still being copied: it is read once, complete', async () => {
    const slow = join(music, 'Slow');
    mkdirSync(slow);
    const whole = join(staging, 'long.wav');
    writeWav(whole, synthesizePiece(4, 60));
    const bytes = readFileSync(whole);
    const target = join(slow, 'long.wav');
    const chunk = Math.ceil(bytes.length / 20);
    // Twenty pieces 250 ms apart (5 s in all): every pause is shorter than the settle time (500 ms).
    for (let i = 0; i < 20; i++) {
      appendFileSync(target, bytes.subarray(i * chunk, (i + 1) * chunk));
      await sleep(250);
    }
    expect(byName(home, 'long.wav')).toBeUndefined();
    const row = await waitFor('the complete file', () => byName(home, 'long.wav'), 20_000);
    expect(row.status).toBe('ok');
    const info = sleeveJson<{ size: number; duration: number }>(home, ['info', String(row.id), '--json']);
    expect(info.size).toBe(bytes.length);
    expect(Math.round(info.duration)).toBe(60);
    const reported = () =>
      watching.lines.filter((l) => l.event === 'changed' && l.places?.some((p) => p.startsWith(slow)));
    await waitFor('the report', () => (reported().length > 0 ? true : undefined));
    await sleep(1000); // a second look (the file read half-way, then again) would be reported by now
    expect(reported().map((l) => [l.added, l.updated])).toEqual([[1, 0]]);
  }, 60_000);

  it('follows a renamed folder: the same tracks, their edits, and the mount', async () => {
    const before = byName(home, 'one.wav')!;
    expect(before.tags.title).toEqual(['Edited One']);
    renameSync(album, join(music, 'Album (2019)'));
    const after = await waitFor(
      'the new path',
      () => listed(home).find((t) => t.id === before.id && t.path.includes('Album (2019)')),
      20_000,
    );
    expect(after.tags.title).toEqual(['Edited One']);
    expect(listed(home).filter((t) => t.status === 'missing')).toEqual([]);
    // The mount serves the edited track under its edited name, its audio read from the new place.
    await waitFor('the mount to read it from its new place', () => {
      try {
        return readFileSync(findServed(mnt, 'Edited One.wav')).length > 0 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    renameSync(join(music, 'Album (2019)'), album); // back, for the hash check at the end
    await waitFor(
      'the old path again',
      () => listed(home).find((t) => t.id === before.id && t.path.startsWith(`${album}/`)),
      20_000,
    );
  }, 60_000);

  it('marks a deleted file missing, and the mount drops it', async () => {
    const doomed = join(music, 'New Album', 'three.wav');
    rmSync(doomed);
    await waitFor(
      'missing',
      () => (byName(home, 'three.wav')?.status === 'missing' ? true : undefined),
      20_000,
    );
    await waitFor(
      'the mount to drop it',
      () => (servedNames(mnt).some((n) => n.includes('three')) ? undefined : true),
      10_000,
    );
  }, 60_000);

  it('pauses a library folder that goes away, marking nothing missing, and resumes when it is back', async () => {
    const away = join(dir, 'music-away');
    renameSync(music, away);
    await waitFor('paused', () => (watching.folder(music)?.state === 'paused' ? true : undefined), 10_000);
    expect(watching.folder(music)?.notice).toContain('nothing marked missing');
    await sleep(1500);
    expect(servedNames(mnt).some((n) => n.endsWith('Edited One.wav'))).toBe(true); // the mount keeps it
    expect(
      listed(home)
        .filter((t) => t.status === 'missing')
        .map((t) => t.path),
    ).toEqual([join(music, 'New Album', 'three.wav')]);
    renameSync(away, music);
    await waitFor(
      'watching again',
      () => (watching.folder(music)?.state === 'watching' ? true : undefined),
      10_000,
    );
    writeWav(join(music, 'New Album', 'five.wav'), synthesizePiece(5, 20));
    await waitFor('a file added after the resume', () => byName(home, 'five.wav'), 20_000);
  }, 60_000);

  it('pauses a disk unmounted from under it (an empty mount point), and takes it back when mounted again', async () => {
    const disk = join(dir, 'disk');
    mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', disk]);
    try {
      writeWav(join(disk, 'six.wav'), synthesizePiece(6, 20));
      copyFileSync(join(disk, 'six.wav'), join(staging, 'six.wav'));
      expect(sleeve(home, ['scan', '--no-embeddings', disk]).status).toBe(0);
      await waitFor(
        'the disk watched',
        () => (watching.folder(disk)?.state === 'watching' ? true : undefined),
        10_000,
      );
      execFileSync('umount', [disk]);
      await waitFor('paused', () => (watching.folder(disk)?.state === 'paused' ? true : undefined), 10_000);
      expect(watching.folder(disk)?.notice).toContain('not mounted');
      await sleep(1500);
      expect(byName(home, 'six.wav')?.status).toBe('ok');
      execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', disk]);
      cpSync(join(staging, 'six.wav'), join(disk, 'six.wav'), { preserveTimestamps: true });
      await waitFor(
        'watching again',
        () => (watching.folder(disk)?.state === 'watching' ? true : undefined),
        10_000,
      );
      await sleep(1500);
      expect(byName(home, 'six.wav')?.status).toBe('ok');
    } finally {
      if (statSync(disk).dev !== statSync(dir).dev) execFileSync('umount', ['-l', disk]);
    }
  }, 60_000);
});

describe('sleeve watch where events cannot be had', () => {
  /** A scanned library of one file whose folder is polled every 5 s (settle time 0.5 s). */
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
    const scanned = sleeve(home, ['scan', '--no-embeddings', music]);
    expect(scanned.status, scanned.stderr).toBe(0);
    return { dir, music, home };
  }

  it('looks every pollSeconds when watch.poll is set, and says so', async () => {
    const { music, home } = polledLibrary();
    const watching = new Watching(home);
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
    const watching = new Watching(home);
    try {
      await waitFor(
        'polling',
        () => (watching.folder(music)?.state === 'polling' ? true : undefined),
        15_000,
      );
      const whole = join(dir, 'long.wav');
      writeWav(whole, synthesizePiece(4, 60));
      const bytes = readFileSync(whole);
      const target = join(music, 'long.wav');
      const chunk = Math.ceil(bytes.length / 48);
      // Written over 12 s (two polls at least), each piece stamped an hour old as a server behind us would.
      const hourAgo = new Date(Date.now() - 3_600_000);
      for (let i = 0; i < 48; i++) {
        appendFileSync(target, bytes.subarray(i * chunk, (i + 1) * chunk));
        utimesSync(target, hourAgo, hourAgo);
        await sleep(250);
      }
      const row = await waitFor('the complete file', () => byName(home, 'long.wav'), 20_000);
      const info = sleeveJson<{ size: number }>(home, ['info', String(row.id), '--json']);
      expect(info.size).toBe(bytes.length);
      await sleep(6000); // a half-read file would be read again, as updated, by the next poll
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
    for (let k = 1; k <= 6; k++) writeWav(join(music, `${k}.wav`), synthesizePiece(k, 60));
    copyFileSync(join(music, '1.wav'), join(music, '1 again.wav'));
    // Killed once it is fingerprinting (what a crash or a closed laptop does): everything was read.
    const scan = spawn(process.execPath, [CLI, '--home', home, 'scan', '--json', music], {
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
    expect(groupCount(home)).toBe(0);
    const watching = new Watching(home);
    try {
      // Nothing changed on disk: only the watcher's first look can finish them.
      await waitFor('the copies to be grouped', () => (groupCount(home) === 1 ? true : undefined), 60_000);
    } finally {
      await watching.stop();
    }
  }, 90_000);

  it('leaves alone what a scan chose not to analyse (--no-fingerprint)', async () => {
    const music = join(tempDir(), 'music');
    const home = tempDir();
    mkdirSync(music);
    writeWav(join(music, 'one.wav'), synthesizePiece(1, 20));
    copyFileSync(join(music, 'one.wav'), join(music, 'one again.wav'));
    expect(sleeve(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    const watching = new Watching(home);
    try {
      await waitFor(
        'watching',
        () => (watching.folder(music)?.state === 'watching' ? true : undefined),
        15_000,
      );
      await sleep(3000); // its first look is over
      expect(groupCount(home)).toBe(0);
    } finally {
      await watching.stop();
    }
  }, 60_000);

  it('refuses to watch a library without folders, saying how to add one', () => {
    const r = sleeve(tempDir(), ['watch']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('sleeve scan FOLDER');
  });
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
    const server = join(dir, 'stalling-fs');
    const src = new URL('../fixtures/stalling-fs.c', import.meta.url).pathname;
    execFileSync('sh', ['-c', `gcc -O1 -o "${server}" "${src}" $(pkg-config --cflags --libs fuse3)`]);
    const serving = spawn(server, ['-f', '-o', 'ro', share], {
      env: { ...process.env, STALLING_FS_SOURCE: source },
      stdio: 'ignore',
    });
    let watching: Watching | undefined;
    try {
      await waitFor('the share mounted', () =>
        statSync(share).dev !== statSync(dir).dev ? true : undefined,
      );
      expect(sleeve(home, ['scan', '--no-embeddings', share, other]).status).toBe(0);
      watching = new Watching(home);
      const state = (folder: string) => watching!.folder(folder)?.state;
      await waitFor(
        'both watched',
        () => (state(share) === 'watching' && state(other) === 'watching' ? true : undefined),
        15_000,
      );
      // The first looks (nothing changed) are over: a share that stops answering in the middle of a look's
      // walk still holds the look until it answers (the walk's calls are synchronous).
      await sleep(3000);
      serving.kill('SIGSTOP'); // every stat under the share now hangs
      await waitFor('the share paused', () => (state(share) === 'paused' ? true : undefined), 20_000);
      expect(watching.folder(share)?.notice).toContain('it does not answer');
      writeWav(join(other, 'three.wav'), synthesizePiece(3, 20));
      await waitFor('the other folder taken in meanwhile', () => byName(home, 'three.wav'), 20_000);
      serving.kill('SIGCONT');
      await waitFor(
        'the share watched again',
        () => (state(share) === 'watching' ? true : undefined),
        20_000,
      );
      expect(byName(home, 'one.wav')?.status).toBe('ok');
    } finally {
      serving.kill('SIGCONT');
      await watching?.stop();
      execFileSync('fusermount3', ['-uz', share]);
    }
  }, 90_000);
});
