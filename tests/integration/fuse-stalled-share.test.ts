// One original on a network share whose server went away (a FUSE folder whose server is stopped with
// SIGSTOP) must not freeze the mount: its open fails with EIO and a line in the daemon's log naming the
// file and why, at the deadline config.json sets, while the daemon keeps answering for local files; once
// the share answers again, so does its file. So does a read through a handle opened for writing before the
// share went silent (a tagger's: its reads are answered by the daemon's JS, from the original). And when
// a player opens and reads more of the share's files at once than the binding has threads (opens and reads
// of files opened before, which the binding answers without JS), the mount still answers for the rest.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMounts } from '../../app/core/mounts/mount-registry.ts';
import { makeNoise, run } from '../fixtures/library.ts';
import { type StallingShare, stallingShare } from '../fixtures/stalling-share.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';
import { PY, TestMount, waitFor } from '../mount-helpers.ts';

/** How long the daemon waits for an original's file system (config.json's mount.originalTimeoutSeconds). */
const TIMEOUT_S = 2;

/** A FLAC of noise (`seconds` long) tagged so that the default template serves it at
 *  `Artist/Album/01 Title.flac`. */
function flac(path: string, seconds: number, artist: string, album: string, title: string): void {
  const wav = join(tempDir(), 'noise.wav');
  makeNoise(wav, seconds);
  const tags = { album_artist: artist, artist, album, title, track: '1' };
  const metadata = Object.entries(tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  run('ffmpeg', ['-v', 'error', '-i', wav, ...metadata, path]);
}

/** What `cat FILE` did: its exit code, what it wrote and what it said. */
interface Catted {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * `cat FILE` in a process of its own, never waited for synchronously: a read the daemon never answers
 * cannot be killed (the kernel waits for an answer to a request the daemon has taken), and must leave
 * this process free to fail the test and resume the share in afterAll. Rejects after `ms`.
 */
function cat(path: string, pending: ChildProcess[], ms = 30_000): Promise<Catted> {
  return spawned(['cat', path], pending, ms);
}

/** A command run as cat() runs it. */
function spawned(argv: readonly string[], pending: ChildProcess[], ms: number): Promise<Catted> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  pending.push(child);
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<Catted>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${argv.join(' ')} had no answer in ${ms} ms`)), ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
  });
}

/** Drops the file's pages from the kernel's cache, as memory pressure would. */
function evict(path: string): void {
  const drop =
    'import os, sys\nfd = os.open(sys.argv[1], os.O_RDONLY)\nos.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)';
  run('/usr/bin/python3', ['-c', drop, path]);
}

/** Files on the share beyond far.flac: more than the binding's 16 threads. */
const MANY = 24;

/** A handle in a Python process (a tagger's, open for writing, or a player's, read-only), reading where it
 *  is told, saying what happened, one line each. */
class Tagger {
  readonly #child: ChildProcess;
  #out = '';

  constructor(
    path: string,
    pending: ChildProcess[],
    mode: 'O_RDWR' | 'O_RDWR | os.O_DIRECT' | 'O_RDONLY' = 'O_RDWR',
  ) {
    const script = `
import os, sys
fd = os.open(sys.argv[1], os.${mode})
print('opened', flush=True)
for line in sys.stdin:
    if line.strip() == 'close':
        break
    try:
        print('read', len(os.pread(fd, 4096, int(line))), flush=True)
    except OSError as e:
        print(os.strerror(e.errno), flush=True)
os.close(fd)
print('closed', flush=True)
`;
    this.#child = spawn(PY, ['-c', script, path], { stdio: ['pipe', 'pipe', 'inherit'] });
    pending.push(this.#child);
    this.#child.stdout!.on('data', (d: Buffer) => {
      this.#out += d.toString();
    });
  }

  tell(line: string): void {
    this.#child.stdin!.write(`${line}\n`);
  }

  /** Waits for a line saying `what`. */
  said(what: string): Promise<true> {
    return waitFor(`the tagger saying ${what}`, () => (this.saying(what) ? true : undefined), 30_000);
  }

  /** Whether a line said `what`. */
  saying(what: string): boolean {
    return this.#out.split('\n').includes(what);
  }

  get process(): ChildProcess {
    return this.#child;
  }
}

/** Whether a thread of process `pid` is waiting for a FUSE file system to answer it: for its request
 *  (an open, a stat), or, `pages`, also for a page a read through the kernel's cache is filling. */
function waitingForFuse(pid: number, pages = false): boolean {
  if (!existsSync(`/proc/${pid}/task`)) return false; // it ended
  const waits = pages ? ['request_wait_answer', 'folio_wait_bit_common'] : ['request_wait_answer'];
  return readdirSync(`/proc/${pid}/task`).some((tid) => {
    try {
      return waits.includes(readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8'));
    } catch {
      return false; // the thread ended
    }
  });
}

describe('sleeve mount: an original on a share that stops answering', () => {
  const t = new TestMount();
  const source = join(t.dir, 'source');
  const share = join(t.dir, 'share');
  let serving: StallingShare | undefined;
  let sourceHashes = new Map<string, string>();
  /** The served paths, found by name (no folder is listed: each first open goes to the daemon's JS). */
  const near = join(t.mnt, 'Near', 'Here', '01 Local.flac');
  const other = join(t.mnt, 'Near', 'There', '01 Other.flac');
  const far = join(t.mnt, 'Far', 'Away', '01 Remote.flac');
  const pending: ChildProcess[] = [];

  beforeAll(async () => {
    for (const d of [source, share]) mkdirSync(d);
    flac(join(t.music, 'near.flac'), 1, 'Near', 'Here', 'Local');
    flac(join(t.music, 'other.flac'), 1, 'Near', 'There', 'Other');
    // Megabytes: a read far into it finds none of its bytes among those the daemon keeps at hand.
    flac(join(source, 'far.flac'), 20, 'Far', 'Away', 'Remote');
    flac(join(t.dir, 'one.flac'), 1, 'Far', 'Many', 'One');
    for (let i = 1; i <= MANY; i++) {
      const tags = ['-metadata', `title=T${i}`, '-metadata', `track=${i}`];
      run('ffmpeg', [
        '-v',
        'error',
        '-i',
        join(t.dir, 'one.flac'),
        '-c',
        'copy',
        ...tags,
        join(source, `m${i}.flac`),
      ]);
    }
    t.originals = hashTree(t.music);
    sourceHashes = hashTree(source);
    serving = await stallingShare(source, share);
    const scan = ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', t.music, share];
    expect(sleeveHere(t.home, scan).status).toBe(0);
    writeFileSync(
      join(t.home, 'config.json'),
      JSON.stringify({ mount: { originalTimeoutSeconds: TIMEOUT_S } }),
    );
    expect(sleeveHere(t.home, ['mount', t.mnt]).stderr).toBe('');
  });

  afterAll(() => {
    try {
      serving?.resume(); // whatever hangs on the share ends
      for (const child of pending) child.kill('SIGKILL');
      t.stop();
    } finally {
      serving?.stop();
      expect(hashTree(source)).toEqual(sourceHashes);
    }
  });

  it('fails that file with EIO and a reason, and answers for local files meanwhile', async () => {
    const daemon = listMounts(t.home).mounts[0]!.pid;
    await serving!.stall();
    const stalled = cat(far, pending);
    stalled.catch(() => {}); // awaited below, unless the test failed before
    // The daemon is now waiting for the share (its file lane's thread; on the thread that answers
    // everything, before).
    await waitFor('the daemon waiting for the share', () => (waitingForFuse(daemon) ? true : undefined));

    // A local file's first open needs the daemon's JS thread: it answers.
    const local = await cat(near, pending);
    expect(local.code).toBe(0);
    expect(local.stdout.subarray(0, 4).toString('latin1')).toBe('fLaC');
    expect(local.stdout.length).toBe(statSync(near).size);

    // The stalled one fails at the deadline, said in the log with its served path and the share's.
    const failed = await stalled;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Input/output error');
    expect(t.log()).toContain(
      `EIO /Far/Away/01 Remote.flac: open ${join(share, 'far.flac')}: ${share} has not answered for ${TIMEOUT_S} s (a network share or disk that stopped answering?)`,
    );

    // Asked again while the share is still silent: refused (at once: its lane is still stuck).
    const again = await cat(far, pending);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Input/output error');

    // The share answers again: so does its file.
    serving!.resume();
    for (let tries = 0; (await cat(far, pending)).code !== 0; tries++) {
      if (tries > 100) throw new Error('the shared file is not served again');
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 90_000);

  it("fails a writer's read of the stalled original the same way, and answers for local files", async () => {
    // O_DIRECT: its reads reach the daemon, whatever pages of the file the kernel holds.
    const writer = new Tagger(far, pending, 'O_RDWR | os.O_DIRECT');
    await writer.said('opened');
    const daemon = listMounts(t.home).mounts[0]!.pid;
    await serving!.stall();
    // 4 KiB from its middle, far from the head and the tail the daemon reads or stores at an open. Should
    // it be answered all the same, the test says so at once rather than at its deadline.
    writer.tell(String(Math.floor(statSync(far).size / 2)));
    await waitFor('the daemon waiting for the share', () => {
      if (writer.saying('read 4096'))
        throw new Error(`the read was answered without the share (a cache); the daemon's log:\n${t.log()}`);
      return waitingForFuse(daemon) ? true : undefined;
    });

    const local = await cat(other, pending);
    expect(local.code).toBe(0);
    expect(local.stdout.length).toBe(statSync(other).size);

    await writer.said('Input/output error');
    expect(t.log()).toContain(
      `EIO /Far/Away/01 Remote.flac: read ${join(share, 'far.flac')}: ${share} has not answered for`,
    );
    serving!.resume();
    writer.tell('close');
    await writer.said('closed');
  }, 90_000);

  it('answers for local files and listings while more of its files are opened and read than it has threads', async () => {
    serving!.resume(); // whatever a failed test before left stalled: each test says its own failure
    const folder = join(t.mnt, 'Far', 'Many');
    const files = readdirSync(folder).map((name) => join(folder, name));
    expect(files.length).toBe(MANY);
    // Each opened once: the binding answers their opens and reads from then on, without JS.
    for (const file of files) expect((await cat(file, pending)).code).toBe(0);
    const half = MANY / 2;
    const readers = files.slice(0, half).map((file) => new Tagger(file, pending, 'O_RDONLY'));
    for (const reader of readers) await reader.said('opened');
    for (const file of files.slice(0, half)) evict(file); // their reads reach the daemon
    // Asked before the stall: a stat that found the mount frozen would freeze this process.
    const middles = files.slice(0, half).map((file) => Math.floor(statSync(file).size / 2));
    const nearSize = statSync(near).size;
    const daemon = listMounts(t.home).mounts[0]!.pid;
    await serving!.stall();
    let opens: Promise<Catted>[] = [];
    try {
      // Reads through the first half's handles, opens of the second half: 24 requests at once, each
      // waiting for the share if the binding lets it.
      for (const [i, reader] of readers.entries()) reader.tell(String(middles[i]));
      const first = pending.length;
      opens = files.slice(half).map((file) => cat(file, pending, 60_000));
      for (const open of opens) open.catch(() => {}); // awaited below, unless the test failed before
      const catting = pending.slice(first);
      await waitFor('the daemon waiting for the share', () => (waitingForFuse(daemon) ? true : undefined));
      // Every request made: each reader and cat waits for the mount's answer, or has had it.
      await waitFor('the requests made', () =>
        readers.every(
          (r) =>
            r.saying('Input/output error') || r.saying('read 4096') || waitingForFuse(r.process.pid!, true),
        ) && catting.every((c) => c.exitCode !== null || waitingForFuse(c.pid!))
          ? true
          : undefined,
      );

      // A local file is read whole, and a folder listed, while the share is silent.
      const local = await cat(near, pending);
      expect(local.code).toBe(0);
      expect(local.stdout.subarray(0, 4).toString('latin1')).toBe('fLaC');
      expect(local.stdout.length).toBe(nearSize);
      const listed = await spawned(['ls', join(t.mnt, 'Near')], pending, 30_000);
      expect(listed.stdout.toString().split('\n').filter(Boolean)).toEqual(['Here', 'There']);
      // Those refused are refused with EIO, and the stall said once in the log.
      await waitFor('the stall said in the log', () =>
        t.log().includes('its files fail at once') ? true : undefined,
      );
    } finally {
      serving!.resume();
    }
    // Each open and read ends: refused, or answered once the share answers again.
    for (const open of opens) {
      const { code, stderr } = await open;
      if (code !== 0) expect(stderr).toContain('Input/output error');
    }
    expect(t.log().split('its files fail at once').length).toBe(2);
    // The share answers again: so do its files, through the handles open and new opens alike.
    for (const reader of readers) {
      reader.tell('close');
      await reader.said('closed');
    }
    for (const file of files) {
      for (let tries = 0; (await cat(file, pending)).code !== 0; tries++) {
        if (tries > 100) throw new Error(`${file} is not served again`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, 120_000);
});
