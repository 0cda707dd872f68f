// The engine-backed RPC methods over a real WebSocket on a scanned fixture library: duplicate windows,
// filters and preferences; more like this; the packed library map; mount status, previews and the
// errors a caller can make. (Mounting itself is exercised in the e2e test.)
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { DEFAULT_TEMPLATE } from '../../app/core/served/path-template.ts';
import { FieldValues } from '../../app/core/similar/map-colors.ts';
import { MAP_CATEGORIES, MAP_OTHER } from '../../app/shared/rpc/similar.ts';
import type { RpcCallError, RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { COPIED, scannedEnginesLibrary } from '../fixtures/engines-library.ts';
import { styleOf } from '../fixtures/styles.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err as RpcCallError,
  );

describe('engine-backed RPC methods', () => {
  let music: string;
  let homeDir: string;
  let backend: TestBackend;
  let client: RpcClient;
  let before: Map<string, string>;
  const ids = new Map<string, number>();
  const logged: string[] = [];

  beforeAll(async () => {
    ({ music, home: homeDir, before } = scannedEnginesLibrary());
    for (const t of sleeveHereJson<Array<{ id: number; path: string }>>(homeDir, [
      'ls',
      '--json',
      '--all-copies',
    ]))
      ids.set(t.path.slice(t.path.lastIndexOf('/') + 1), t.id);
    backend = await startBackend(homeDir, tempDir(), { watchMs: 50, log: (l) => logged.push(l) });
    client = backend.connect();
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await backend?.close();
  });

  it('lists duplicate groups with a lossless suggestion, filters them, and stores the preferred copy', async () => {
    const all = await client.call('dup.groups', { filter: 'all', offset: 0, limit: 10 });
    expect(all.total).toBe(1);
    const members = all.groups[0]!.members;
    const flac = ids.get(`${COPIED}.flac`)!;
    const mp3 = ids.get(`${COPIED}-copy.mp3`)!;
    expect(members.map((m) => m.id).sort()).toEqual([flac, mp3].sort());
    expect(members.find((m) => m.suggested)?.id).toBe(flac);
    expect(members.find((m) => m.id === mp3)).toMatchObject({ title: COPIED, format: 'mp3', best: false });
    expect(members.find((m) => m.id === mp3)!.score).toBeGreaterThan(0.8);
    expect((await client.call('dup.groups', { filter: 'exact', offset: 0, limit: 10 })).total).toBe(0);
    expect((await client.call('dup.groups', { filter: 'partial', offset: 0, limit: 10 })).total).toBe(0);
    expect((await client.call('dup.groups', { filter: 'all', offset: 1, limit: 10 })).groups).toEqual([]);

    const chosen = await client.call('dup.prefer', { id: mp3, prefer: true });
    expect(chosen.members.find((m) => m.best)).toMatchObject({ id: mp3, preferred: true, suggested: false });
    // The kept copy is what the others are scored against: the FLAC now has the score.
    expect(chosen.members.find((m) => m.id === flac)!.score).toBeLessThan(1);
    const cli = sleeveHere(homeDir, ['dup']);
    expect(cli.stdout).toMatch(new RegExp(`\\*\\s+${mp3} .*your choice`));
    // The Keep is in the history (the FLAC kept before carries no edits), and undone as an edit is.
    expect(chosen.batch).toMatchObject({ fields: ['(kept copy)'], files: 1, undoneAt: null });
    expect(chosen.batch?.description).toMatch(/^Kept the MP3 copy of /);
    const { changes } = await client.call('history.changes', {
      batchId: chosen.batch!.id,
      offset: 0,
      limit: 10,
    });
    expect(changes).toMatchObject([
      { fileId: mp3, key: '(kept copy)', before: ['the suggested copy'], after: [`${COPIED}-copy.mp3`] },
    ]);
    const undone = await client.call('history.undo', { batchId: chosen.batch!.id });
    expect(undone.batch.fields).toEqual(['(kept copy)']);
    let group = await client.call('dup.groups', { filter: 'all', offset: 0, limit: 10 });
    expect(group.groups[0]!.members.find((m) => m.best)).toMatchObject({ id: flac, preferred: false });
    await client.call('history.redo', { batchId: chosen.batch!.id });
    group = await client.call('dup.groups', { filter: 'all', offset: 0, limit: 10 });
    expect(group.groups[0]!.members.find((m) => m.best)).toMatchObject({ id: mp3, preferred: true });
    const reset = await client.call('dup.prefer', { id: mp3, prefer: false });
    expect(reset.members.find((m) => m.best)?.id).toBe(flac);
    expect(reset.batch?.description).toMatch(/^Back to the suggested copy, the FLAC copy of /);
    // A redo of the first Keep now would take back the newer choice: it stands.
    await client.call('history.undo', { batchId: chosen.batch!.id });
    await client.call('history.redo', { batchId: chosen.batch!.id });
    group = await client.call('dup.groups', { filter: 'all', offset: 0, limit: 10 });
    expect(group.groups[0]!.members.find((m) => m.best)).toMatchObject({ id: flac, preferred: false });
    // Edited, then the other copy chosen: the edit goes with the choice, in the Keep's batch.
    expect(sleeveHere(homeDir, ['set', `id:${flac}`, 'mood=Carried', '-y']).status).toBe(0);
    const carrying = await client.call('dup.prefer', { id: mp3, prefer: true });
    expect(carrying.batch?.description).toMatch(/; carried your edits \(mood\) from track \d+$/);
    expect(carrying.batch?.fields).toEqual(['mood', '(kept copy)']);
    // One undo takes back the Keep and what it carried; the next the edit.
    expect(sleeveHere(homeDir, ['undo']).status).toBe(0);
    group = await client.call('dup.groups', { filter: 'all', offset: 0, limit: 10 });
    expect(group.groups[0]!.members.find((m) => m.best)?.id).toBe(flac);
    expect(sleeveHere(homeDir, ['undo']).status).toBe(0);

    const lonely = ids.get('techno-1.flac')!;
    for (const prefer of [true, false]) {
      const err = await failure(client.call('dup.prefer', { id: lonely, prefer }));
      expect(err).toMatchObject({ code: 'not_found' });
      expect(err.message).toContain(`track ${lonely} is not in a duplicate group`);
    }
  });

  it('sleeve dup: --prefer and --unprefer from the shell, and clear errors for bad input', () => {
    const mp3 = ids.get(`${COPIED}-copy.mp3`)!;
    const lonely = ids.get('techno-1.flac')!;
    expect(sleeveHere(homeDir, ['dup', '--prefer', String(mp3)]).stdout).toContain(`keeping track ${mp3}`);
    expect(sleeveHere(homeDir, ['dup', '--partial']).stdout).toContain(
      'no duplicate recordings with partial copies',
    );
    const kept = sleeveHereJson<Array<{ members: Array<{ id: number; best: boolean }> }>>(homeDir, [
      'dup',
      '--json',
    ]);
    expect(kept[0]!.members.find((m) => m.best)?.id).toBe(mp3);
    expect(sleeveHere(homeDir, ['dup', '--unprefer', String(mp3)]).status).toBe(0);
    const both = sleeveHere(homeDir, ['dup', '--exact', '--partial']);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('give one of --exact, --partial and --related');
    const word = sleeveHere(homeDir, ['dup', '--prefer', 'abc']);
    expect(word.status).toBe(2);
    expect(word.stderr).toContain('not a track id: abc');
    const alone = sleeveHere(homeDir, ['dup', '--prefer', String(lonely)]);
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain(`track ${lonely} is not in a duplicate group`);
    expect(sleeveHere(homeDir, ['dup', '--prefer', '999999']).stderr).toContain(
      'no track 999999 in the library',
    );
  });

  it('counts recordings for an artist: a copy of a track counts once, beside the files', async () => {
    const { artists } = await client.call('library.artists', { query: '', offset: 0, limit: 50 });
    // techno-0 is there twice (FLAC and its MP3 copy): 3 recordings in 4 files.
    expect(artists.find((a) => a.name === 'techno artist')).toMatchObject({ tracks: 3, files: 4 });
    expect(artists.find((a) => a.name === 'breakbeat artist')).toMatchObject({ tracks: 3, files: 3 });
  });

  it('answers more like this for a track and for an album query, nearest first, copies left out by default', async () => {
    const seed = ids.get(`${COPIED}.flac`)!;
    const one = await client.call('similar.tracks', {
      seeds: { kind: 'ids', ids: [seed] },
      limit: 5,
      includeDuplicates: false,
    });
    expect(one.seeds).toBe(1);
    const names = one.tracks.map((t) => t.track.path.slice(t.track.path.lastIndexOf('/') + 1));
    expect(names.slice(0, 2).map(styleOf)).toEqual(['techno', 'techno']);
    expect(names).not.toContain(`${COPIED}-copy.mp3`);
    const distances = one.tracks.map((t) => t.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));

    const withCopies = await client.call('similar.tracks', {
      seeds: { kind: 'ids', ids: [seed] },
      limit: 5,
      includeDuplicates: true,
    });
    expect(withCopies.tracks[0]).toMatchObject({
      sameRecording: true,
      track: { id: ids.get(`${COPIED}-copy.mp3`) },
    });

    const album = await client.call('similar.tracks', {
      seeds: { kind: 'query', query: 'album:="music-box album"' },
      limit: 3,
      includeDuplicates: false,
    });
    expect(album.seeds).toBe(3);
    expect(album.tracks.every((t) => styleOf(t.track.path) !== 'music-box')).toBe(true);

    const none = await failure(
      client.call('similar.tracks', {
        seeds: { kind: 'query', query: 'nothing-matches-this' },
        limit: 3,
        includeDuplicates: false,
      }),
    );
    expect(none).toMatchObject({ code: 'not_found', message: 'no tracks match to start from' });
  });

  it('packs the library map: one point per recording, coordinates in range, colours by genre', async () => {
    // The FLAC of techno-0 is its group's kept copy (the tests above took their choice back): its MP3 copy
    // is left out.
    const map = await client.call('map.points', { color: 'genre' });
    expect(map.count).toBe(12);
    const pointIds = new Int32Array(new Uint8Array(Buffer.from(map.ids, 'base64')).buffer);
    const xy = new Float32Array(new Uint8Array(Buffer.from(map.xy, 'base64')).buffer);
    const category = new Uint8Array(Buffer.from(map.category, 'base64'));
    const mp3 = ids.get(`${COPIED}-copy.mp3`)!;
    expect([...pointIds].sort((a, b) => a - b)).toEqual(
      [...ids.values()].filter((id) => id !== mp3).sort((a, b) => a - b),
    );
    expect(xy.length).toBe(24);
    expect(xy.every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(map.categories.map((c) => c.name).sort()).toEqual([
      'ambient-pad',
      'breakbeat',
      'music-box',
      'techno',
    ]);
    const technoAt = [...pointIds].indexOf(ids.get('techno-2.flac')!);
    expect(map.categories[category[technoAt]!]!.name).toBe('techno');
    // The same coordinates as the CLI's map.
    const cli = sleeveHereJson<{ points: Array<{ id: number; x: number; y: number }> }>(homeDir, [
      'map',
      '--json',
    ]);
    const p = cli.points.find((q) => q.id === pointIds[0])!;
    expect(xy[0]).toBeCloseTo(p.x, 5);
    expect(xy[1]).toBeCloseTo(p.y, 5);
  });

  it("colours the map by each file's value, reading again only the files an edit changed", async () => {
    const db = openDatabase(join(homeDir, 'library.db'));
    try {
      const genres = new FieldValues('genre');
      expect(genres.update(db)).toBe(ids.size);
      expect(genres.update(db)).toBe(0);
      const points = [...ids.values()];
      const legend = () => genres.colors(points, MAP_CATEGORIES, MAP_OTHER).categories;
      expect(legend()).toContainEqual({ name: 'techno', tracks: 3 });
      const techno = ids.get('techno-2.flac')!;
      expect(sleeveHere(homeDir, ['set', `id:${techno}`, 'genre=Ambient-Pad', '-y']).status).toBe(0);
      expect(genres.update(db)).toBe(1);
      // Folded with the others of its value, named as first seen.
      expect(legend()).toContainEqual({ name: 'techno', tracks: 2 });
      expect(legend()).toContainEqual({ name: 'ambient-pad', tracks: 4 });
      const map = await client.call('map.points', { color: 'genre' });
      expect(map.categories).toContainEqual({ name: 'ambient-pad', tracks: 4 });
      expect(sleeveHere(homeDir, ['undo']).status).toBe(0);
      expect(genres.update(db)).toBe(1);
      expect(legend()).toContainEqual({ name: 'techno', tracks: 3 });
      expect((await client.call('map.points', { color: 'genre' })).categories).toContainEqual({
        name: 'techno',
        tracks: 3,
      });
    } finally {
      db.close();
    }
  });

  it('previews template paths and reports a bad template with its position', async () => {
    const status = await client.call('mount.status', {});
    expect(status.defaultTemplate).toBe(DEFAULT_TEMPLATE);
    expect(status.mounts).toEqual([]);
    const id = ids.get('breakbeat-2.flac')!;
    const preview = await client.call('mount.preview', {
      template: '%upper{$genre}/$artist - $title',
      ids: [id],
    });
    expect(preview.paths).toEqual([{ id, path: 'BREAKBEAT/breakbeat artist - breakbeat-2.flac' }]);
    // The file's properties, as `ls -f` and queries name them; the bitrate in kbps, a plain number.
    const properties = await client.call('mount.preview', {
      template: '$title ($format $bitrate kbps)',
      ids: [id],
    });
    expect(properties.paths[0]!.path).toMatch(/^breakbeat-2 \(flac \d+ kbps\)\.flac$/);
    const bad = await failure(client.call('mount.preview', { template: '$title %left{$album', ids: [id] }));
    expect(bad.code).toBe('bad_request');
    expect(bad.position?.start).toBeGreaterThan(6);
    const relative = await failure(client.call('mount.start', { mountpoint: 'mnt', template: '$title' }));
    expect(relative).toMatchObject({ code: 'bad_request' });
    expect(relative.message).toContain('not an absolute path');
    // Opening a folder is only for this library's mounts.
    const open = await failure(client.call('mount.open', { mountpoint: '/etc' }));
    expect(open).toMatchObject({ code: 'not_found' });
    // Only this library's mounts can be stopped: never the user's other FUSE mounts.
    const stop = await failure(client.call('mount.stop', { mountpoint: '/proc' }));
    expect(stop).toMatchObject({ code: 'not_found' });
    expect(stop.message).toContain("is not one of this library's mounts");
    expect(logged.filter((l) => l.includes('internal error'))).toEqual([]);
  });

  it('never changes the original files', () => {
    expect(hashTree(music)).toEqual(before);
  });
});
