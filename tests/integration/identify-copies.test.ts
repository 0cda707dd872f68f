// Identification offline, from the library's own copies: tag-less copies of a recording are proposed its
// tagged twin's tags (only the fields that name the recording and its release), strong when they only fill
// empty fields; applied as one undoable batch; never to a file whose tags changed since the proposal.
import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { changedSince, proposalsFromCopies } from '../../app/core/identify/from-copies.ts';
import { applyEdit } from '../../app/core/library/edits.ts';
import { startBackend } from '../fixtures/backend.ts';
import { writeCopies } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, sleeveHereAsync, sleeveHereJson, tempDir, tool } from '../helpers.ts';

interface Proposal {
  fileId: number;
  sourceId: number;
  path: string;
  sourcePath: string;
  strength: 'strong' | 'review';
  reasons: string[];
  changes: Array<{ key: string; before: string[]; after: string[] }>;
}
interface Copy {
  fileId: number;
  path: string;
  changes: Array<{ key: string; before: string[]; after: string[] }>;
}

const TAGS = {
  TITLE: 'Amber Light',
  ARTIST: 'The Lanterns',
  ALBUM: 'Night Roads',
  TRACKNUMBER: '03', // zero-padded, as EasyTAG and many rippers write it: track 3
  DATE: '1999-04-01',
  MUSICBRAINZ_TRACKID: '0b3a4b54-4b6b-4bbd-9f3e-2c3a6f0f8d11', // Picard's Vorbis key for the recording id
  REPLAYGAIN_TRACK_GAIN: '-6.50 dB', // a fact of that file, not of the recording
};

describe('sleeve identify, from the library’s own copies', () => {
  const lib = tempDir();
  const home = tempDir();
  let before: Map<string, string>;
  const title = (name: string) =>
    sleeveHere(home, ['ls', '--all-copies', `path:${name}`, '-f', '$title']).stdout.trim();

  beforeAll(() => {
    // "song" four times (FLAC, MP3, Ogg, a partial FLAC of its end), all tag-less; "other" once.
    writeCopies(lib, 'song', 'other');
    tool('metaflac', [
      ...Object.entries(TAGS).map(([k, v]) => `--set-tag=${k}=${v}`),
      join(lib, 'song.flac'),
    ]);
    before = hashTree(lib);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', lib]).status).toBe(0);
    // The MP3 was given a placeholder title: a proposal would replace it.
    expect(sleeveHere(home, ['set', 'path:song.mp3', 'title=Track 01', '-y']).status).toBe(0);
  }, 120_000);

  it('proposes the tagged twin’s tags to each copy: strong when it only fills, for review otherwise', () => {
    const { proposals } = sleeveHereJson<{ proposals: Proposal[] }>(home, [
      'identify',
      'path:song',
      '--json',
    ]);
    const byName = new Map(proposals.map((p) => [p.path.split('/').pop(), p]));
    expect([...byName.keys()].sort()).toEqual(['song-end.flac', 'song.mp3', 'song.ogg']); // not the twin itself
    for (const p of proposals) expect(p.sourcePath).toMatch(/\/song\.flac$/);
    const ogg = byName.get('song.ogg')!;
    expect([ogg.strength, ogg.reasons]).toEqual(['strong', []]);
    expect(Object.fromEntries(ogg.changes.map((c) => [c.key, [c.before, c.after]]))).toEqual({
      title: [[], ['Amber Light']],
      artist: [[], ['The Lanterns']],
      album: [[], ['Night Roads']],
      tracknumber: [[], ['3']],
      date: [[], ['1999-04-01']],
      musicbrainz_recordingid: [[], [TAGS.MUSICBRAINZ_TRACKID]],
    });
    const mp3 = byName.get('song.mp3')!;
    expect([mp3.strength, mp3.reasons]).toEqual(['review', ['replaces 1 value(s) the file has']]);
    expect(mp3.changes.find((c) => c.key === 'title')).toEqual({
      fileId: mp3.fileId,
      key: 'title',
      before: ['Track 01'],
      after: ['Amber Light'],
    });
    expect(byName.get('song-end.flac')!.reasons).toEqual([
      'a partial copy: it may come from another release',
    ]);
    // Nothing for a file with no copies, or for the best-tagged copy.
    expect(sleeveHereJson(home, ['identify', 'path:other', '--json'])).toEqual({ proposals: [] });
  });

  it('shows the diffs, applies only the strong ones when asked, as one undoable batch', () => {
    const shown = sleeveHere(home, ['identify', 'path:song']);
    expect(shown.stdout).toContain('  title: "Track 01" → "Amber Light"');
    expect(shown.stdout).toMatch(
      /4 file\(s\) looked at: 3 proposal\(s\) from their copies; 1 strong, 2 to review; 1 without a proposal/,
    );
    expect(title('song.ogg')).toBe('song'); // showing changed nothing (no title: its name)

    const strong = sleeveHere(home, ['identify', 'path:song', '--apply-strong', '-y']);
    expect(strong.stdout).toMatch(/saved as edit batch (\d+) \(1 file\(s\)\)/);
    expect([title('song.ogg'), title('song.mp3'), title('song-end.flac')]).toEqual([
      'Amber Light',
      'Track 01',
      'song-end',
    ]);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(title('song.ogg')).toBe('song');

    // Without -y and no terminal: refused, nothing changed.
    const unconfirmed = sleeveHere(home, ['identify', 'path:song', '--apply']);
    expect([unconfirmed.status, unconfirmed.stderr]).toEqual([1, expect.stringContaining('pass -y')]);
    expect(sleeveHere(home, ['identify', 'path:song', '--apply', '-y']).status).toBe(0);
    expect([title('song.ogg'), title('song.mp3'), title('song-end.flac')]).toEqual([
      'Amber Light',
      'Amber Light',
      'Amber Light',
    ]);
    // Now every copy is as well tagged as the twin: nothing more to propose.
    expect(sleeveHereJson(home, ['identify', 'path:song', '--json'])).toEqual({ proposals: [] });
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(title('song.mp3')).toBe('Track 01');
  });

  /** What the library shows for every copy of "song", by file name. */
  const library = () =>
    new Map(
      sleeveHereJson<Array<{ id: number; path: string; tags: Record<string, string[]> }>>(home, [
        'ls',
        '--json',
        '--all-copies',
        'path:song',
      ]).map((t) => [basename(t.path), t]),
    );
  /** The files an edit batch wrote, by name. */
  const written = (batch: number | string) => {
    const db = openDatabase(join(home, 'library.db'));
    try {
      const ids = db
        .prepare('SELECT DISTINCT file_id FROM edits WHERE batch_id = ?')
        .pluck()
        .all(Number(batch)) as number[];
      return [...library()].filter(([, t]) => ids.includes(t.id)).map(([name]) => name);
    } finally {
      db.close();
    }
  };

  it('touches only the files asked about unless their copies are asked for too (they are not by default)', () => {
    const before = library();
    const r = sleeveHere(home, ['identify', 'path:song.ogg', '--apply-strong', '-y']);
    const batch = /saved as edit batch (\d+) \(1 file\(s\)\)/.exec(r.stdout)?.[1];
    expect(batch, r.stdout).toBeDefined();
    expect(written(batch!)).toEqual(['song.ogg']);
    const after = library();
    expect(after.get('song.ogg')!.tags.title).toEqual(['Amber Light']);
    for (const copy of ['song.flac', 'song.mp3', 'song-end.flac'])
      expect(after.get(copy)!.tags).toEqual(before.get(copy)!.tags);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('asked for the copies: lists each it writes under its recording, writes exactly those, only the recording’s own fields, never an edited one', () => {
    const { proposals } = sleeveHereJson<{ proposals: Array<Proposal & { copies: Copy[] }> }>(home, [
      'identify',
      'path:song.ogg',
      '--copies',
      '--json',
    ]);
    expect(proposals.map((p) => basename(p.path))).toEqual(['song.ogg']);
    // The MP3: the recording's artist and id; not its title (the user set "Track 01"), nor the album,
    // track number or date (another copy may be on another release). Not the partial copy (another
    // length: an excerpt, or an extended version, may be another recording); not the twin (nothing to
    // change).
    expect(
      proposals[0]!.copies.map((c) => [
        basename(c.path),
        Object.fromEntries(c.changes.map((x) => [x.key, [x.before, x.after]])),
      ]),
    ).toEqual([
      [
        'song.mp3',
        {
          artist: [[], ['The Lanterns']],
          musicbrainz_recordingid: [[], [TAGS.MUSICBRAINZ_TRACKID]],
        },
      ],
    ]);
    const shown = sleeveHere(home, ['identify', 'path:song.ogg', '--copies']).stdout;
    expect(shown).toMatch(
      /\n {2}and its copy \S+\/song\.mp3 \(track \d+\):\n {4}artist: \(none\) → "The Lanterns"\n/,
    );
    expect(shown).toContain('1 other copies of their recordings to write too');

    const before = library();
    const r = sleeveHere(home, ['identify', 'path:song.ogg', '--apply-strong', '--copies', '-y']);
    const batch = /saved as edit batch (\d+) \(2 file\(s\)\)/.exec(r.stdout)?.[1];
    expect(batch, r.stdout).toBeDefined();
    expect(written(batch!).sort()).toEqual(['song.mp3', 'song.ogg']);
    const mp3 = library().get('song.mp3')!.tags;
    expect([mp3.title, mp3.artist, mp3.album, mp3.tracknumber, mp3.date]).toEqual([
      ['Track 01'],
      ['The Lanterns'],
      undefined,
      undefined,
      undefined,
    ]);
    for (const copy of ['song.flac', 'song-end.flac'])
      expect(library().get(copy)!.tags).toEqual(before.get(copy)!.tags);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('never applies a proposal to a file edited since it was made', () => {
    const db = openDatabase(join(home, 'library.db'));
    try {
      const ids = db.prepare("SELECT id FROM files WHERE path LIKE '%/song%'").pluck().all() as number[];
      const proposals = proposalsFromCopies(db, ids);
      const blank = proposals.find((p) => p.changes.some((c) => c.before.length === 0 && c.key === 'title'))!;
      const changes = proposals.flatMap((p) => p.changes);
      expect(changedSince(db, changes).size).toBe(0);
      // Another window edits that copy's album meanwhile.
      applyEdit(db, [{ fileId: blank.fileId, key: 'album', before: [], after: ['Edited Elsewhere'] }], {
        description: 'test',
        origin: 'cli',
      });
      expect([...changedSince(db, changes)]).toEqual([blank.fileId]);
    } finally {
      db.close();
    }
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('proposes a number an older Sleeve stored as the file wrote it ("03") as the number it is', () => {
    const db = openDatabase(join(home, 'library.db'));
    const stored = (value: string) => {
      db.prepare("UPDATE file_tags SET value = ? WHERE key = 'tracknumber'").run(value);
      db.prepare("UPDATE tags SET value = ?, fold = ? WHERE key = 'tracknumber'").run(value, value);
    };
    try {
      stored('03');
      const { proposals } = sleeveHereJson<{ proposals: Proposal[] }>(home, [
        'identify',
        'path:song.ogg',
        '--json',
      ]);
      expect(proposals[0]!.strength).toBe('strong');
      expect(proposals[0]!.changes.find((c) => c.key === 'tracknumber')?.after).toEqual(['3']);
    } finally {
      stored('3');
      db.close();
    }
  });

  it('through the backend: proposes as the CLI does, and refuses what a page must not send', async () => {
    const history = sleeveHere(home, ['history']).stdout;
    const backend = await startBackend(home, tempDir(), { watchMs: 50 });
    const client = backend.connect();
    try {
      const found = await client.call('identify.propose', {
        target: { kind: 'query', query: 'path:song', except: [] },
        online: true, // asked for, but AcoustID is not enabled in this home's config: offline
      });
      expect([found.proposals.length, found.online, found.onlineEnabled]).toEqual([3, null, false]);
      const [first] = found.proposals;
      const change = (key: string, after: string[]) => ({ key, before: [], after });
      const apply = (proposals: Array<{ fileId: number; changes: ReturnType<typeof change>[] }>) =>
        client.call('identify.apply', { proposals });
      await expect(
        apply([
          { fileId: first!.fileId, changes: [change('title', ['x'])] },
          { fileId: first!.fileId, changes: [change('album', ['y'])] },
        ]),
      ).rejects.toThrow('a track is proposed twice');
      await expect(apply([{ fileId: 999_999, changes: [change('title', ['x'])] }])).rejects.toThrow(
        'there is no track 999999',
      );
      await expect(
        apply([{ fileId: first!.fileId, changes: [change('no_such_field', ['x'])] }]),
      ).rejects.toThrow(/unknown field "no_such_field"/);
      await expect(
        apply([{ fileId: first!.fileId, changes: [change('date', ['yesterday'])] }]),
      ).rejects.toThrow(/date must be YYYY, YYYY-MM or YYYY-MM-DD/);
      // A cover that is not an image, sent as a page would: the file first, then the edit naming it.
      const { port, token } = backend.server;
      const sent = await fetch(`http://127.0.0.1:${port}/upload?token=${token}`, {
        method: 'POST',
        body: '<svg onload="alert(1)"/>',
      });
      const { upload } = (await sent.json()) as { upload: string };
      await expect(
        client.call('art.edit', {
          target: { kind: 'ids', ids: [first!.fileId] },
          change: { kind: 'set', type: 3, upload },
        }),
      ).rejects.toThrow('the image is not a PNG, JPEG, GIF, WebP or BMP image');
      expect(sleeveHere(home, ['history']).stdout).toBe(history); // nothing was applied
    } finally {
      client.close();
      await backend.close();
    }
  });

  it('through the backend: applies exactly the copies its preview listed, none found since, none that may not have them', async () => {
    const backend = await startBackend(home, tempDir(), { watchMs: 50 });
    const client = backend.connect();
    try {
      const propose = () =>
        client.call('identify.propose', {
          target: { kind: 'query', query: 'path:song.ogg', except: [] },
          online: false,
        });
      const found = await propose();
      const name = (id: number) => basename(found.paths.find((p) => p.id === id)!.path);
      const [ogg] = found.proposals;
      expect(ogg!.copies!.map((c) => name(c.fileId))).toEqual(['song.mp3']);
      const unplanned = ({ key, before, after }: { key: string; before: string[]; after: string[] }) => ({
        key,
        before,
        after,
      });
      const apply = (copies: Array<{ fileId: number; changes: ReturnType<typeof unplanned>[] }>) =>
        client.call('identify.apply', {
          proposals: [{ fileId: ogg!.fileId, changes: ogg!.changes.map(unplanned), copies }],
        });
      const mp3 = ogg!.copies![0]!;
      // A page cannot give a copy a release's field.
      await expect(
        apply([{ fileId: mp3.fileId, changes: [{ key: 'album', before: [], after: ['Night Roads'] }] }]),
      ).rejects.toThrow(
        `track ${mp3.fileId} is planned as a copy with album, which is not the recording's own field`,
      );

      // Another copy of the recording arrives after the preview: a preview now would list it too.
      copyFileSync(join(lib, 'song.ogg'), join(lib, 'song copy.ogg'));
      before.set('song copy.ogg', before.get('song.ogg')!);
      const scan = await sleeveHereAsync(home, ['scan', '--no-embeddings', '--no-loudness', lib]);
      expect(scan.status, scan.stderr).toBe(0);
      const now = await propose();
      expect(
        now.proposals[0]!.copies!.map((c) => basename(now.paths.find((p) => p.id === c.fileId)!.path)),
      ).toEqual(['song.mp3', 'song copy.ogg']);
      // Applied, the earlier preview writes what it showed: the Ogg and the MP3, not the new copy.
      const r = await apply(
        ogg!.copies!.map((c) => ({ fileId: c.fileId, changes: c.changes.map(unplanned) })),
      );
      expect([r.applied, r.stale]).toEqual([2, []]);
      expect(written(r.batch!.id).sort()).toEqual(['song.mp3', 'song.ogg']);
      expect(library().get('song copy.ogg')!.tags.title).toBeUndefined();
    } finally {
      client.close();
      await backend.close();
    }
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  }, 60_000);

  it('never touches the originals', () => {
    expect(hashTree(lib)).toEqual(before);
  });
});
