// npm run bench -- fuse [--tracks N] [--tree-files N]
// The mounted library against direct reads of the same originals, in the same run:
// 1. sequential read throughput (1 MiB reads, originals warm in the page cache), through the daemon and
//    again from the kernel's cache (best of 5 passes, as for the direct reads); 2. open → first byte,
//    originals warm for both; 3. `ls -R` and stat over an N-file tree against the same tree as real files;
//    4. daemon memory per open file; 5. how soon an edit shows in the mount; 6. with the tree, the daemon's
//    start time and its memory per file before any is opened.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { type Db, openDatabase } from '../app/core/db/database.ts';
import { applyEdit, planEdit } from '../app/core/library/edits.ts';
import { IngestWriter } from '../app/core/library/ingest.ts';
import { readTrack } from '../app/core/media/read-track.ts';
import { readMountReport } from '../app/core/mounts/mount-registry.ts';
import { makeWav } from '../tests/fixtures/library.ts';
import { bestOf, machine, percentile } from './measure.ts';
import { musicLibrary } from './music-library.ts';
import { mountPassthrough, passthroughLl } from './passthrough.ts';
import { benchTempDir } from './temp-dir.ts';

const CLI = join(process.cwd(), 'app', 'cli', 'sleeve.js');
const MiB = 1024 * 1024;
const tempDir = () => benchTempDir('sleeve-bench-fuse-');

function sleeve(home: string, args: string[]): string {
  return execFileSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8' });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The fastest of `passes` runs of readAll. */
function fastestRead(passes: number, files: readonly string[]): { mibPerSecond: number; bytes: number } {
  return bestOf(
    passes,
    () => readAll(files),
    (r) => -r.mibPerSecond,
  );
}

/** Reads files sequentially with 1 MiB reads; returns MiB/s. */
function readAll(files: readonly string[]): { mibPerSecond: number; bytes: number } {
  const buf = Buffer.allocUnsafe(MiB);
  let bytes = 0;
  const started = performance.now();
  for (const f of files) {
    const fd = openSync(f, 'r');
    for (let n = readSync(fd, buf, 0, MiB, null); n > 0; n = readSync(fd, buf, 0, MiB, null)) bytes += n;
    closeSync(fd);
  }
  return { mibPerSecond: bytes / MiB / ((performance.now() - started) / 1000), bytes };
}

/** ms from open to the first 4 KiB, per file. */
function firstByte(files: readonly string[]): number[] {
  const buf = Buffer.allocUnsafe(4096);
  return files
    .map((f) => {
      const started = performance.now();
      const fd = openSync(f, 'r');
      readSync(fd, buf, 0, 4096, 0);
      const ms = performance.now() - started;
      closeSync(fd);
      return ms;
    })
    .sort((a, b) => a - b);
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

function daemonPid(home: string): number {
  return (JSON.parse(sleeve(home, ['mounts', '--json'])) as Array<{ pid: number }>)[0]!.pid;
}

/** Times `ls -R` and a stat of every entry. */
function treeWalk(root: string): { lsMs: number; statMs: number; files: number; paths: string[] } {
  let started = performance.now();
  execFileSync('ls', ['-R', root], { stdio: 'ignore', maxBuffer: 1 << 30 });
  const lsMs = performance.now() - started;
  started = performance.now();
  const files = walk(root);
  for (const f of files) statSync(f);
  return { lsMs, statMs: performance.now() - started, files: files.length, paths: files };
}

async function throughputAndLatency(tracks: number): Promise<void> {
  const lib = musicLibrary(tracks);
  const dir = tempDir();
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  // The mount needs tags only: fingerprints and embeddings would only add setup time.
  sleeve(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', lib]);
  sleeve(home, ['mount', mnt]);
  try {
    const originals = walk(lib).filter((f) => /\.(flac|mp3|ogg)$/.test(f));
    const mounted = walk(mnt).filter((f) => /\.(flac|mp3|ogg)$/.test(f));
    readAll(originals); // warm the originals in the page cache: both sides read from memory
    const firstOpen = firstByte(mounted); // the daemon's first sight of each file: layout + header built
    const warmOpen = firstByte(mounted);
    const direct = fastestRead(5, originals);
    await newVersions(home, mounted, 'benchmark');
    const before = await readRequests(home, mnt);
    const daemon = readAll(mounted);
    const reads = (await readRequests(home, mnt)) - before;
    const cached = fastestRead(5, mounted);
    // The same first read with the mount's readahead raised from the kernel's 128 KiB to 512 KiB: fewer,
    // larger requests. Only root may (sysfs), so the daemon leaves it; docs/guide/mount.md says how.
    const readahead = `/sys/class/bdi/${mountDevice(mnt)}/read_ahead_kb`;
    let raised: { mibPerSecond: number } | undefined;
    const kernelDefault = readFileSync(readahead, 'utf8').trim();
    try {
      writeFileSync(readahead, '512');
      await newVersions(home, mounted, 'benchmark again');
      raised = readAll(mounted);
    } catch {
      // not root: the row is left out
    } finally {
      try {
        writeFileSync(readahead, kernelDefault);
      } catch {}
    }
    console.log(
      `\nthroughput, ${originals.length} FLAC/MP3/Ogg Vorbis files, ${(direct.bytes / MiB).toFixed(0)} MiB, 1 MiB reads:`,
    );
    console.log(`  direct read of the originals (warm)   ${direct.mibPerSecond.toFixed(0)} MiB/s`);
    console.log(
      `  through the mount, served by daemon   ${daemon.mibPerSecond.toFixed(0)} MiB/s  (${(daemon.mibPerSecond / direct.mibPerSecond).toFixed(2)}× direct)`,
    );
    console.log(
      `  … its READ requests: ${reads}, ${(daemon.bytes / reads / 1024).toFixed(0)} KiB and ${((daemon.bytes / MiB / daemon.mibPerSecond / reads) * 1e6).toFixed(0)} µs each`,
    );
    console.log(
      `  through the mount, kernel-cached      ${cached.mibPerSecond.toFixed(0)} MiB/s  (${(cached.mibPerSecond / direct.mibPerSecond).toFixed(2)}× direct)`,
    );
    if (raised)
      console.log(
        `  served by daemon, readahead 512 KiB   ${raised.mibPerSecond.toFixed(0)} MiB/s  (${(raised.mibPerSecond / direct.mibPerSecond).toFixed(2)}× direct)`,
      );
    const peer = peerFirstRead(lib, join(dir, 'passthrough'));
    if (peer)
      console.log(
        `  passthrough_ll, first read (its mount new) ${peer.first.mibPerSecond.toFixed(0)} MiB/s  (${(peer.first.mibPerSecond / direct.mibPerSecond).toFixed(2)}× direct); again ${peer.again.mibPerSecond.toFixed(0)} MiB/s  (${(peer.again.mibPerSecond / direct.mibPerSecond).toFixed(2)}×: it keeps no page across opens)`,
      );
    else console.log('  passthrough_ll: not measured (no libfuse3-dev examples, no $SLEEVE_PASSTHROUGH_LL)');
    const directOpen = firstByte(originals);
    console.log('\nopen → first 4 KiB, ms (p50 / p99 / max):');
    for (const [name, t] of [
      ['direct', directOpen],
      ['mount, first open (layout + header built)', firstOpen],
      ['mount, later opens', warmOpen],
    ] as const) {
      console.log(
        `  ${name.padEnd(44)} ${percentile(t, 50).toFixed(3)} / ${percentile(t, 99).toFixed(3)} / ${t.at(-1)!.toFixed(3)}`,
      );
    }
  } finally {
    sleeve(home, ['umount', mnt]);
  }
}

/** The kernel's READ requests the mount's daemon has answered so far (its report, written on SIGUSR2). */
async function readRequests(home: string, mnt: string): Promise<number> {
  const asked = Date.now();
  process.kill(daemonPid(home), 'SIGUSR2');
  for (;;) {
    const report = readMountReport(home, mnt);
    if (report && report.updatedAt >= asked) return report.requests?.read ?? 0;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** libfuse's passthrough_ll over the same originals (warm in the page cache): the same kernel's first
 *  read, its mount new so that none of its pages is cached; and again, best of 5 (as shipped it opens
 *  files without keep_cache, so the kernel drops their pages at each open). */
function peerFirstRead(originals: string, mnt: string) {
  const binary = passthroughLl();
  if (!binary) return null;
  mkdirSync(mnt, { recursive: true });
  const unmount = mountPassthrough(binary, originals, mnt);
  try {
    const files = walk(mnt).filter((f) => /\.(flac|mp3|ogg)$/.test(f));
    return { first: readAll(files), again: fastestRead(5, files) };
  } finally {
    unmount();
  }
}

/** Gives every file a new version (a wide edit: new headers) and waits until the mount lists the sizes
 *  the edit recorded (a file served as it is keeps its own): the kernel has dropped their cached pages. */
async function newVersions(home: string, mounted: readonly string[], comment: string): Promise<void> {
  sleeve(home, ['set', '--yes-all', '', `comment=${comment}`]); // every file, on purpose
  const db = new Database(join(home, 'library.db'), { readonly: true });
  const recorded = (db.prepare("SELECT served_size FROM files WHERE status = 'ok'").pluck().all() as number[])
    .sort((a, b) => a - b)
    .join();
  db.close();
  while (
    mounted
      .map((f) => statSync(f).size)
      .sort((a, b) => a - b)
      .join() !== recorded
  ) {
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The mount's device number as sysfs names its backing device ("0:39"). */
function mountDevice(mnt: string): string {
  const dev = statSync(mnt).dev;
  return `${Math.floor(dev / 256) & 0xfff}:${(dev & 0xff) | ((dev >> 12) & 0xfff00)}`;
}

/** An N-file library of real, readable files (hard links of one small FLAC) with varied tags. */
async function bigTree(files: number): Promise<void> {
  const dir = tempDir();
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  const real = join(dir, 'real');
  const src = join(dir, 'src.flac');
  mkdirSync(home);
  makeWav(join(dir, 'src.wav'), 440);
  execFileSync('flac', ['-s', '-f', '--tag=TITLE=x', join(dir, 'src.wav'), '-o', src]);
  const track = await readTrack(src, new Set());
  const db = openDatabase(join(home, 'library.db'));
  const writer = new IngestWriter(db);
  // ext4 allows 65,000 links to one inode: a copy of the source per 50,000 files.
  const LINKS_PER_SOURCE = 50_000;
  const sources: Array<{ path: string; st: Stats }> = [];
  const source = (i: number) => {
    const k = Math.floor(i / LINKS_PER_SOURCE);
    if (!sources[k]) {
      const path = k === 0 ? src : join(dir, `src-${k}.flac`);
      if (k > 0) copyFileSync(src, path);
      sources[k] = { path, st: statSync(path) };
    }
    return sources[k];
  };
  const now = Date.now();
  db.transaction(() => {
    const root = writer.ensureRoot(real, now);
    for (let i = 0; i < files; i++) {
      const artist = `Artist ${Math.floor(i / 100)}`;
      const album = `Album ${Math.floor(i / 10) % 10}`;
      const year = 1960 + (Math.floor(i / 10) % 60); // one per album: the mount has the real tree's shape
      const title = `Track ${i}`;
      const rel = join(artist, album, `${(i % 10) + 1} ${title}.flac`);
      mkdirSync(join(real, artist, album), { recursive: true });
      const { path: from, st } = source(i);
      linkSync(from, join(real, rel));
      const tags: Array<[string, string[]]> = [
        ['artist', [artist]],
        ['album', [album]],
        ['title', [title]],
        ['tracknumber', [String((i % 10) + 1)]],
        ['date', [String(year)]],
      ];
      writer.write(
        root,
        { path: join(real, rel), size: st.size, mtimeMs: st.mtimeMs, inode: st.ino },
        { track: { ...track, tags, pictures: [] } },
        now,
        true,
      );
    }
  })();
  // `sleeve mount` returns once the daemon serves the whole tree: its start at this size, and its memory
  // with the tree and every file's layout (size) resident, before any file is opened.
  const startedMount = performance.now();
  sleeve(home, ['mount', mnt]);
  const startMs = performance.now() - startedMount;
  const idleKb = rssKb(daemonPid(home));
  console.log(
    `\ndaemon start with ${files} files: ${(startMs / 1000).toFixed(2)} s to serving; RSS ${idleKb} kB, ${((idleKb * 1024) / files).toFixed(0)} B per file (goals: ≤ 2 s and ≤ 3 KB per track at 100k)`,
  );
  try {
    const baseline = treeWalk(real);
    const cold = treeWalk(mnt);
    const warm = treeWalk(mnt);
    console.log(`\ntree of ${files} files (ms): ls -R / stat of every entry`);
    console.log(
      `  real files on disk            ${baseline.lsMs.toFixed(0)} / ${baseline.statMs.toFixed(0)}`,
    );
    for (const [name, r] of [
      ['mount, first walk', cold],
      ['mount, second walk', warm],
    ] as const) {
      console.log(
        `  ${name.padEnd(29)} ${r.lsMs.toFixed(0)} / ${r.statMs.toFixed(0)}  (${(r.lsMs / baseline.lsMs).toFixed(1)}× / ${(r.statMs / baseline.statMs).toFixed(1)}× the real tree)`,
      );
    }
    if (cold.files !== files) throw new Error(`the mount shows ${cold.files} files, not ${files}`);

    // First opens over many files (each needs its header built), then the same files again.
    const sample = cold.paths.filter((_, i) => i % 10 === 0);
    const firstOpens = firstByte(sample);
    const laterOpens = firstByte(sample);
    console.log(`\nopen → first 4 KiB over ${sample.length} files of the tree, ms (p50 / p99 / max):`);
    for (const [name, t] of [
      ['first open (header built)', firstOpens],
      ['later opens', laterOpens],
    ] as const) {
      console.log(
        `  ${name.padEnd(29)} ${percentile(t, 50).toFixed(3)} / ${percentile(t, 99).toFixed(3)} / ${t.at(-1)!.toFixed(3)}`,
      );
    }

    // Memory: 100 distinct files held open, each having read its first 64 KiB.
    const pid = daemonPid(home);
    const before = rssKb(pid);
    const fds = cold.paths
      .filter((_, i) => i % 10 === 5) // files not opened before
      .slice(0, 100)
      .map((f) => {
        const fd = openSync(f, 'r');
        readSync(fd, Buffer.allocUnsafe(64 * 1024), 0, 64 * 1024, 0);
        return fd;
      });
    const after = rssKb(pid);
    for (const fd of fds) closeSync(fd);
    const headerKb = (statSync(cold.paths[0]!).size - (track.audioEnd! - track.audioStart!)) / 1024;
    const perFileKb = (after - before) / 100;
    console.log(
      `\ndaemon memory with 100 files open: RSS ${before} → ${after} kB, ${perFileKb.toFixed(1)} kB per open file; goal ≤ header (${headerKb.toFixed(1)} KiB) + 64 KiB: ${perFileKb <= headerKb + 64 ? 'met' : 'NOT met'}`,
    );

    // An edit (what `sleeve set` does) until the mount shows it: poll stat of the renamed file.
    const delays: number[] = [];
    const editMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const fileId = 1 + i * 37;
      const title = `Edited ${i}`;
      const started = editOne(db, fileId, 'title', title, editMs);
      const path = join(
        mnt,
        `Artist ${Math.floor((fileId - 1) / 100)}`,
        `Album ${Math.floor((fileId - 1) / 10) % 10} (${1960 + (Math.floor((fileId - 1) / 10) % 60)})`,
        `${String(((fileId - 1) % 10) + 1).padStart(2, '0')} ${title}.flac`,
      );
      for (;;) {
        try {
          statSync(path);
          break;
        } catch {
          if (performance.now() - started > 5000) throw new Error(`edit never showed at ${path}`);
          await new Promise((r) => setTimeout(r, 1));
        }
      }
      delays.push(performance.now() - started);
    }
    const inOrder = delays.map((d) => d.toFixed(0)).join(' ');
    delays.sort((a, b) => a - b);
    const laterEdits = editMs.slice(1).sort((a, b) => a - b);
    console.log(
      `\nretitle (the file moves) → visible at its new path, from the edit's commit (20 edits, ${files}-file library): p50 ${percentile(delays, 50).toFixed(0)} ms, max ${delays.at(-1)!.toFixed(0)} ms; goal ≤ 50 ms: ${delays.at(-1)! <= 50 ? 'met' : 'NOT met'}\n  each, in order (ms): ${inOrder}\n  the edit itself, in this process: the first ${editMs[0]!.toFixed(0)} ms (its code compiled), then p50 ${percentile(laterEdits, 50).toFixed(1)} ms`,
    );
    // A tag outside the path (a comment): the file's new size shows; the tree keeps its shape.
    const tagDelays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const n = Math.floor(files / 2) + i * 13; // files the retitles above did not touch
      const path = join(
        mnt,
        `Artist ${Math.floor(n / 100)}`,
        `Album ${Math.floor(n / 10) % 10} (${1960 + (Math.floor(n / 10) % 60)})`,
        `${String((n % 10) + 1).padStart(2, '0')} Track ${n}.flac`,
      );
      const before = statSync(path).size;
      const started = editOne(db, n + 1, 'comment', `comment ${i}`, editMs);
      while (statSync(path).size === before) {
        if (performance.now() - started > 5000) throw new Error(`edit never showed at ${path}`);
        await new Promise((r) => setTimeout(r, 1));
      }
      tagDelays.push(performance.now() - started);
    }
    tagDelays.sort((a, b) => a - b);
    console.log(
      `edit of a tag outside the path → new size visible, from the commit (20 edits): p50 ${percentile(tagDelays, 50).toFixed(0)} ms, max ${tagDelays.at(-1)!.toFixed(0)} ms; goal ≤ 100 ms: ${tagDelays.at(-1)! <= 100 ? 'met' : 'NOT met'}`,
    );
    const cli = performance.now();
    sleeve(home, ['set', '-y', 'title:="Track 5"', 'title=Via CLI']);
    const cliDone = performance.now();
    const cliPath = join(mnt, 'Artist 0', 'Album 0 (1960)', '06 Via CLI.flac');
    for (;;) {
      try {
        statSync(cliPath);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    console.log(
      `  with the real CLI: the process took ${(cliDone - cli).toFixed(0)} ms, visible ${(performance.now() - cliDone).toFixed(0)} ms after it exited`,
    );
    await withPlaylists(db, home, mnt, files);
  } finally {
    db.close();
    sleeve(home, ['umount', mnt]);
  }
}

/**
 * Retitles again with playlists in the mount: a smart playlist of a tenth of the library (every
 * "Album 3") and a list of 100 tracks. Each retitled track is in the smart playlist, so its .m3u8 is
 * written again with every edit: the time until the track's new path shows, and until the playlist
 * file names it.
 */
async function withPlaylists(db: Db, home: string, mnt: string, files: number) {
  sleeve(home, ['playlist', 'new', 'Album 3s', '--smart', 'album:"Album 3"']);
  sleeve(home, ['playlist', 'new', 'Artist 7', 'artist:="Artist 7"']);
  const smart = join(mnt, 'Playlists', 'Album 3s.m3u8');
  const listed = performance.now();
  while (!readdirSafe(join(mnt, 'Playlists')).includes('Album 3s.m3u8')) {
    if (performance.now() - listed > 30_000) throw new Error('the playlists never showed');
    await new Promise((r) => setTimeout(r, 5));
  }
  const entries = readFileSync(smart, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('../')).length;
  const pathDelays: number[] = [];
  const listDelays: number[] = [];
  for (let i = 0; i < 20; i++) {
    const n = 30 + ((i * 1009) % Math.floor(files / 100)) * 100 + (i % 10); // an "Album 3" track
    const title = `Listed ${i}`;
    const started = editOne(db, n + 1, 'title', title, []);
    const path = join(
      mnt,
      `Artist ${Math.floor(n / 100)}`,
      `Album ${Math.floor(n / 10) % 10} (${1960 + (Math.floor(n / 10) % 60)})`,
      `${String((n % 10) + 1).padStart(2, '0')} ${title}.flac`,
    );
    let pathAt = 0;
    for (;;) {
      if (!pathAt) {
        try {
          statSync(path);
          pathAt = performance.now();
        } catch {}
      }
      if (
        pathAt &&
        readFileSync(smart, 'utf8').includes(`/${String((n % 10) + 1).padStart(2, '0')} ${title}.flac`)
      )
        break;
      if (performance.now() - started > 10_000) throw new Error(`the retitle never showed in ${smart}`);
      await new Promise((r) => setTimeout(r, 1));
    }
    pathDelays.push(pathAt - started);
    listDelays.push(performance.now() - started);
  }
  const summary = (d: number[]) => {
    const sorted = [...d].sort((a, b) => a - b);
    return `p50 ${percentile(sorted, 50).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`;
  };
  console.log(
    `\nwith playlists in the mount (a smart playlist of ${entries} tracks, a list of 100), 20 retitles of tracks in the smart one, from each commit:\n  new path visible: ${summary(pathDelays)}\n  the playlist file names the new path: ${summary(listDelays)}`,
  );
}

/** Sets `key` of one file as `sleeve set` does, in this process: the mount's delays are counted from the
 *  commit, when the daemon can know of it. What the edit itself took goes into `editMs` (the first one
 *  compiles this process's edit code: 60–70 ms on the 2-core VM, a writer's cost, not the mount's). */
function editOne(db: Db, fileId: number, key: string, value: string, editMs: number[]): number {
  const started = performance.now();
  applyEdit(db, planEdit(db, [fileId], [{ key, values: [value] }]), { description: 'bench', origin: 'cli' });
  const committed = performance.now();
  editMs.push(committed - started);
  return committed;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      tracks: { type: 'string', default: '30' },
      'tree-files': { type: 'string', default: '10000' },
    },
  });
  console.log(`fuse benchmark on ${machine()}, ${new Date().toISOString().slice(0, 10)}`);
  await throughputAndLatency(Number(values.tracks));
  await bigTree(Number(values['tree-files']));
}
