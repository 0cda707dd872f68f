// Tags in and out as text: `sleeve export` writes the listed tracks' tags as CSV, TSV or JSON with when they
// were read; `sleeve import` takes a spreadsheet's changes back as one previewed, undoable edit — only the
// cells that differ, never taking back an edit made since the export (a cell changed over one is kept as
// a conflict), refusing unknown fields, rows that name no track and invalid values with their rows, and
// never writing a file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { feedPosition } from '../../app/core/library/change-feed.ts';
import { openImport, planImport, saveImport } from '../../app/core/library/tags-import.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

interface Listed {
  id: number;
  tags: Record<string, string[]>;
}

describe('tags in and out as text', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  let home: string;
  let originals: Map<string, string>;

  const run = (...args: string[]) => sleeveHere(home, args);
  const ok = (...args: string[]) => {
    const r = run(...args);
    expect(r.status, r.stderr).toBe(0);
    return r;
  };
  const tags = () =>
    new Map(sleeveHereJson<Listed[]>(home, ['ls', '--json']).map((t) => [t.id, t.tags] as const));
  /** The export as rows of cells, header first. */
  const exported = (...args: string[]) => parse(ok('export', ...args).stdout) as string[][];
  const write = (rows: string[][], name = 'sheet.csv') => {
    const path = join(dir, name);
    writeFileSync(path, stringify(rows));
    return path;
  };
  const cell = (rows: string[][], id: number, column: string) => {
    const at = rows[0]!.indexOf(column);
    return { row: rows.find((r) => r[0] === String(id))!, at };
  };

  beforeAll(() => {
    mkdirSync(music, { recursive: true });
    for (const i of [1, 2, 3]) {
      const wav = join(dir, `t${i}.wav`);
      makeWav(wav, 300 + 100 * i);
      tool('ffmpeg', [
        ...['-v', 'error', '-y', '-i', wav, '-metadata', `title=Song ${i}`, '-metadata', 'artist=Band'],
        ...['-metadata', 'album=Disc', '-metadata', `track=${i}`, join(music, `t${i}.flac`)],
      ]);
    }
    originals = hashTree(music);
  });

  // A library of its own for each case.
  beforeEach(() => {
    home = join(tempDir(), 'home');
    ok('scan', music, '--no-fingerprint', '--no-embeddings', '--no-loudness');
  });

  it('exports the listed tracks keyed by id and path, with when they were read', () => {
    const rows = exported();
    expect(rows[0]).toEqual([
      ...['id', 'path', 'title', 'artist', 'album', 'albumartist', 'tracknumber', 'totaltracks'],
      ...['discnumber', 'totaldiscs', 'date', 'genre', 'composer', 'comment', '#read_at'],
    ]);
    expect(rows.slice(1).map((r) => r.slice(1, 4))).toEqual(
      [1, 2, 3].map((i) => [join(music, `t${i}.flac`), `Song ${i}`, 'Band']),
    );
    expect(Date.parse(rows[1]!.at(-1)!)).toBeLessThanOrEqual(Date.now());
    const tsv = ok('export', '--format', 'tsv', '-f', 'title', 'title:"Song 2"').stdout;
    expect(tsv.split('\n')[1]!.split('\t').slice(0, 3)).toEqual(['2', join(music, 't2.flac'), 'Song 2']);
    const json = JSON.parse(ok('export', '--format', 'json', '-f', 'title,artist', 'title:"Song 1"').stdout);
    expect(json.tracks).toEqual([
      { id: 1, path: join(music, 't1.flac'), tags: { title: ['Song 1'], artist: ['Band'] } },
    ]);
  });

  it('imports only the cells changed, as one undoable edit; the export taken back as it was is nothing', () => {
    const rows = exported();
    expect(ok('import', write(rows)).stdout).toMatch(/nothing to change: the 3 track\(s\)/);
    const genre = cell(rows, 1, 'genre');
    genre.row[genre.at] = 'Rock; Jazz'; // a multi-valued field: one value each
    const number = cell(rows, 2, 'tracknumber');
    number.row[number.at] = '07'; // as taggers write it
    const sheet = write(rows);
    const refused = run('import', sheet);
    expect(refused.status).not.toBe(0); // not confirmed
    expect(refused.stdout).toMatch(/genre: \(none\) → "Rock", "Jazz"|genre.*Rock.*Jazz/);
    const saved = ok('import', sheet, '-y').stdout;
    const batch = Number(/edit batch (\d+)/.exec(saved)![1]);
    const now = tags();
    expect(now.get(1)!.genre).toEqual(['Rock', 'Jazz']);
    expect(now.get(2)!.tracknumber).toEqual(['7']);
    expect(now.get(3)!.title).toEqual(['Song 3']);
    ok('undo', String(batch));
    expect(tags().get(1)!.genre).toBeUndefined();
    expect(hashTree(music)).toEqual(originals);
  });

  it('never takes back an edit made since the export; a cell changed over one is kept as a conflict', () => {
    const rows = exported();
    ok('set', 'id:2', 'title=Edited Since', '-y');
    ok('set', 'id:3', 'title=Also Since', '-y');
    const mine = cell(rows, 3, 'title');
    mine.row[mine.at] = 'From The Sheet'; // changed over the newer edit
    const other = cell(rows, 1, 'title');
    other.row[other.at] = 'Sheet Only'; // nothing changed it since: taken
    ok('import', write(rows), '-y');
    const now = tags();
    expect(now.get(1)!.title).toEqual(['Sheet Only']);
    expect(now.get(2)!.title).toEqual(['Edited Since']); // the sheet still said "Song 2": left
    expect(now.get(3)!.title).toEqual(['Also Since']);
    const conflicts = sleeveHereJson<{
      conflicts: Array<{ id: number; library: string[]; tagger: string[]; read: string[]; source: string }>;
    }>(home, ['conflicts', '--json']).conflicts;
    expect(conflicts.map((c) => [c.library, c.tagger, c.read, c.source])).toEqual([
      [['Also Since'], ['From The Sheet'], ['Song 3'], 'import'],
    ]);
    expect(ok('conflicts').stdout).toMatch(/the import: {2}“From The Sheet”/);
    ok('conflicts', 'take', String(conflicts[0]!.id));
    expect(tags().get(3)!.title).toEqual(['From The Sheet']);
  });

  it('saves an import of conflicts only as previewed, or nothing once a track changed since', async () => {
    const rows = exported();
    ok('set', 'id:3', 'title=Also Since', '-y');
    const mine = cell(rows, 3, 'title');
    mine.row[mine.at] = 'From The Sheet';
    const db = openDatabase(join(home, 'library.db'));
    try {
      const version = feedPosition(db);
      const planned = await planImport(db, await openImport(write(rows), 'csv'));
      expect([planned.plan.length, planned.conflicts.length]).toEqual([0, 1]);
      ok('set', 'id:3', 'comment=Later still', '-y');
      const save = () =>
        saveImport(db, { ids: planned.ids, version }, planned, { description: 'Import', origin: 'cli' });
      expect(save).toThrow(/changed since the preview/);
      expect(sleeveHereJson<{ conflicts: unknown[] }>(home, ['conflicts', '--json']).conflicts).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('without a read time, compares with the library now, and says so', () => {
    const rows = exported().map((r) => r.slice(0, -1));
    const title = cell(rows, 1, 'title');
    title.row[title.at] = 'No Time';
    const r = ok('import', write(rows), '-y');
    expect(r.stderr).toMatch(/does not say when it was exported/);
    expect(tags().get(1)!.title).toEqual(['No Time']);
  });

  it('takes JSON back as it exports it', () => {
    const doc = JSON.parse(ok('export', '--format', 'json', '-f', 'title,genre').stdout);
    doc.tracks[0].tags.genre = ['Ambient', 'Drone'];
    const path = join(dir, 'tags.json');
    writeFileSync(path, JSON.stringify(doc));
    ok('import', path, '-y');
    expect(tags().get(1)!.genre).toEqual(['Ambient', 'Drone']);
  });

  it('refuses unknown fields, rows that name no track and invalid values, with their rows, changing nothing', () => {
    const rows = exported();
    const unknown = write(
      [
        [...rows[0]!.slice(0, 2), 'titel'],
        [...rows[1]!.slice(0, 2), 'x'],
      ],
      'unknown.csv',
    );
    expect(run('import', unknown, '-y').stderr).toMatch(/unknown field "titel": did you mean title/);
    const lost = rows.map((r) => [...r]);
    lost[2]![0] = '999';
    const date = cell(lost, 3, 'date');
    date.row[date.at] = 'last year';
    const r = run('import', write(lost), '-y');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/row 3 names no track \(id 999\)/);
    const byPath = [
      ['path', 'date'],
      [join(music, 't1.flac'), 'soon'],
    ];
    expect(run('import', write(byPath, 'bad-date.csv'), '-y').stderr).toMatch(
      /row 2: date must be YYYY, YYYY-MM or YYYY-MM-DD, got "soon"/,
    );
    expect(run('import', join(dir, 'absent.csv')).stderr).toMatch(
      /cannot read .*absent\.csv: no such file or directory \(ENOENT\)$/m,
    );
    writeFileSync(join(dir, 'broken.csv'), 'id,title\n1,"unclosed\n');
    expect(run('import', join(dir, 'broken.csv')).stderr).toMatch(/not readable as CSV/);
    expect(readFileSync(join(dir, 'broken.csv'), 'utf8')).toContain('unclosed');
    expect(tags().get(1)!.title).toEqual(['Song 1']);
  });
});
