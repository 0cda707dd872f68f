// A tagger's scratch files, without a mount: only a name extending a served file's beside it can be
// created, at most eight at once; each is listed while it exists, its bytes kept until its last handle
// closes, and a write after it was renamed away is refused rather than passed for saved.
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../app/core/db/database.ts';
import { PLAYLISTS_INO } from '../../../app/core/mounted/playlist-files.ts';
import { type Aside, type Scratch, ScratchFiles } from '../../../app/core/mounted/scratch-files.ts';
import { oneServedFile } from '../../fixtures/one-served-file.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function scratchFiles() {
  const { view, report, folder, name, lines } = oneServedFile('/music/a.flac', open);
  return { files: new ScratchFiles(view, report), folder, served: name, lines };
}

describe('scratch files', () => {
  it("is made only under a name extending a served file's beside it, and listed while it exists", () => {
    const { files, folder, served, lines } = scratchFiles();
    expect(files.create(folder, 'other.flac', 1)).toBe('read-only');
    expect(lines).toEqual([
      expect.stringMatching(/^refused to create other\.flac: a new file is taken only as a tagger's rewrite/),
    ]);
    expect(files.create(folder, served, 1)).toBe('exists');
    expect(files.create(folder + 2, `${served}.tmp`, 1)).toBe('not-found');
    expect(files.create(PLAYLISTS_INO, `${served}.tmp`, 1)).toBe('read-only');
    const before = files.listing.shape;
    const made = files.create(folder, `${served}.metadata_edit`, 1) as Scratch;
    expect(made.name).toBe(`${served}.metadata_edit`);
    expect(files.listing.shape).not.toBe(before);
    expect(files.listing.files).toEqual([expect.objectContaining({ parent: folder, ino: made.ino })]);
    expect(files.create(folder, `${served}.metadata_edit`, 2)).toBe('exists');
    expect(files.unlink(folder, `${served}.metadata_edit`)).toBeUndefined();
    expect(files.listing.files).toEqual([]);
    expect(files.unlink(folder, `${served}.metadata_edit`)).toBe('not-found');
  });

  it('holds eight at once', () => {
    const { files, folder, served, lines } = scratchFiles();
    for (let i = 0; i < 8; i++) expect(typeof files.create(folder, `${served}.${i}`, i + 1)).toBe('object');
    expect(files.create(folder, `${served}.8`, 9)).toBe('full');
    expect(lines.at(-1)).toMatch(/8 scratch files are open already/);
    files.drop(files.at(folder, `${served}.0`)!);
    expect(typeof files.create(folder, `${served}.8`, 10)).toBe('object');
  });

  it('keeps its bytes for open handles once gone, and refuses writes to it then', () => {
    const { files, folder, served } = scratchFiles();
    const s = files.create(folder, `${served}.tmp`, 1) as Scratch;
    expect(files.write(s, Buffer.from('fLaC rewritten'), 0)).toBe(true);
    expect(s.unflushed).toBe(true);
    files.open(s, 2, false);
    files.flushed(s);
    expect(s.unflushed).toBe(false);
    files.closeHandle(1);
    files.drop(s);
    expect(files.byHandle(2)).toBe(s);
    expect(files.read(s, 5, 100).toString()).toBe('rewritten');
    expect(files.write(s, Buffer.from('lost'), 0)).toBe(false);
    files.closeHandle(2);
    expect(files.byHandle(2)).toBeUndefined();
    expect(s.handles).toBe(0);
  });

  it('is emptied when opened for writing with O_TRUNC', () => {
    const { files, folder, served } = scratchFiles();
    const s = files.create(folder, `${served}.tmp`, 1) as Scratch;
    files.write(s, Buffer.from('bytes'), 0);
    files.flushed(s);
    files.open(s, 2, true);
    expect(s.written.size).toBe(0);
    expect(s.unflushed).toBe(true);
  });

  it('moves a served file aside only to a free name extending its own, and takes a rewrite under its name', () => {
    const { files, folder, served } = scratchFiles();
    expect(files.moveAside(folder, served, 'elsewhere.flac')).toBe('read-only');
    expect(files.moveAside(folder, 'none.flac', 'none.flac_KID3')).toBe('not-found');
    expect(files.moveAside(PLAYLISTS_INO, served, `${served}_KID3`)).toBe('read-only');
    const tmp = files.create(folder, `${served}.tmp`, 1) as Scratch;
    expect(files.moveAside(folder, served, `${served}.tmp`)).toBe('exists');
    files.drop(tmp);
    const before = files.listing.shape;
    const aside = files.moveAside(folder, served, `${served}_KID3`);
    expect(aside).toEqual(expect.objectContaining({ parent: folder, name: served, aside: `${served}_KID3` }));
    expect(files.listing.shape).not.toBe(before);
    expect(files.listing.asides).toEqual([aside]);
    expect(files.asideAt(folder, `${served}_KID3`)).toBe(aside);
    // Once aside, its name is free for the rewrite (and only once); the aside name is taken.
    expect(files.moveAside(folder, served, `${served}_2`)).toBe('not-found');
    expect(files.create(folder, `${served}_KID3`, 2)).toBe('exists');
    const rewrite = files.create(folder, served, 3) as Scratch;
    expect(rewrite.name).toBe(served);
    expect(files.create(folder, served, 4)).toBe('exists');
    files.endAside(aside as Aside, 'kernel');
    expect(files.listing.asides).toEqual([]);
    expect(files.asideAt(folder, `${served}_KID3`)).toBeUndefined();
    // Ended by the kernel, the rewrite is the tagger's to remove and the kernel knows where the file is.
    expect(files.at(folder, served)).toBe(rewrite);
    expect(files.takeRestored()).toEqual([]);
  });

  it('drops the rewrite of an aside the daemon ends, and gives the file to tell of once', () => {
    const { files, folder, served } = scratchFiles();
    const aside = files.moveAside(folder, served, `${served}_KID3`) as Aside;
    files.create(folder, served, 1);
    files.endAside(aside, 'daemon');
    expect(files.at(folder, served)).toBeUndefined();
    expect(files.listing).toEqual(expect.objectContaining({ files: [], asides: [] }));
    expect(files.takeRestored()).toEqual([aside.fileId]);
    expect(files.takeRestored()).toEqual([]);
    files.endAside(aside, 'daemon'); // ended already: nothing more
    expect(files.takeRestored()).toEqual([]);
  });
});
