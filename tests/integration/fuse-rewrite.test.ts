// Tag saves that rewrite the whole file, through the mount. libFLAC (metaflac) writes a new copy beside
// the file ("X.flac.metadata_edit") and renames it over the file when the tags outgrow the padding or
// padding is refused; mutagen moves the audio in place. Each is taken in as one undoable edit batch,
// with the audio checked against the original, and the originals never change.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMountReport } from '../../app/core/mounts/mount-registry.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { type FileInfo, PY, waitFor } from '../mount-helpers.ts';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const pcmMd5 = (path: string) =>
  tool('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a', '-f', 'md5', '-']).toString().trim();

describe('full rewrites through the mount', () => {
  let music: string;
  let home: string;
  let mnt: string;
  let originals: Map<string, string>;
  const ALBUM = 'Rewriter/Whole Album';
  const at = (rel: string) => join(mnt, ALBUM, rel);
  const idOf = (name: string) =>
    sleeveHereJson<Array<{ id: number; path: string }>>(home, ['ls', '--json']).find((i) =>
      i.path.endsWith(`/${name}`),
    )!.id;
  const info = (id: number) => sleeveHereJson<FileInfo>(home, ['info', String(id), '--json']);
  const field = (i: FileInfo, key: string) => i.fields.find((f) => f.key.toLowerCase() === key)?.effective;
  const batches = () =>
    sleeveHereJson<Array<{ id: number; description: string }>>(home, ['history', '--json']);
  beforeAll(() => {
    music = join(tempDir(), 'music');
    mkdirSync(music);
    const wav = join(tempDir(), 'tone.wav');
    makeWav(wav, 523, 4);
    for (const title of ['One', 'Two', 'Three']) {
      const path = join(music, `${title.toLowerCase()}.flac`);
      tool('flac', ['--silent', '-f', '-o', path, wav]);
      execFileSync('metaflac', [
        `--set-tag=TITLE=${title}`,
        '--set-tag=ARTIST=Rewriter',
        '--set-tag=ALBUM=Whole Album',
        path,
      ]);
    }
    originals = hashTree(music);
    const dir = tempDir();
    home = join(dir, 'home');
    mnt = join(dir, 'mnt');
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    const r = sleeveHere(home, ['mount', mnt]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^mounted 3 files at /);
  });

  afterAll(() => {
    if (!mnt) return;
    const r = sleeveHere(home, ['umount', mnt]);
    if (r.status !== 0) spawnSync('fusermount', ['-uz', mnt]);
    expect(r.stdout).toMatch(/^unmounted /);
    expect(hashTree(music)).toEqual(originals);
  });

  it('metaflac: a comment too big for the padding is one edit; the audio is the original, undo works', async () => {
    const id = idOf('one.flac');
    const big = join(tempDir(), 'comment.txt');
    writeFileSync(big, 'c'.repeat(100_000));
    const served = statSync(at('One.flac')).size;
    const before = batches().length;
    const r = spawnSync('metaflac', [`--set-tag-from-file=COMMENT=${big}`, at('One.flac')]);
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(batches()).toHaveLength(before + 1);
    expect(batches()[0]!.description).toBe('written through the mount: One.flac');
    expect(field(info(id), 'comment')).toEqual(['c'.repeat(100_000)]);
    expect(field(info(id), 'title')).toEqual(['One']);
    // The new file is served in place of the old: its tags, the original's audio.
    expect(statSync(at('One.flac')).size).toBeGreaterThan(served + 100_000);
    expect(tool('metaflac', ['--show-tag=COMMENT', at('One.flac')]).length).toBe(100_009);
    expect(spawnSync('flac', ['-t', '-s', at('One.flac')]).status).toBe(0);
    expect(pcmMd5(at('One.flac'))).toBe(pcmMd5(join(music, 'one.flac')));
    // No scratch file left beside it.
    expect(readdirSync(join(mnt, ALBUM)).sort()).toEqual(['One.flac', 'Three.flac', 'Two.flac']);

    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(field(info(id), 'comment') ?? []).toEqual([]);
    // The mount follows the library: it serves the undone version once it has published it.
    await waitFor('the undone version served', () => statSync(at('One.flac')).size === served || undefined);
  });

  it('metaflac --preserve-modtime: the mode, times and owner it sets back after its rename are taken', async () => {
    const big = join(tempDir(), 'comment.txt');
    writeFileSync(big, 'p'.repeat(50_000));
    const before = batches().length;
    const served = statSync(at('Two.flac')).size;
    const r = spawnSync('metaflac', [
      '--preserve-modtime',
      `--set-tag-from-file=COMMENT=${big}`,
      at('Two.flac'),
    ]);
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(batches()).toHaveLength(before + 1);
    // A chmod that changes nothing is fine; one that would is not.
    expect(spawnSync('chmod', ['644', at('Two.flac')]).status).toBe(0);
    expect(spawnSync('chmod', ['600', at('Two.flac')]).stderr.toString()).toMatch(/Read-only/);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(field(info(idOf('two.flac')), 'comment') ?? []).toEqual([]);
    await waitFor('the undone version served', () => statSync(at('Two.flac')).size === served || undefined);
  });

  it('metaflac --remove-all --dont-use-padding: every tag removed in one edit, undone in one', async () => {
    const id = idOf('two.flac');
    const before = batches().length;
    const r = spawnSync('metaflac', ['--remove-all', '--dont-use-padding', at('Two.flac')]);
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(batches()).toHaveLength(before + 1);
    const cleared = info(id);
    expect(cleared.fields.filter((f) => f.effective.length > 0)).toEqual([]);
    // With no tags, the file is served under the template's fallbacks (its own name as the title): once
    // the tree is published, a moment after the rename returns (the move is told to watchers in the
    // folder the rename holds, so after it).
    const moved = join(mnt, 'Unknown Artist/Unknown Album/two.flac');
    const tags = () => tool('metaflac', ['--export-tags-to=-', moved]).toString();
    await waitFor('the file served at its new path, with no tags', () =>
      existsSync(moved) && tags() === '' ? true : undefined,
    );
    expect(pcmMd5(moved)).toBe(pcmMd5(join(music, 'two.flac')));

    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(field(info(id), 'title')).toEqual(['Two']);
    await waitFor('the file served at its old path again', () => existsSync(at('Two.flac')) || undefined);
    expect(statSync(at('Two.flac')).isFile()).toBe(true);
  });

  it('mutagen: a tag larger than the padding, saved in place (the audio moved), is one edit', () => {
    const id = idOf('three.flac');
    const before = batches().length;
    const script = `import sys
from mutagen.flac import FLAC
f = FLAC(sys.argv[1])
f['lyrics'] = 'la ' * 60000
f.save()`;
    const r = spawnSync(PY, ['-c', script, at('Three.flac')]);
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(batches()).toHaveLength(before + 1);
    expect(field(info(id), 'lyrics')?.[0]).toHaveLength(180_000);
    expect(pcmMd5(at('Three.flac'))).toBe(pcmMd5(join(music, 'three.flac')));
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(field(info(id), 'lyrics') ?? []).toEqual([]);
  });

  it('a rewrite whose audio differs is refused: the rename fails with EIO and nothing changes', async () => {
    const before = batches().length;
    const served = readFileSync(at('One.flac'));
    const script = `import os, sys
data = bytearray(open(sys.argv[1], 'rb').read())
data[-100] ^= 0xff
tmp = sys.argv[1] + '.tmp'
with open(tmp, 'wb') as f:
    f.write(data)
try:
    os.rename(tmp, sys.argv[1])
except OSError as e:
    print(e.errno, os.path.exists(tmp))
    os.unlink(tmp)
    print(os.path.exists(tmp))`;
    const r = spawnSync(PY, ['-c', script, at('One.flac')]);
    expect(r.stderr.toString()).toBe('');
    expect(r.stdout.toString()).toBe('5 True\nFalse\n'); // EIO; the scratch file stays until removed
    expect(batches()).toHaveLength(before);
    expect(sha256(readFileSync(at('One.flac')))).toBe(sha256(served));
    expect(readdirSync(join(mnt, ALBUM)).sort()).toEqual(['One.flac', 'Three.flac', 'Two.flac']);
    await waitFor('the rejection in the daemon report', () =>
      readMountReport(home, mnt)?.problems.find((p) =>
        / EIO renaming One\.flac\.tmp over .*One\.flac: write rejected, nothing changed: the audio differs/.test(
          p,
        ),
      ),
    );
  });

  it('creates only a rewrite of a served file, and moves it only over that kind of file', () => {
    expect(() => openSync(join(mnt, ALBUM, 'notes.txt'), 'w')).toThrow(/EROFS/);
    expect(() => openSync(join(mnt, 'Rewriter', 'One.flac.tmp'), 'w')).toThrow(/EROFS/);
    const scratch = at('One.flac.part');
    writeFileSync(scratch, readFileSync(at('One.flac')));
    expect(statSync(scratch).size).toBe(statSync(at('One.flac')).size);
    // Not over a new name, nor over a folder.
    let r = spawnSync('mv', [scratch, at('Elsewhere.flac')]);
    expect(r.stderr.toString()).toMatch(/Read-only/);
    r = spawnSync('mv', ['-T', scratch, dirname(at('x'))]);
    expect(r.status).not.toBe(0);
    expect(spawnSync('rm', [scratch]).status).toBe(0);
    expect(readdirSync(join(mnt, ALBUM)).sort()).toEqual(['One.flac', 'Three.flac', 'Two.flac']);
    // A file moved in from outside the mount: rename(2) cannot cross it, and mv's fallback cannot remove
    // the served file first; it says so, and the file it was moving stays where it was.
    const before = batches().length;
    const outside = join(tempDir(), 'outside.flac');
    writeFileSync(outside, readFileSync(at('One.flac')));
    r = spawnSync('mv', [outside, at('One.flac')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.toString()).toMatch(/Read-only file system/);
    expect(statSync(outside).isFile()).toBe(true);
    expect(batches()).toHaveLength(before);
  });
});
