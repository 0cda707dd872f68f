// The mounted library, for real: a `sleeve mount` daemon over the fixture library, checked with the
// tools players and taggers use (ffprobe, ffmpeg, flac, metaflac, mid3v2, mutagen). The originals'
// hashes are compared before and after everything.
import { execFile, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMountReport } from '../../app/core/mounts/mount-registry.ts';
import { keyOffLimits, placesOffLimits } from '../../app/core/scan/off-limits.ts';
import { FileLanes } from '../../kit/file-lanes.ts';
import { mountTable } from '../../kit/mount-table.ts';
import {
  copyFixtures,
  hashTree,
  lcg,
  sleeve,
  sleeveHere,
  sleeveHereAsync,
  sleeveHereJson,
  tempDir,
  tool,
} from '../helpers.ts';
import {
  expectReadsMatchWhole,
  type FileInfo,
  ffprobeTags,
  PY,
  paddingOf,
  pcmMd5,
  sha256,
  waitFor,
} from '../mount-helpers.ts';

const run = promisify(execFile);
const FIRST = 'Alpha/Album One (1994)/01 First.flac';
const THIRD = 'Alpha/Album One (1994)/03 Third.mp3';
// One folder per album, with the album's year ($albumyear): Second Album's dated track gives it 2001, its
// undated one joins it; a track on no album has no album year.
const APE = 'Beta/Second Album (2001)/02 Ape Title.mp3';
const OGG = 'Gamma/Unknown Album/Vorbis Song.ogg';

function walkMount(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walkMount(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('sleeve mount: the library as a folder', () => {
  let music: string;
  let home: string;
  let mnt: string;
  let originals: Map<string, string>;
  const at = (rel: string) => join(mnt, rel);
  const info = (id: number) => sleeveHereJson<FileInfo>(home, ['info', String(id), '--json']);
  const field = (i: FileInfo, key: string) => i.fields.find((f) => f.key.toLowerCase() === key)?.effective;
  const idOf = (name: string) =>
    sleeveHereJson<Array<{ id: number; path: string }>>(home, ['ls', '--json']).find((i) =>
      i.path.endsWith(name),
    )!.id;

  beforeAll(() => {
    music = copyFixtures();
    originals = hashTree(music);
    const dir = tempDir();
    home = join(dir, 'home');
    mnt = join(dir, 'mnt');
    // Loudness measured: the mount serves each file its measured gain, which a tagger then writes back
    // unchanged (no edit, below).
    expect(sleeveHere(home, ['scan', '--no-embeddings', music]).status).toBe(0);
    // As if scanned by an older Sleeve: this FLAC's kept-block size is unknown, so the mount reads it.
    const db = new Database(join(home, 'library.db'));
    db.prepare("UPDATE files SET flac_kept_bytes = NULL WHERE path LIKE '%/02 Second.flac'").run();
    db.close();
    const r = sleeveHere(home, ['mount', mnt]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^mounted 14 files at /);
  });

  afterAll(() => {
    if (!mnt) return;
    const r = sleeveHere(home, ['umount', mnt]);
    if (r.status !== 0) spawnSync('fusermount', ['-uz', mnt]);
    expect(r.stdout).toMatch(/^unmounted /);
    expect(hashTree(music)).toEqual(originals);
  });

  it('lists the library under the templated paths and in `sleeve mounts`', () => {
    expect(readdirSync(mnt).sort()).toEqual(['Alpha', 'Beta', 'Gamma', 'Unknown Artist']);
    expect(readdirSync(at('Alpha/Album One (1994)'))).toEqual(
      expect.arrayContaining(['01 First.flac', '02 Second.flac', '03 Third.mp3']),
    );
    const mounts = sleeveHereJson<Array<{ mountpoint: string; pid: number }>>(home, ['mounts', '--json']);
    expect(mounts.map((m) => m.mountpoint)).toEqual([mnt]);
    // The daemon holds no folder of the user's: the disk the command was started from can be unmounted.
    expect(readlinkSync(`/proc/${mounts[0]!.pid}/cwd`)).toBe('/');
  });

  it('is never scanned: a scan of the folder around it skips it, and it is refused as a folder to scan', () => {
    const other = join(tempDir(), 'home');
    // The folder holding the mount (and the home): only the library's own files could be found there.
    const around = sleeveHere(other, [
      'scan',
      '--no-fingerprint',
      '--no-embeddings',
      '--no-loudness',
      join(mnt, '..'),
    ]);
    expect(around.status).toBe(0);
    expect(around.stdout).toMatch(/^0 added, /);
    const inside = sleeveHere(other, ['scan', '--no-embeddings', '--no-loudness', join(mnt, 'Alpha')]);
    expect(inside.status).toBe(1);
    // Named as the other library's mount, not this one's own.
    expect(inside.stderr).toContain(
      `it is inside the Sleeve mount at ${mnt}, which serves the library in ${home}`,
    );
    const own = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', join(mnt, 'Alpha')]);
    expect(own.stderr).toContain(`it is inside the Sleeve mount at ${mnt}, which serves this library`);
    // And no mount goes inside a folder the library was scanned from.
    const nested = sleeveHere(home, ['mount', join(music, 'mnt')]);
    expect(nested.status).toBe(1);
    expect(nested.stderr).toContain(`is inside the library folder ${music}: mount it elsewhere`);
  });

  it('is kept out of scans by its device number, without a look at it (no file lane of its own)', async () => {
    const lanes = new FileLanes();
    try {
      const limits = await placesOffLimits(join(tempDir(), 'library.db'), [], lanes);
      const dev = statSync(mnt).dev;
      expect(limits.devices).toContain(String(dev));
      expect(keyOffLimits(`${dev}:${statSync(join(mnt, 'Alpha')).ino}`, limits)).toBe(true);
      expect(lanes.mounts).not.toContain(mnt);
    } finally {
      await lanes.close();
    }
  });

  it('refuses bad mount requests with a clear reason', () => {
    const bad = sleeveHere(home, ['mount', join(tempDir(), 'x'), '--template', '$artist/%nope{$title}']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--template: unknown function %nope at position 9/);
    // A field no file has and Sleeve does not know is an error too (not an empty name), shown where it is.
    const typo = sleeveHere(home, ['mount', join(tempDir(), 'x'), '--template', '$albumartist/$albm/$title']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain(
      '--template: unknown field $albm at position 14 of the template: did you mean $album?',
    );
    expect(typo.stderr).toContain('  $albumartist/$albm/$title\n               ^^^^^\n');
    const full = tempDir();
    writeFileSync(join(full, 'file'), 'x');
    expect(sleeveHere(home, ['mount', full]).stderr).toMatch(/is not empty/);
    // A file is no mount point, a track's path in the library folder too.
    expect(sleeveHere(home, ['mount', join(full, 'file')]).stderr).toMatch(/file is not a directory$/m);
    const track = join(music, 'Gamma', 'pcm.aiff');
    expect(sleeveHere(home, ['mount', track]).stderr).toContain(`${track} is not a directory`);
    expect(sleeveHere(home, ['mount', mnt]).stderr).toMatch(/already a mount point/);
    expect(sleeveHere(home, ['umount', full]).stderr).toMatch(/is not mounted/);
  });

  it('mounts a library with no files as an empty folder', () => {
    // The tree's names are then an empty buffer, whose data the binding is given as NULL (a sanitized
    // build's check of memcpy's arguments stopped the daemon before it mounted).
    const empty = join(tempDir(), 'home');
    const at = join(tempDir(), 'mnt');
    expect(sleeveHere(empty, ['mount', at]).stderr).toBe(
      'the library is empty: run `sleeve scan FOLDER` to add music (it appears live)\n',
    );
    try {
      expect(readdirSync(at)).toEqual([]);
    } finally {
      expect(sleeveHere(empty, ['umount', at]).status).toBe(0);
    }
  });

  it("says fusermount3's own reason when it refuses, and leaves no mount", () => {
    // A stand-in fusermount3 first in PATH: it answers -V (the availability check), then says FAKE_SAYS
    // and exits with FAKE_EXIT, handing over no mount.
    const bin = tempDir();
    writeFileSync(
      join(bin, 'fusermount3'),
      '#!/bin/sh\n[ "$1" = -V ] && exit 0\n[ -n "$FAKE_SAYS" ] && echo "$FAKE_SAYS" >&2\nexit "$FAKE_EXIT"\n',
      { mode: 0o755 },
    );
    const mountWith = (says: string, exit: number) => {
      const at = join(tempDir(), 'mnt');
      const env = {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        FAKE_SAYS: says,
        FAKE_EXIT: `${exit}`,
      };
      const r = sleeve(home, ['mount', at], { env });
      expect(r.status).not.toBe(0);
      expect(mountTable().map((m) => m.path)).not.toContain(at);
      // The daemon's log says it too; refused on purpose, it is no log for the run's end to keep.
      const log = /\(log: (.+)\)$/m.exec(r.stderr)![1]!;
      expect(readFileSync(log, 'utf8')).toContain(`cannot mount ${at}: `);
      rmSync(log);
      return r.stderr;
    };
    expect(mountWith('fusermount3: refused for the test', 1)).toMatch(
      /^sleeve: cannot mount \S+: fusermount3: refused for the test \(log: /,
    );
    expect(mountWith('', 0)).toContain(': fusermount3 exited without handing over the mount (log: ');
  });

  it('serves exact sizes: every file reads back as many bytes as stat says', async () => {
    const files = walkMount(mnt);
    expect(files).toHaveLength(14);
    for (const f of files) expect((await readFile(f)).length, f).toBe(statSync(f).size);
    // A page as the preferred I/O size, as local disks say: Python's open() buffers by it, so mutagen's
    // first read is 4 KiB, not 128 KiB pulled through from the original.
    for (const f of files) expect(statSync(f).blksize, f).toBe(4096);
    // The modes say what the mount takes (the kernel answers access() from them): files saved through it
    // rw-r--r--, folders rwxr-xr-x.
    for (const f of files) expect(statSync(f).mode & 0o777, f).toBe(0o644);
    expect(statSync(join(mnt, 'Alpha')).mode & 0o777).toBe(0o755);
    expect(spawnSync('flac', ['-t', '-s', at('Alpha/Album One (1994)/02 Second.flac')]).status).toBe(0);
    // Random reads across the header/audio boundary give the same bytes as the whole file.
    const whole = readFileSync(at(FIRST));
    const boundary =
      whole.length - (info(idOf('01 First.flac')).audioEnd - info(idOf('01 First.flac')).audioStart);
    const next = lcg(11, 8);
    const fd = openSync(at(FIRST), 'r');
    for (let i = 0; i < 300; i++) {
      const pos = Math.max(0, boundary - 5000 + (next() % 10_000));
      const buf = Buffer.alloc(1 + (next() % 9000));
      const n = readSync(fd, buf, 0, buf.length, pos);
      expect(buf.subarray(0, n)).toEqual(whole.subarray(pos, pos + buf.length));
    }
    closeSync(fd);
  });

  it("serves each header's padding as zeros, however it is read (the mount holds none of it)", () => {
    const served = walkMount(mnt).filter((f) => /\.(flac|mp3)$/.test(f));
    expect(served.length).toBeGreaterThan(4);
    for (const f of served) {
      const padding = paddingOf(readFileSync(f));
      expect(padding, f).not.toBeNull();
      const { at: start, length } = padding!;
      expect(length, f).toBeGreaterThan(1000);
      expect(
        readFileSync(f)
          .subarray(start, start + length)
          .every((b) => b === 0),
        f,
      ).toBe(true);
      // Reads that start in the tags before it, or in it, and end past it.
      expectReadsMatchWhole(f, start, start + 1);
      expectReadsMatchWhole(f, length, start + length);
    }
  });

  it('FLAC: the DB tags in a new header, flac -t passes and the PCM is the original', () => {
    const tags = ffprobeTags(at(FIRST));
    expect(tags).toMatchObject({ title: 'First', album: 'Album One', date: '1994-05-01', genre: 'Rock' });
    expect(tags.artist).toBe('Alpha;Guest Star');
    expect(spawnSync('flac', ['-t', '-s', at(FIRST)]).status).toBe(0);
    expect(pcmMd5(at(FIRST))).toBe(pcmMd5(join(music, 'Alpha/Album One/01 First.flac')));
    // The header is rebuilt, and the audio after it is the original's, byte for byte.
    const served = readFileSync(at(FIRST));
    const i = info(idOf('01 First.flac'));
    const original = readFileSync(join(music, 'Alpha/Album One/01 First.flac'));
    expect(served.subarray(served.length - (i.audioEnd - i.audioStart))).toEqual(
      original.subarray(i.audioStart, i.audioEnd),
    );
  });

  it('MP3: an ID3v2.4 tag in place of ID3v2/APEv2/ID3v1, and the original MPEG frames', () => {
    const served = readFileSync(at(APE));
    expect(served.subarray(0, 4).toString('latin1')).toBe('ID3\u0004');
    expect(ffprobeTags(at(APE))).toMatchObject({ title: 'Ape Title', artist: 'Beta', track: '2/2' });
    expect(served.includes(Buffer.from('APETAGEX'))).toBe(false);
    expect(served.subarray(-128, -125).toString('latin1')).not.toBe('TAG');
    expect(pcmMd5(at(THIRD))).toBe(pcmMd5(join(music, 'Alpha/Album One/03 Third.mp3')));
  });

  it('Ogg Vorbis: a comment header made from the library in the original header pages, the audio as it is', () => {
    expect(sha256(readFileSync(at(OGG)))).not.toBe(originals.get('Gamma/vorbis.ogg'));
    const probe = JSON.parse(
      tool('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', at(OGG)]).toString(),
    ) as { streams: Array<{ tags: Record<string, string> }> };
    expect(probe.streams[0]!.tags).toMatchObject({ TITLE: 'Vorbis Song', ARTIST: 'Gamma' });
    expect(pcmMd5(at(OGG))).toBe(pcmMd5(join(music, 'Gamma/vorbis.ogg')));
    tool('oggz-validate', [at(OGG)]);
  });

  it('refuses to create, delete or rename entries (EROFS)', () => {
    expect(() => openSync(at('Alpha/new.flac'), 'w')).toThrow(/EROFS/);
    expect(spawnSync('rm', ['-f', at(FIRST)]).stderr.toString()).toMatch(/Read-only/);
    expect(existsSync(at(FIRST))).toBe(true);
    expect(spawnSync('mv', [at(FIRST), at('Alpha/moved.flac')]).stderr.toString()).toMatch(/Read-only/);
    expect(spawnSync('mkdir', [at('Alpha/new')]).stderr.toString()).toMatch(/Read-only/);
  });

  it('8 concurrent readers get exact bytes', async () => {
    const expected = sha256(readFileSync(at(FIRST)));
    const hashes = await Promise.all(
      Array.from({ length: 8 }, async () => (await run('sha256sum', [at(FIRST)])).stdout.split(' ')[0]),
    );
    expect(hashes).toEqual(Array(8).fill(expected));
  });

  it('shows a CLI edit without a remount: new size, new tags, same inode', async () => {
    const before = statSync(at(THIRD));
    const r = sleeveHere(home, [
      'set',
      '-y',
      'title:Third',
      'comment=a much longer comment than before, to grow the tag',
    ]);
    expect(r.status).toBe(0);
    const after = await waitFor('the new size', () => {
      const s = statSync(at(THIRD));
      return s.size !== before.size ? s : undefined;
    });
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBeGreaterThan(before.mtimeMs);
    expect(ffprobeTags(at(THIRD)).comment).toBe('a much longer comment than before, to grow the tag');
    expect((await readFile(at(THIRD))).length).toBe(after.size);
    // A retitle moves the file, a longer title into a longer tag: the new name has the new size, whatever
    // the kernel kept of the old name's.
    const second = await readFile(at('Alpha/Album One (1994)/02 Second.flac'));
    const { ino } = statSync(at('Alpha/Album One (1994)/02 Second.flac'));
    expect(sleeveHere(home, ['set', '-y', 'title:Second', 'title=Zweiter Titel']).status).toBe(0);
    const moved = at('Alpha/Album One (1994)/02 Zweiter Titel.flac');
    await waitFor('the new path', () => (existsSync(moved) ? true : undefined));
    // Listed since, the old name is gone for this process too, which read the file by it.
    expect(readdirSync(at('Alpha/Album One (1994)'))).not.toContain('02 Second.flac');
    expect(existsSync(at('Alpha/Album One (1994)/02 Second.flac'))).toBe(false);
    expect(statSync(moved)).toMatchObject({
      ino,
      size: second.length + 'Zweiter Titel'.length - 'Second'.length,
    });
    expect((await readFile(moved)).length).toBe(statSync(moved).size);
  });

  /** Reads a handle's whole version (up to `length` and a page past it): the kernel caps a handle's reads
   *  at its inode's size, so a version of another size must be another inode for the handle to read its
   *  own to the end. */
  const readWhole = (fd: number, length: number) => {
    const bytes = Buffer.alloc(length + 4096);
    let n = 0;
    for (let got = 1; got > 0; n += got) got = readSync(fd, bytes, n, bytes.length - n, n);
    return bytes.subarray(0, n);
  };

  it('keeps a handle open across an edit on its own version, whole, and serves the new version whole beside it', async () => {
    const path = at(FIRST);
    const oldBytes = await readFile(path);
    const ino = statSync(path).ino;
    const comment = 'a comment long enough to move the audio '.repeat(80);
    let newBytes: Buffer;
    const fd = openSync(path, 'r');
    try {
      // Its pages are in the kernel's cache, and stay used by this handle after the edit.
      readSync(fd, Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
      expect(sleeveHere(home, ['set', '-y', 'title:First', `comment=${comment}`]).status).toBe(0);
      const newSize = await waitFor('the new size', () => {
        const size = statSync(path).size;
        return size !== oldBytes.length ? size : undefined;
      });
      expect(newSize).toBeGreaterThan(oldBytes.length);
      expect(fstatSync(fd).size).toBe(oldBytes.length);
      expect(sha256(readWhole(fd, oldBytes.length))).toBe(sha256(oldBytes));
      // A new open beside it: the new version, not pages of the old one; the same inode number.
      expect(spawnSync('flac', ['-t', '-s', path]).status).toBe(0);
      newBytes = await readFile(path);
      expect(newBytes.length).toBe(newSize);
      expect(statSync(path).ino).toBe(ino);
      expect(ffprobeTags(path).comment).toBe(comment);
    } finally {
      closeSync(fd);
    }
    // Undone while a handle reads the longer version: that handle reads it to its end.
    const longFd = openSync(path, 'r');
    try {
      readSync(longFd, Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
      expect(sleeveHere(home, ['undo']).status).toBe(0);
      await waitFor('the old size', () => (statSync(path).size === oldBytes.length ? true : undefined));
      expect(sha256(readWhole(longFd, newBytes.length))).toBe(sha256(newBytes));
    } finally {
      closeSync(longFd);
    }
    // The file serves its first version again, byte for byte.
    expect(sha256(await readFile(path))).toBe(sha256(oldBytes));
    expect(spawnSync('flac', ['-t', '-s', path]).status).toBe(0);
  });

  it('opens racing edits of the size each read one whole version to its end, and none fails', async () => {
    const path = at(FIRST);
    const audioEnd = (await readFile(path)).subarray(-4096); // a FLAC file ends with its audio
    const comments = ['short', 'long '.repeat(700), 'shorter', 'longer '.repeat(1200)];
    let done = false;
    const edits = (async () => {
      for (const comment of comments)
        expect((await sleeveHereAsync(home, ['set', '-y', 'title:First', `comment=${comment}`])).status).toBe(
          0,
        );
    })().finally(() => {
      done = true;
    });
    const sizes = new Set<number>();
    for (let opens = 0; !done || opens < 20; opens++) {
      const fd = openSync(path, 'r');
      try {
        const size = fstatSync(fd).size;
        const bytes = readWhole(fd, size);
        expect(bytes.length).toBe(size);
        expect(bytes.subarray(-4096).equals(audioEnd)).toBe(true);
        sizes.add(size);
      } finally {
        closeSync(fd);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await edits;
    expect(sizes.size).toBeGreaterThan(1);
    for (const _ of comments) expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('takes metaflac and mid3v2 edits made through the mount into the library, with undo', () => {
    const first = idOf('01 First.flac');
    expect(spawnSync('metaflac', ['--set-tag=MOOD=calm', '--remove-tag=GENRE', at(FIRST)]).status).toBe(0);
    let i = info(first);
    expect(field(i, 'mood')).toEqual(['calm']);
    expect(field(i, 'genre')).toEqual([]);
    expect(field(i, 'title')).toEqual(['First']); // untouched fields are not edited
    expect(
      i.fields
        .filter((f) => f.edited !== null)
        .map((f) => f.key.toLowerCase())
        .sort(),
    ).toEqual(['genre', 'mood']);
    const history = sleeveHereJson<Array<{ id: number; description: string }>>(home, ['history', '--json']);
    expect(history[0]!.description).toBe('written through the mount: 01 First.flac');
    expect(ffprobeTags(at(FIRST)).mood).toBe('calm');
    expect(sleeveHere(home, ['info', String(first)]).stdout).toMatch(
      /mood +calm +\[file: \(none\) → edited: calm\]/,
    );

    const ape = idOf('02 Ape.mp3');
    expect(spawnSync('mid3v2', ['--artist', 'Beta Band', '--TXXX', 'Custom:yes', at(APE)]).status).toBe(0);
    i = info(ape);
    expect(field(i, 'artist')).toEqual(['Beta Band']);
    expect(field(i, 'custom')).toEqual(['yes']);
    expect(field(i, 'title')).toEqual(['Ape Title']);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(field(info(ape), 'artist')).toEqual(['Beta']);
  });

  it('takes a tag grown far past the padding (a 200 KB picture, long lyrics, an ID3v1 tail)', async () => {
    const third = idOf('03 Third.mp3');
    const picture = Buffer.alloc(200_000, 7);
    picture.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const script = `
import sys
from mutagen.id3 import ID3, APIC, USLT
from mutagen.mp3 import MP3
f = MP3(sys.argv[1])
f.tags.add(APIC(encoding=3, mime='image/png', type=3, desc='big', data=open(sys.argv[2], 'rb').read()))
f.tags.add(USLT(encoding=3, lang='eng', desc='', text='la ' * 20000))
f.save(v1=2)  # Picard's default: also an ID3v1 tag at the end
`;
    const pic = join(tempDir(), 'big.png');
    writeFileSync(pic, picture);
    const r = spawnSync(PY, ['-c', script, at(THIRD), pic], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const i = info(third);
    expect(field(i, 'lyrics')?.[0]).toHaveLength(60000);
    expect(i.art).toEqual([expect.objectContaining({ bytes: 200_000, type: 3, hash: sha256(picture) })]);
    const served = await readFile(at(THIRD));
    expect(served.length).toBeGreaterThan(260_000);
    expect(pcmMd5(at(THIRD))).toBe(pcmMd5(join(music, 'Alpha/Album One/03 Third.mp3')));
  });

  it('rejects a write that changes the audio (EIO) and changes nothing', () => {
    const first = idOf('01 First.flac');
    const before = info(first);
    const size = statSync(at(FIRST)).size;
    const fd = openSync(at(FIRST), 'r+');
    writeSync(fd, Buffer.from('not audio'), 0, 9, size - 100);
    expect(() => closeSync(fd)).toThrow(/EIO/);
    expect(info(first).fields).toEqual(before.fields);
    // Garbage in place of the header is refused too, and the daemon keeps serving.
    const fd2 = openSync(at(FIRST), 'r+');
    writeSync(fd2, Buffer.alloc(64, 0x41), 0, 64, 0);
    expect(() => closeSync(fd2)).toThrow(/EIO/);
    expect(spawnSync('flac', ['-t', '-s', at(FIRST)]).status).toBe(0);
  });

  it('truncates on open like a real file: emptied and closed is refused, a whole new copy is taken', () => {
    const served = readFileSync(at(FIRST));
    const script = `import os, sys
f = open(sys.argv[1], 'wb')  # O_TRUNC, nothing written
print(os.fstat(f.fileno()).st_size, flush=True)
f.close()`;
    const r = spawnSync(PY, ['-c', script, at(FIRST)], { encoding: 'utf8' });
    expect(r.stdout).toBe('0\n'); // empty while open, as a real file would be
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Input/output error'); // no audio left: nothing saved
    expect(readFileSync(at(FIRST)).equals(served)).toBe(true);
    writeFileSync(at(FIRST), served); // opened with O_TRUNC, then every byte written again: a no-op edit
    expect(readFileSync(at(FIRST)).equals(served)).toBe(true);
  });

  it('refuses tag values the CLI would refuse (bytes that are not text), and keeps a track number that is none as text', async () => {
    const batches = () => sleeveHereJson<unknown[]>(home, ['history', '--json']).length;
    const before = batches();
    const id = idOf('03 Third.mp3');
    const third = info(id).fields;
    const frame = (text: string) =>
      spawnSync(
        PY,
        [
          '-c',
          `import sys\nfrom mutagen.id3 import ID3, TRCK, TIT2\ntags = ID3(sys.argv[1])\ntags.add(${text})\ntags.save()`,
          at(THIRD),
        ],
        { encoding: 'utf8' },
      );
    const garbage = frame("TIT2(encoding=3, text='\\x01\\x02\\ufffd garbage')");
    expect(garbage.status).toBe(1);
    expect(garbage.stderr).toContain('Input/output error');
    expect(batches()).toBe(before);
    expect(info(id).fields).toEqual(third);
    // A vinyl side's "B2" is no number: saved as written, and the mount's log says so.
    expect(frame("TRCK(encoding=3, text='B2')")).toMatchObject({ status: 0, stderr: '' });
    expect(field(info(id), 'tracknumber')).toEqual(['B2']);
    const log = sleeveHereJson<Array<{ log: string }>>(home, ['mounts', '--json'])[0]!.log;
    expect(readFileSync(log, 'utf8')).toMatch(
      /saved .*03 Third\.mp3 as edit batch \d+; tracknumber "B2" is not a number: kept as text/,
    );
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    await waitFor('the track number undone', () => existsSync(at(THIRD)) || undefined);
    expect(info(id).fields).toEqual(third);
  });

  it('takes numbers as taggers write them: mid3v2 -T 02/03, mutagen’s tracknumber=03 (FLAC, Ogg)', async () => {
    const history = () =>
      sleeveHereJson<Array<{ description: string; fields: string[] }>>(home, ['history', '--json']);
    const saved = (name: string) => {
      const [batch] = history();
      expect(batch!.description).toBe(`written through the mount: ${name}`);
      return batch!.fields.sort();
    };
    const undo = async (path: string) => {
      expect(sleeveHere(home, ['undo']).status).toBe(0);
      await waitFor(`${path} back`, () => existsSync(at(path)) || undefined);
    };
    const batches = history().length;

    // ID3's TRCK is "n/total": "03/03" is the 3 of 3 the mount served, so no change at all.
    const third = idOf('03 Third.mp3');
    expect(spawnSync('mid3v2', ['-T', '03/03', at(THIRD)], { encoding: 'utf8' })).toMatchObject({
      status: 0,
      stderr: '',
    });
    expect(history()).toHaveLength(batches);
    expect(spawnSync('mid3v2', ['-T', '02/03', '-t', 'Third, Renumbered', at(THIRD)]).status).toBe(0);
    expect(saved('03 Third.mp3')).toEqual(['title', 'tracknumber']);
    let i = info(third);
    expect([field(i, 'title'), field(i, 'tracknumber'), field(i, 'totaltracks')]).toEqual([
      ['Third, Renumbered'],
      ['2'],
      ['3'],
    ]);
    expect(existsSync(at('Alpha/Album One (1994)/02 Third, Renumbered.mp3'))).toBe(true);
    await undo(THIRD);

    // mutagen's FLAC and Ogg Vorbis: the comment as the tagger was told, zero-padded.
    const script = `import sys, mutagen
f = mutagen.File(sys.argv[1])
f['tracknumber'] = '03'
f['title'] = sys.argv[2]
f.save()`;
    for (const [path, name, title] of [
      [FIRST, '01 First.flac', 'First, Now Third'],
      [OGG, 'Vorbis Song.ogg', 'Vorbis Song, Third'],
    ] as const) {
      const id = idOf(path.endsWith('.ogg') ? 'vorbis.ogg' : name);
      expect(spawnSync(PY, ['-c', script, at(path), title], { encoding: 'utf8' })).toMatchObject({
        status: 0,
        stderr: '',
      });
      expect(saved(name)).toEqual(['title', 'tracknumber']);
      i = info(id);
      expect([field(i, 'title'), field(i, 'tracknumber')], name).toEqual([[title], ['3']]);
      await undo(path);
    }
    expect(history()).toHaveLength(batches + 3);
  });

  it('takes the served ReplayGain written back as beets and mutagen write it (unsigned, six places) as no change', async () => {
    const read = `import sys, mutagen
f = mutagen.File(sys.argv[1])
print(f['replaygain_track_gain'][0], f['replaygain_track_peak'][0], sep='|')`;
    const gained = () => spawnSync(PY, ['-c', read, at(FIRST)], { encoding: 'utf8' }).stdout.trim();
    const served = gained();
    expect(served).toMatch(/^[+-]\d+\.\d\d dB\|\d\.\d{6}$/);
    const write = `import sys, mutagen
f = mutagen.File(sys.argv[1])
gain = float(f['replaygain_track_gain'][0].split()[0])
f['replaygain_track_gain'] = '%.6f dB' % gain if gain < 0 else '%.2f dB' % gain
f['replaygain_track_peak'] = '%f' % float(f['replaygain_track_peak'][0])
f['title'] = 'First, Gained'
f.save()`;
    expect(spawnSync(PY, ['-c', write, at(FIRST)], { encoding: 'utf8' })).toMatchObject({
      status: 0,
      stderr: '',
    });
    const [batch] = sleeveHereJson<Array<{ description: string; fields: string[] }>>(home, [
      'history',
      '--json',
    ]);
    expect([batch!.description, batch!.fields]).toEqual([
      'written through the mount: 01 First.flac',
      ['title'],
    ]);
    // Still the measured gain, served as measured (its renaming waited for first).
    const renamed = 'Alpha/Album One (1994)/01 First, Gained.flac';
    await waitFor('the retitled file', () => existsSync(at(renamed)) || undefined);
    expect(spawnSync(PY, ['-c', read, at(renamed)], { encoding: 'utf8' }).stdout.trim()).toBe(served);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    await waitFor(`${FIRST} back`, () => existsSync(at(FIRST)) || undefined);
    expect(gained()).toBe(served);
  });

  it('takes a save as beets writes one (each number and the year twice, zeros for fields it has none of) as the field it changed', async () => {
    const before = sleeveHereJson<unknown[]>(home, ['history', '--json']).length;
    const write = `import sys, mutagen
f = mutagen.File(sys.argv[1])
for src, dst in [('tracknumber', 'track'), ('tracktotal', 'trackc'), ('discnumber', 'disc'), ('disctotal', 'discc')]:
    if src in f: f[dst] = f[src]
f['year'] = f['date'][0][:4]
if 'discnumber' not in f:
    f['discnumber'] = f['disc'] = f['disctotal'] = '0'
f['releasetype'] = list(repr(f.get('releasetype', [])))  # beets 1.6's albumtypes: its text, a character a value
f['bpm'] = '0'
f['compilation'] = '0'
f['originaldate'] = '0000'
f['title'] = 'First, by beets'
f.save()`;
    expect(spawnSync(PY, ['-c', write, at(FIRST)], { encoding: 'utf8' })).toMatchObject({
      status: 0,
      stderr: '',
    });
    const history = sleeveHereJson<Array<{ description: string; fields: string[] }>>(home, [
      'history',
      '--json',
    ]);
    expect(history).toHaveLength(before + 1);
    expect([history[0]!.description, history[0]!.fields]).toEqual([
      'written through the mount: 01 First.flac',
      ['title'],
    ]);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    await waitFor(`${FIRST} back`, () => existsSync(at(FIRST)) || undefined);
  });

  it('keeps a writer of 384 MiB on disk, not in the memory of the daemon, and refuses it', () => {
    const [mount] = sleeveHereJson<Array<{ pid: number }>>(home, ['mounts', '--json']);
    const rss = () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${mount!.pid}/status`, 'utf8'))![1]) * 1024;
    const before = rss();
    const size = statSync(at(FIRST)).size;
    const chunk = Buffer.alloc(1 << 20, 0x55);
    const fd = openSync(at(FIRST), 'r+');
    let grown = 0;
    for (let i = 0; i < 384; i++) {
      writeSync(fd, chunk, 0, chunk.length, size + i * chunk.length);
      if (i % 64 === 63) grown = Math.max(grown, rss() - before);
    }
    expect(() => closeSync(fd)).toThrow(/EIO/);
    expect(grown).toBeLessThan(160 << 20); // 384 MiB held in memory would show; 16 MiB of pages may
    expect(statSync(at(FIRST)).size).toBe(size);
  });

  it('survives a writer killed halfway (its half-moved audio is refused, its new tag not saved)', async () => {
    const batches = () => sleeveHereJson<unknown[]>(home, ['history', '--json']).length;
    const before = batches();
    const script = `import sys, time
from mutagen.id3 import ID3, TIT2
tags = ID3(sys.argv[1])
tags.add(TIT2(encoding=3, text='Half Saved'))
tags.save()
f = open(sys.argv[2], 'r+b')  # the retitled file has moved
f.seek(-2000, 2)
f.write(b'half-moved')
f.flush()
print('ok', flush=True)
time.sleep(60)`;
    const saved = 'Beta/Second Album (2001)/02 Half Saved.mp3';
    const child = spawn(PY, ['-c', script, at(APE), at(saved)]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const exited = new Promise((r) => child.once('exit', r));
    await Promise.race([new Promise((r) => child.stdout.once('data', r)), exited]);
    expect(stderr).toBe('');
    child.kill('SIGKILL');
    await exited;
    // The tag edit was saved when mutagen closed the file; the audio damage after it is refused.
    expect(batches()).toBe(before + 1);
    expect(ffprobeTags(at(saved)).title).toBe('Half Saved');
    const log = sleeveHereJson<Array<{ log: string }>>(home, ['mounts', '--json'])[0]!.log;
    expect(readFileSync(log, 'utf8')).toMatch(
      /02 Half Saved\.mp3: write rejected, nothing changed: the audio differs/,
    );
    expect(pcmMd5(at(saved))).toBe(pcmMd5(join(music, 'Beta/Second Album/02 Ape.mp3')));
  });

  it('lets a tagger reopen a file it just closed, and reads back an ID3v2.3 save as the same values', () => {
    const script = `import os, sys
for i in range(100):
    fd = os.open(sys.argv[1], os.O_RDWR)
    os.close(fd)
from mutagen.id3 import ID3, TIT2
tags = ID3(sys.argv[1])
tags.add(TIT2(encoding=3, text='Second v2.3'))
tags.save(v2_version=3)  # Picard's ID3v2.3 option: multi-values joined with "/"
`;
    const first = idOf('01 Song.mp3');
    expect(sleeveHere(home, ['set', '-y', `id:${first}`, 'artist=One', 'artist=Two']).status).toBe(0);
    const mounted = walkMount(mnt).find((f) => f.includes('Sóng'))!;
    const r = spawnSync(PY, ['-c', script, mounted], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const i = info(first);
    expect(field(i, 'title')).toEqual(['Second v2.3']);
    expect(field(i, 'artist')).toEqual(['One', 'Two']);
  });

  it('fails reads with EIO when an original changed on disk, until it is rescanned', async () => {
    const original = join(music, 'Gamma/vorbis.ogg');
    const { atime, mtime } = statSync(original);
    utimesSync(original, atime, new Date(mtime.getTime() + 5000));
    await expect(readFile(at(OGG))).rejects.toThrow(/EIO/);
    // The daemon reports it in its status record (what `mount.status` shows), not only in its log.
    await waitFor(
      'the EIO in the daemon report',
      () =>
        readMountReport(home, mnt)?.problems.some((p) =>
          /EIO .*changed on disk since it was scanned/.test(p),
        ) || undefined,
    );
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    await waitFor('the rescanned file', () => {
      try {
        return readFileSync(at(OGG)).length > 0 ? true : undefined;
      } catch {
        return undefined;
      }
    });
  });

  it('answers ENOENT, not EIO, for a file whose original was deleted, until a scan takes it out', async () => {
    const original = join(music, 'Gamma/vorbis.ogg');
    const kept = readFileSync(original);
    rmSync(original);
    try {
      await expect(readFile(at(OGG))).rejects.toThrow(/ENOENT/);
      await waitFor(
        'the gone original in the daemon report',
        () =>
          readMountReport(home, mnt)?.problems.some((p) => /ENOENT .*its original is gone/.test(p)) ||
          undefined,
      );
      expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
      await waitFor('the file out of the mount', () => (existsSync(at(OGG)) ? undefined : true));
    } finally {
      writeFileSync(original, kept);
      expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    }
  });
});
