import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { applyEdit, fieldDetails, planEdit, undoBatch } from '../../app/core/library/edits.ts';
import { getFile, listFiles } from '../../app/core/library/list.ts';
import { offLimits } from '../../app/core/scan/off-limits.ts';
import { type ScanOptions, type ScanProgress, scan as scanWith } from '../../app/core/scan/scanner.ts';
import { FIXTURE_MANIFEST as manifest } from '../fixtures/library.ts';
import { copyFixtures, hashTree, tempDir, tool } from '../helpers.ts';

const options = { workers: 2, includeHidden: false, ignore: [] };
/** A scan as the pipeline runs one: the places off limits computed for it. */
const scan = async (db: Db, o: ScanOptions) => scanWith(db, o, await offLimits(db));

function byPath(db: Db, root: string, rel: string) {
  const id = db.prepare('SELECT id FROM files WHERE path = ?').pluck().get(join(root, rel)) as
    | number
    | undefined;
  if (id === undefined) throw new Error(`${rel} is not in the library`);
  return getFile(db, id)!;
}

describe('scanning the fixture library', () => {
  let root: string;
  let db: Db;
  let before: Map<string, string>;
  let firstSummary: Awaited<ReturnType<typeof scan>>;

  beforeAll(async () => {
    root = copyFixtures();
    before = hashTree(root);
    db = openDatabase(join(tempDir(), 'library.db'));
    firstSummary = await scan(db, { ...options, folders: [root] });
  });

  it('adds every audio file, records every bad one, and skips hidden folders and symlink loops', () => {
    expect(firstSummary).toMatchObject({
      added: Object.keys(manifest.good).length,
      errors: Object.keys(manifest.bad).length,
      unchanged: 0,
      missing: 0,
      interrupted: false,
    });
    const paths = (db.prepare('SELECT path FROM files').pluck().all() as string[]).map((p) =>
      p.slice(root.length + 1),
    );
    expect(paths.sort()).toEqual([...Object.keys(manifest.good), ...Object.keys(manifest.bad)].sort());
  });

  it('recognizes formats by content', () => {
    for (const [rel, format] of Object.entries(manifest.good)) {
      const f = byPath(db, root, rel);
      expect([rel, f.status, f.format]).toEqual([rel, 'ok', format]);
    }
  });

  it('records a specific reason for each bad file', () => {
    for (const [rel, reason] of Object.entries(manifest.bad)) {
      const f = byPath(db, root, rel);
      expect(f.status).toBe('error');
      expect(`${rel}: ${f.error}`).toContain(reason);
    }
  });

  it('normalizes tags to Picard names, multi-valued and ordered', () => {
    expect(byPath(db, root, 'Alpha/Album One/01 First.flac').tags).toMatchObject({
      artist: ['Alpha', 'Guest Star'],
      tracknumber: ['1'],
      totaltracks: ['3'],
      musicbrainz_recordingid: ['8f3471b5-7e6a-48da-86a9-c1c07a0f47ae'],
      mood_custom: ['sunny'],
    });
    expect(byPath(db, root, 'Beta/Second Album/01 Song.mp3').tags).toMatchObject({
      title: ['Sóng – ünïcode'],
      artist: ['Beta', 'Béta Two'],
      genre: ['Jazz', 'Fusion'],
      discnumber: ['1'],
      totaldiscs: ['2'],
      musicbrainz_recordingid: ['c2b2c6d1-4fdb-4ce4-a1e6-0a1d1c1ab3c2'],
      'Custom Thing': ['kept verbatim'],
      comment: ['A comment'],
      lyrics: ['La la la'],
    });
    expect(byPath(db, root, 'Beta/Second Album/02 Ape.mp3').tags).toMatchObject({
      title: ['Ape Title'],
      tracknumber: ['2'],
    });
    expect(byPath(db, root, 'Gamma/aac.m4a').tags).toMatchObject({
      title: ['AAC Song'],
      tracknumber: ['4'],
      totaltracks: ['9'],
    });
  });

  it('stores each cover image once per content hash, with its dimensions', () => {
    const art = db.prepare('SELECT mime, width, height FROM art ORDER BY mime').all();
    expect(art).toEqual([
      { mime: 'image/jpeg', width: 40, height: 30 },
      { mime: 'image/png', width: 64, height: 48 },
    ]);
    expect(db.prepare('SELECT count(*) FROM file_art').pluck().get()).toBe(3);
  });

  it('finds FLAC audio bytes that decode to the same PCM when spliced behind a bare header', () => {
    for (const rel of [
      'Alpha/Album One/01 First.flac',
      'Alpha/Album One/02 Second.flac',
      'Gamma/id3 before flac.flac',
    ]) {
      const f = byPath(db, root, rel);
      const bytes = readFileSync(f.path);
      const streaminfo = bytes.subarray(bytes.indexOf('fLaC') + 4, bytes.indexOf('fLaC') + 42);
      const header = Buffer.concat([Buffer.from('fLaC'), streaminfo]);
      header[4] = 0x80; // STREAMINFO becomes the last metadata block
      const spliced = join(tempDir(), 'spliced.flac');
      writeFileSync(spliced, Buffer.concat([header, bytes.subarray(f.audioStart!, f.audioEnd!)]));
      tool('flac', ['-t', '-s', spliced]);
      expect(pcmMd5(spliced)).toBe(pcmMd5(f.path));
    }
  });

  it('finds MP3 audio bytes (tags and trailers excluded) that decode to the same PCM', () => {
    for (const rel of [
      'Alpha/Album One/03 Third.mp3',
      'Beta/Second Album/01 Song.mp3',
      'Beta/Second Album/02 Ape.mp3',
      'Gamma/noextension',
    ]) {
      const f = byPath(db, root, rel);
      const audio = readFileSync(f.path).subarray(f.audioStart!, f.audioEnd!);
      expect(audio.subarray(0, 3).toString('latin1')).not.toBe('ID3');
      expect(audio[0]).toBe(0xff);
      const bare = join(tempDir(), 'bare.mp3');
      writeFileSync(bare, audio);
      expect(pcmMd5(bare)).toBe(pcmMd5(f.path));
    }
  });

  it('never changes a file it scanned', () => {
    expect(hashTree(root)).toEqual(before);
  });
});

function pcmMd5(path: string): string {
  const pcm = tool('ffmpeg', ['-loglevel', 'error', '-i', path, '-map', '0:a', '-f', 's16le', '-']);
  return createHash('md5').update(pcm).digest('hex');
}

describe('rescans and the edit layer', () => {
  let root: string;
  let db: Db;
  let before: Map<string, string>;
  const first = 'Alpha/Album One/01 First.flac';

  beforeAll(async () => {
    root = copyFixtures();
    before = hashTree(root);
    db = openDatabase(join(tempDir(), 'library.db'));
    await scan(db, { ...options, folders: [root] });
  });

  const scanned = () => db.prepare('SELECT path, scanned_at FROM files ORDER BY path').all();

  it('skips every unchanged file on a second scan without rewriting it', async () => {
    const stamps = scanned();
    const s = await scan(db, { ...options, folders: [root] });
    const total = Object.keys(manifest.good).length + Object.keys(manifest.bad).length;
    expect(s).toMatchObject({ added: 0, updated: 0, unchanged: total, missing: 0, errors: 0 });
    expect(scanned()).toEqual(stamps);
  });

  it('reads again, once, an unchanged file an older version of the readers read, keeping its edits', async () => {
    const file = byPath(db, root, first);
    applyEdit(db, planEdit(db, [file.id], [{ key: 'mood', values: ['kept'] }]), {
      description: 'mood',
      origin: 'cli',
    });
    // As an older reader left it: fewer tags, and an older reader version.
    db.prepare("DELETE FROM file_tags WHERE file_id = ? AND key = 'album'").run(file.id);
    db.prepare('UPDATE files SET reader_version = 0 WHERE id = ?').run(file.id);
    const s = await scan(db, { ...options, folders: [root] });
    expect(s).toMatchObject({ added: 0, updated: 1, missing: 0, errors: 0 });
    const albumInFile = db.prepare("SELECT value FROM file_tags WHERE file_id = ? AND key = 'album'").pluck();
    expect(albumInFile.all(file.id)).toEqual(file.tags.album);
    expect(byPath(db, root, first).tags.mood).toEqual(['kept']);
    expect((await scan(db, { ...options, folders: [root] })).updated).toBe(0);
  });

  it('keeps user edits through a rescan of a changed file, and undo falls back to the file value', async () => {
    const file = byPath(db, root, first);
    const batch = applyEdit(db, planEdit(db, [file.id], [{ key: 'title', values: ['Edited'] }]), {
      description: 'test edit',
      origin: 'cli',
    });
    expect(byPath(db, root, first).tags.title).toEqual(['Edited']);

    // The file itself changes on disk (as another tagger would do): a rescan refreshes the file layer only.
    tool('metaflac', ['--remove-tag=TITLE', '--set-tag=TITLE=Changed On Disk', join(root, first)]);
    const s = await scan(db, { ...options, folders: [root] });
    expect(s.updated).toBe(1);
    const details = fieldDetails(db, file.id).find((d) => d.key === 'title')!;
    expect(details).toEqual({
      key: 'title',
      file: ['Changed On Disk'],
      edited: ['Edited'],
      effective: ['Edited'],
    });
    expect(listFiles(db, 'title:edited').map((f) => f.id)).toEqual([file.id]);

    undoBatch(db, batch);
    expect(byPath(db, root, first).tags.title).toEqual(['Changed On Disk']);
    expect(listFiles(db, 'title:edited')).toEqual([]);
  });

  it('undoing an older batch keeps a newer edit of the same field, and clearing a field hides it', () => {
    const id = byPath(db, root, 'Alpha/Album One/02 Second.flac').id;
    const older = applyEdit(db, planEdit(db, [id], [{ key: 'album', values: ['Older'] }]), {
      description: 'older',
      origin: 'cli',
    })!;
    applyEdit(db, planEdit(db, [id], [{ key: 'album', values: ['Newer'] }]), {
      description: 'newer',
      origin: 'cli',
    });
    undoBatch(db, older);
    expect(getFile(db, id)!.tags.album).toEqual(['Newer']);
    applyEdit(db, planEdit(db, [id], [{ key: 'genre', values: [] }]), {
      description: 'clear genre',
      origin: 'cli',
    });
    expect(getFile(db, id)!.tags.genre).toBeUndefined();
    expect(listFiles(db, '^genre: album:newer').map((f) => f.id)).toEqual([id]);
    expect(() => undoBatch(db, older)).toThrow(/already undone/);
    expect(() => undoBatch(db, 9999)).toThrow(/no edit batch 9999/);
  });

  it('marks vanished files missing with their edits kept, and brings them back unchanged', async () => {
    const rel = 'Beta/Second Album/01 Song.mp3';
    const id = byPath(db, root, rel).id;
    applyEdit(db, planEdit(db, [id], [{ key: 'mood', values: ['calm'] }]), {
      description: 'mood',
      origin: 'cli',
    });
    const away = join(tempDir(), 'away.mp3');
    renameSync(join(root, rel), away);
    const gone = await scan(db, { ...options, folders: [root] });
    expect(gone.missing).toBe(1);
    expect(getFile(db, id)).toMatchObject({ status: 'missing', tags: { mood: ['calm'] } });
    expect(listFiles(db, 'status:missing').map((f) => f.id)).toEqual([id]);

    renameSync(away, join(root, rel));
    const back = await scan(db, { ...options, folders: [root] });
    expect(back).toMatchObject({ missing: 0, added: 0, updated: 0 });
    expect(getFile(db, id)).toMatchObject({ status: 'ok', tags: { mood: ['calm'] } });
  });

  it('adds new files and records a file that turned corrupt, keeping what it knew', async () => {
    copyFileSync(join(root, 'Gamma/pcm.wav'), join(root, 'Gamma/new copy.wav'));
    const rel = 'Alpha/Album One/03 Third.mp3';
    const id = byPath(db, root, rel).id;
    writeFileSync(join(root, rel), 'not audio any more');
    const s = await scan(db, { ...options, folders: [root] });
    expect(s).toMatchObject({ added: 1, errors: 1 });
    expect(getFile(db, id)).toMatchObject({
      status: 'error',
      error: 'not an audio file (content is text)',
      tags: { title: ['Third'] },
    });
  });

  it('touched only the files the test itself changed', () => {
    const after = hashTree(root);
    const changedByTest = new Set([first, 'Alpha/Album One/03 Third.mp3', 'Gamma/new copy.wav']);
    for (const [rel, hash] of before)
      if (!changedByTest.has(rel)) expect([rel, after.get(rel)]).toEqual([rel, hash]);
  });
});

describe('what a scan says while it runs', () => {
  it('says each folder’s reading done: its files to read, and the files found so far across folders', async () => {
    const folders = [copyFixtures(), copyFixtures()];
    const db = openDatabase(join(tempDir(), 'library.db'));
    // The last event of each folder's reading is said however soon it comes after the one before.
    const readingsDone = async () => {
      const events: ScanProgress[] = [];
      const summary = await scan(db, { ...options, folders, onProgress: (p) => events.push(p) });
      const ends = events.filter((e) => e.phase === 'read' && e.done === e.total);
      expect(events.at(-1)).toBe(ends.at(-1));
      return { summary, ends: ends.map((e) => [e.total, e.found]) };
    };
    // A new library reads every file found.
    const first = await readingsDone();
    const found = first.ends[0]![1]!;
    expect(found).toBeGreaterThanOrEqual((first.summary.added + first.summary.errors) / 2);
    expect(first.ends).toEqual([
      [found, found],
      [found, 2 * found],
    ]);
    // Again: the unchanged files are found, not read (what is read again is what the library left out,
    // an extension-less file that is not audio).
    const again = await readingsDone();
    const reread = found - again.summary.unchanged / 2;
    expect(reread).toBeLessThan(found);
    expect(again.ends).toEqual(
      reread === 0
        ? []
        : [
            [reread, found],
            [reread, 2 * found],
          ],
    );
  });
});
