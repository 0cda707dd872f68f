// "More like this" end to end: a synthesized library in four clearly different styles, with an MP3
// transcode and a −6 dB copy of one piece per style, scanned by the real CLI; LanceDB kept in step with
// the library through adds, changes, removals, tag edits, an extractor upgrade and a damaged table.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { decodeMono } from '../../app/core/fingerprint/mono-decode.ts';
import { embeddingExtractor } from '../../app/core/similar/current-extractor.ts';
import { blobVector } from '../../app/core/similar/embedding-store.ts';
import { projectionVersion } from '../../app/core/similar/library-map.ts';
import { similarTracks } from '../../app/core/similar/similar.ts';
import { openSynced } from '../../app/core/similar/similarity-sync.ts';
import { writeWav } from '../fixtures/music.ts';
import { STYLES, styleOf, synthesizeStyle, writeStyleLibrary } from '../fixtures/styles.ts';
import { copyFixtures, hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

const PER_STYLE = 5;

interface Neighbour {
  id: number;
  distance: number;
  sameRecording: boolean;
  path: string;
}
interface Listed {
  id: number;
  path: string;
}

let music: string;
let home: string;
let originals: Map<string, string>;
let ids: Map<string, number>;

const similar = (args: string[]) => sleeveHereJson<Neighbour[]>(home, ['similar', ...args, '--json']);
const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);

function listIds(): Map<string, number> {
  return new Map(
    sleeveHereJson<Listed[]>(home, ['ls', '--json', '--all-copies']).map((f) => [name(f.path), f.id]),
  );
}

beforeAll(() => {
  const root = tempDir();
  music = join(root, 'music');
  home = join(root, 'home');
  writeStyleLibrary(music, PER_STYLE, 15);
  for (const style of STYLES) {
    const flac = join(music, `${style.name}-0.flac`);
    tool('ffmpeg', [
      '-v',
      'error',
      '-i',
      flac,
      '-c:a',
      'libmp3lame',
      '-b:a',
      '192k',
      join(music, `${style.name}-0-transcode.mp3`),
    ]);
    tool('sox', [flac, join(music, `${style.name}-0-quiet.flac`), 'vol', '-6dB']);
  }
  // Bad input: too short to describe, and a file with no audio to decode.
  writeWav(join(music, 'blip.wav'), synthesizeStyle(STYLES[1]!, 9, 3), 44100, 1);
  writeWav(join(music, 'empty.wav'), new Int16Array(0), 44100, 1);
  originals = hashTree(music);
  const scan = sleeveHere(home, ['scan', '--json', music]);
  expect(scan.status, scan.stderr).toBe(0);
  // The scan's summary counts the file too short to describe apart from those that failed.
  expect(JSON.parse(scan.stdout).analysis).toMatchObject({ notDescribable: 1, errors: 1 });
  ids = listIds();
}, 240_000);

describe('the extractor', () => {
  test('is deterministic, and gives unit vectors of its documented dimension', async () => {
    const path = join(music, 'techno-2.flac');
    const source = {
      path,
      format: 'flac',
      audioStart: null,
      audioEnd: null,
      sampleRate: null,
      channels: null,
    };
    const run = async () => {
      const session = embeddingExtractor.start();
      await decodeMono(source, embeddingExtractor.maxSeconds, [session]);
      const out = session.finish();
      session.close();
      if (out.status !== 'ok') throw new Error(out.reason);
      return out.vector;
    };
    const [a, b] = [await run(), await run()];
    expect(a.length).toBe(128);
    expect(embeddingExtractor.dimension).toBe(128);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    // The scan's worker, decoding once for fingerprint and embedding, stored the same vector.
    const db = openDatabase(join(home, 'library.db'));
    const row = db
      .prepare('SELECT vector FROM embeddings WHERE file_id = ?')
      .get(ids.get('techno-2.flac')) as {
      vector: Buffer;
    };
    db.close();
    expect(Array.from(blobVector(row.vector))).toEqual(Array.from(a));
  });

  test('too short and undecodable files are recorded with their reason and skipped', () => {
    const db = openDatabase(join(home, 'library.db'));
    const reasons = db
      .prepare(
        'SELECT f.path, e.status, e.reason FROM embeddings e JOIN files f ON f.id = e.file_id WHERE e.status != ?',
      )
      .all('ok') as Array<{ path: string; status: string; reason: string }>;
    db.close();
    const byName = new Map(reasons.map((r) => [name(r.path), r]));
    expect(byName.get('blip.wav')).toMatchObject({ status: 'too_short' });
    expect(byName.get('blip.wav')!.reason).toMatch(/3\.0 s of audio; at least 8 s/);
    expect(byName.get('empty.wav')).toMatchObject({ status: 'error', reason: 'no audio samples' });
    expect(reasons).toHaveLength(2);
    const r = sleeveHere(home, ['similar', String(ids.get('blip.wav'))]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/has no embedding: .*at least 8 s/);
  });
});

describe('sleeve similar', () => {
  test("a track's nearest neighbours share its style far above chance", async () => {
    // The descriptor's quality over all 20 pieces, asked in this process (the CLI's own behaviour is
    // what the tests below ask of it): one table opened, not 20 processes starting LanceDB.
    const db = openDatabase(join(home, 'library.db'));
    const { table } = await openSynced(join(home, 'similarity'), db, embeddingExtractor, {
      onWait: () => {},
    });
    const names = new Map([...ids].map(([n, id]) => [id, n]));
    let hits = 0;
    let total = 0;
    try {
      for (const style of STYLES)
        for (let piece = 0; piece < PER_STYLE; piece++) {
          const seed = ids.get(`${style.name}-${piece}.flac`)!;
          const found = await similarTracks(db, table, embeddingExtractor, [seed], {
            limit: 4,
            includeDuplicates: false,
          });
          expect(found).toHaveLength(4);
          hits += found.filter((n) => styleOf(names.get(n.fileId)!) === style.name).length;
          total += found.length;
        }
    } finally {
      table.close();
      db.close();
    }
    // Chance is about 4 in 23; the descriptor is expected to get nearly all of them.
    expect(hits / total).toBeGreaterThanOrEqual(0.85);
  });

  test('its transcode and its quieter copy are its nearest neighbours, but left out by default', () => {
    for (const style of STYLES) {
      const seed = String(ids.get(`${style.name}-0.flac`));
      const all = similar([seed, '-n', '3', '--include-duplicates']);
      expect(new Set(all.slice(0, 2).map((n) => name(n.path)))).toEqual(
        new Set([`${style.name}-0-transcode.mp3`, `${style.name}-0-quiet.flac`]),
      );
      expect(all.slice(0, 2).every((n) => n.sameRecording)).toBe(true);
      const plain = similar([seed, '-n', '10']);
      expect(plain.some((n) => name(n.path).startsWith(`${style.name}-0-`))).toBe(false);
      expect(plain.every((n) => !n.sameRecording)).toBe(true);
    }
  });

  test('lists one copy per recording, the one it keeps, unless asked for every copy', () => {
    const groups = sleeveHereJson<Array<{ members: Array<{ id: number; best: boolean }> }>>(home, [
      'dup',
      '--json',
    ]);
    const groupOf = new Map(groups.flatMap((g, i) => g.members.map((m) => [m.id, i] as const)));
    const kept = new Set(groups.flatMap((g) => g.members.filter((m) => m.best).map((m) => m.id)));
    for (const style of STYLES) {
      // Piece 1's neighbours include piece 0, which exists three times.
      const seed = String(ids.get(`${style.name}-1.flac`));
      const every = similar([seed, '-n', '12', '--include-duplicates']);
      const copies = every.filter((n) => groupOf.has(n.id));
      expect(copies.length).toBeGreaterThan(new Set(copies.map((n) => groupOf.get(n.id))).size);
      const plain = similar([seed, '-n', '12']);
      expect(plain).toHaveLength(12);
      const recordings = plain.filter((n) => groupOf.has(n.id));
      expect(recordings.length).toBeGreaterThan(0);
      expect(new Set(recordings.map((n) => groupOf.get(n.id))).size).toBe(recordings.length);
      expect(recordings.every((n) => kept.has(n.id))).toBe(true);
    }
  });

  test('--query uses the centroid of the matching tracks and leaves them out', () => {
    const found = similar(['--query', 'path:/breakbeat-[01]/', '-n', '3']);
    expect(found.map((n) => name(n.path)).sort()).toEqual([
      'breakbeat-2.flac',
      'breakbeat-3.flac',
      'breakbeat-4.flac',
    ]);
  });

  test('--where filters inside the search, and follows tag edits without a rescan', () => {
    const seed = String(ids.get('techno-1.flac'));
    expect(sleeveHere(home, ['set', 'path:music-box-3', 'genre=Chiptune Jazz', '-y']).status).toBe(0);
    const found = similar([seed, '--where', 'genre:jazz']);
    expect(found.map((n) => name(n.path))).toEqual(['music-box-3.flac']);
    // Exact values and regular expressions, case-insensitive as the table keeps values folded.
    for (const where of ['genre:="chiptune jazz"', 'genre:/^Chiptune J/', 'year:..2100 ^genre:=chiptune'])
      expect(similar([seed, '--where', where]).map((n) => name(n.path))).toEqual(
        where.startsWith('year') ? [] : ['music-box-3.flac'],
      );
    expect(similar([seed, '--where', '^genre:jazz', '-n', '30']).map((n) => name(n.path))).not.toContain(
      'music-box-3.flac',
    );
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(similar([seed, '--where', 'genre:jazz'])).toEqual([]);
  });

  test('bad requests fail with their reason', () => {
    const cases: Array<[string[], number, RegExp]> = [
      [[], 2, /give one track ID or --query/],
      [['abc'], 2, /not a track id: abc/],
      [['1', '-n', '0'], 2, /-n must be a whole number/],
      [['1', '--where', 'path:x'], 2, /--where can filter on title, .*; not on path/],
      [['1', '--where', 'genre:1..2'], 2, /genre is text: a range/],
      [['1', '--where', 'genre:"x'], 1, /unclosed " quote/],
      [['99999'], 1, /no track has id 99999/],
      [['--query', 'artist:nobody-here'], 1, /no tracks match/],
    ];
    for (const [args, status, message] of cases) {
      const r = sleeveHere(home, ['similar', ...args]);
      expect({ args, status: r.status }).toEqual({ args, status });
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('the LanceDB table', () => {
  const rows = () => {
    const db = openDatabase(join(home, 'library.db'));
    const n = (db.prepare('SELECT count(*) AS n FROM similarity_rows').get() as { n: number }).n;
    db.close();
    return n;
  };

  /** The similarity table synced with the library, as the backend syncs it: what the sync did. */
  const syncTable = async () => {
    const db = openDatabase(join(home, 'library.db'));
    try {
      const { table, sync } = await openSynced(join(home, 'similarity'), db, embeddingExtractor, {
        onWait: () => {},
      });
      table.close();
      return sync;
    } finally {
      db.close();
    }
  };

  test('a sync after edits looks only at the files they changed, and one after none at nothing', async () => {
    const sync = syncTable;
    await sync();
    expect(await sync()).toMatchObject({ due: 0, whole: false, written: 0, removed: 0 });
    // One track's genre, then an album's: each file they changed is due, and only those.
    expect(sleeveHere(home, ['set', 'path:music-box-3', 'genre=Chiptune Jazz', '-y']).status).toBe(0);
    expect(await sync()).toMatchObject({ due: 1, whole: false, written: 1, removed: 0 });
    // Techno's pieces with no other copy.
    const album = PER_STYLE - 1;
    expect(sleeveHere(home, ['set', 'path:/techno-[1-9].flac/', 'genre=Minimal', '-y']).status).toBe(0);
    expect(await sync()).toMatchObject({ due: album, whole: false, written: album, removed: 0 });
    expect(
      similar([String(ids.get('music-box-0.flac')), '--where', 'genre:minimal', '-n', '30']),
    ).toHaveLength(album);
    // Taken back, the rows follow; with the table's record lost, every file is compared again.
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(await sync()).toMatchObject({ due: album + 1, whole: false, written: album + 1 });
    expect(similar([String(ids.get('music-box-0.flac')), '--where', 'genre:minimal'])).toEqual([]);
    const db = openDatabase(join(home, 'library.db'));
    db.prepare('DELETE FROM similarity_synced').run();
    db.close();
    expect(await sync()).toMatchObject({ due: 0, whole: true, written: 0, removed: 0 });
    expect(await sync()).toMatchObject({ due: 0, whole: false });
  });

  type Row = Record<string, unknown>;
  const insertOf = (table: string, row: Row) =>
    `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
      .map((c) => `@${c}`)
      .join(', ')})`;

  test('the map is projected anew only when a vector or a file holding one changes, never for a tag', async () => {
    const db = openDatabase(join(home, 'library.db'));
    try {
      const file = ids.get('music-box-2.flac')!;
      const versions = [projectionVersion(db)];
      const changed = (what: () => unknown) => {
        what();
        versions.push(projectionVersion(db));
        return versions.at(-1) !== versions.at(-2);
      };
      const set = (tag: string) => sleeveHere(home, ['set', `id:${file}`, tag, '-y']).status;
      expect(changed(() => expect(set('genre=Mapless')).toBe(0))).toBe(false);
      expect(changed(() => expect(set('title=Retitled')).toBe(0))).toBe(false);
      const vector = db.prepare('UPDATE embeddings SET computed_at = computed_at + 1 WHERE file_id = ?');
      expect(changed(() => vector.run(file))).toBe(true);
      const status = db.prepare('UPDATE files SET status = ? WHERE id = ?');
      expect(changed(() => status.run('missing', file))).toBe(true);
      expect(changed(() => status.run('missing', file))).toBe(false);
      expect(changed(() => status.run('ok', file))).toBe(true);
      const member = db.prepare('SELECT * FROM recording_members WHERE file_id = ?').get(file) as Row;
      expect(changed(() => db.prepare('DELETE FROM recording_members WHERE file_id = ?').run(file))).toBe(
        true,
      );
      expect(changed(() => db.prepare(insertOf('recording_members', member)).run(member))).toBe(true);
      const row = db.prepare('SELECT * FROM embeddings WHERE file_id = ?').get(file) as Row;
      expect(changed(() => db.prepare('DELETE FROM embeddings WHERE file_id = ?').run(file))).toBe(true);
      expect(changed(() => status.run('missing', file))).toBe(false); // no vector: not on the map
      status.run('ok', file);
      expect(changed(() => db.prepare(insertOf('embeddings', row)).run(row))).toBe(true);
    } finally {
      db.close();
      sleeveHere(home, ['undo']);
      sleeveHere(home, ['undo']);
    }
    await syncTable(); // the file is due in the similarity table: synced, as the next tests count
  });

  test('follows added, changed and removed files', () => {
    const before = rows();
    expect(before).toBe(STYLES.length * (PER_STYLE + 2));
    // Added: a new techno piece. Changed: techno-4 becomes a breakbeat piece. Removed: music-box-4.
    const added = join(music, 'techno-9.flac');
    writeWav(join(music, 'new.wav'), synthesizeStyle(STYLES[1]!, 9, 15), 44100, 1);
    tool('flac', ['--silent', '-o', added, join(music, 'new.wav')]);
    rmSync(join(music, 'new.wav'));
    writeWav(join(music, 'changed.wav'), synthesizeStyle(STYLES[3]!, 7, 15), 44100, 1);
    tool('flac', ['--silent', '--force', '-o', join(music, 'techno-4.flac'), join(music, 'changed.wav')]);
    rmSync(join(music, 'changed.wav'));
    rmSync(join(music, 'music-box-4.flac'));
    const scan = sleeveHereJson<{
      analysis: { embedded: number };
      similarity: { written: number; removed: number };
    }>(home, ['scan', '--json', music]);
    expect(scan.analysis.embedded).toBe(2);
    expect(scan.similarity).toMatchObject({ written: 2, removed: 1 });
    expect(rows()).toBe(before + 1 - 1);
    ids = listIds();
    const nearNew = similar([String(ids.get('techno-9.flac')), '-n', '3']);
    expect(nearNew.every((n) => styleOf(n.path) === 'techno')).toBe(true);
    const nearChanged = similar([String(ids.get('techno-4.flac')), '-n', '3']);
    expect(nearChanged.every((n) => styleOf(n.path) === 'breakbeat')).toBe(true);
    const everything = similar([String(ids.get('music-box-0.flac')), '-n', '100', '--include-duplicates']);
    expect(everything.map((n) => name(n.path))).not.toContain('music-box-4.flac');
  });

  test('a new extractor version recomputes embeddings lazily, without re-fingerprinting', () => {
    const db = openDatabase(join(home, 'library.db'));
    db.prepare('UPDATE embeddings SET version = version - 1').run();
    db.close();
    const scan = sleeveHereJson<{
      analysis: { fingerprinted: number; embedded: number };
      similarity: { written: number; removed: number };
    }>(home, ['scan', '--json', music]);
    expect(scan.analysis).toMatchObject({ fingerprinted: 0, embedded: rows() });
    // Every new vector reached LanceDB.
    expect(scan.similarity).toMatchObject({ written: rows(), removed: 0 });
  });

  test('a missing or damaged table is rebuilt from the stored vectors, with a message', () => {
    const table = join(home, 'similarity', 'tracks.lance');
    const seed = String(ids.get('ambient-pad-1.flac'));
    const expected = similar([seed]);
    rmSync(table, { recursive: true });
    let r = sleeveHere(home, ['similar', seed, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /similarity index: rebuilt from the library's \d+ stored vectors, because it holds 0 rows/,
    );
    expect(JSON.parse(r.stdout)).toEqual(expected);
    // Garbage over every data and manifest file.
    const damage = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) damage(path);
        else writeFileSync(path, 'not a lance file');
      }
    };
    damage(table);
    r = sleeveHere(home, ['similar', seed, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rebuilt from the library's \d+ stored vectors, because it cannot be read/);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    expect(sleeveHere(home, ['similar', seed]).stderr).toBe('');
  });
});

test('the library map separates the styles', () => {
  const map = sleeveHereJson<{ explained: number[]; points: Array<{ id: number; x: number; y: number }> }>(
    home,
    ['map', '--json'],
  );
  const pathOf = new Map([...ids].map(([n, id]) => [id, n]));
  const analysed =
    similar([String(ids.get('techno-0.flac')), '-n', '100', '--include-duplicates']).length + 1;
  const all = sleeveHereJson<{ points: Array<{ id: number }> }>(home, ['map', '--json', '--all-copies']);
  expect(all.points.length).toBe(analysed);
  // One point per recording: each group's copies but the kept one are left out.
  const groups = sleeveHereJson<Array<{ members: Array<{ id: number; best: boolean }> }>>(home, [
    'dup',
    '--json',
  ]);
  const others = new Set(groups.flatMap((g) => g.members.filter((m) => !m.best).map((m) => m.id)));
  expect(others.size).toBeGreaterThan(0);
  expect(map.points.map((p) => p.id).sort()).toEqual(
    all.points
      .map((p) => p.id)
      .filter((id) => !others.has(id))
      .sort(),
  );
  expect(map.points.every((p) => Math.abs(p.x) <= 1 && Math.abs(p.y) <= 1)).toBe(true);
  expect(map.explained[0]).toBeGreaterThan(map.explained[1]!);
  let same = 0;
  for (const p of map.points) {
    const nearest = map.points
      .filter((q) => q !== p)
      .reduce((best, q) =>
        Math.hypot(q.x - p.x, q.y - p.y) < Math.hypot(best.x - p.x, best.y - p.y) ? q : best,
      );
    if (styleOf(pathOf.get(nearest.id)!) === styleOf(pathOf.get(p.id)!)) same++;
  }
  expect(same / map.points.length).toBeGreaterThanOrEqual(0.75);
});

test('the originals were never written to', () => {
  const now = hashTree(music);
  for (const [path, hash] of originals)
    if (now.has(path) && !/^(techno-4|music-box-4)/.test(path)) expect(now.get(path)).toBe(hash);
});

describe('a library with nothing for the table', () => {
  test('is scanned without opening LanceDB: no table is made, and the summary holds none', () => {
    // The fixture tracks are a second long, too short for a vector.
    const bare = join(tempDir(), 'home');
    const scan = sleeveHereJson<{ analysis: { embedded: number }; similarity: object }>(bare, [
      'scan',
      '--json',
      copyFixtures(),
    ]);
    expect(scan.analysis.embedded).toBe(0);
    expect(scan.similarity).toMatchObject({ written: 0, removed: 0, rows: 0 });
    expect(existsSync(join(bare, 'similarity'))).toBe(false);
  });
});
