// Recordings as a view of the library: the track list (RPC and `sleeve ls`) shows one file per recording
// (its kept copy) unless asked for every copy, follows a new choice of copy, and the tag editor's summary
// says what an edit to the recordings would reach; such an edit reaches every copy and one undo reverts it.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { writeCopies } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Listed {
  id: number;
  path: string;
  tags: Record<string, string[]>;
}

const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);

describe('one file per recording', () => {
  const lib = tempDir();
  const home = tempDir();
  let before: Map<string, string>;
  let backend: TestBackend;
  let client: RpcClient;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    // Recording A four times (FLAC, MP3, Ogg Vorbis, and a FLAC of its last 30 s), recording B once.
    writeCopies(lib, 'amber', 'bronze');
    before = hashTree(lib);
    const scan = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', lib]);
    expect(scan.status, scan.stderr).toBe(0);
    for (const t of sleeveHereJson<Listed[]>(home, ['ls', '--json', '--all-copies']))
      ids.set(name(t.path), t.id);
    expect(ids.size).toBe(5);
    backend = await startBackend(home, tempDir(), { watchMs: 50 });
    client = backend.connect();
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await backend?.close();
    rmSync(lib, { recursive: true, force: true });
  });

  const page = async (onePerRecording?: boolean) => {
    const r = await client.call('library.page', {
      query: '',
      sort: null,
      offset: 0,
      limit: 50,
      ...(onePerRecording === undefined ? {} : { onePerRecording }),
    });
    return { total: r.total, names: r.rows.map((row) => name(row.path)).sort() };
  };

  it('`sleeve ls` lists the kept copy of each recording, says how many copies it left out, and --all-copies lists all', () => {
    const r = sleeveHere(home, ['ls', '-f', '$path']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map(name).sort()).toEqual(['amber.flac', 'bronze.wav']);
    expect(r.stderr).toBe('3 other copies of these recordings not listed (--all-copies lists every file)\n');
    const all = sleeveHere(home, ['ls', '--all-copies', '-f', '$path']);
    expect(all.stdout.trim().split('\n')).toHaveLength(5);
    expect(all.stderr).toBe('');
    // A query that matches no other copy says nothing.
    expect(sleeveHere(home, ['ls', 'path:bronze.wav']).stderr).toBe('');
  });

  it('the track list over RPC: every file by default, one per recording when asked, counted alike', async () => {
    expect(await page()).toEqual({
      total: 5,
      names: ['amber-end.flac', 'amber.flac', 'amber.mp3', 'amber.ogg', 'bronze.wav'],
    });
    expect(await page(true)).toEqual({ total: 2, names: ['amber.flac', 'bronze.wav'] });
    expect(await client.call('library.count', { query: 'path:amber', onePerRecording: true })).toEqual({
      total: 1,
    });
    expect(await client.call('library.count', { query: 'path:amber' })).toEqual({ total: 4 });
    const r = await client.call('library.ids', {
      query: '',
      sort: { field: 'path', descending: true },
      offset: 0,
      limit: 10,
      onePerRecording: true,
    });
    expect(r.ids).toEqual([ids.get('bronze.wav'), ids.get('amber.flac')]);
  });

  it('follows the copy the user keeps, and falls back to every other copy', async () => {
    await client.call('dup.prefer', { id: ids.get('amber.ogg')!, prefer: true });
    expect((await page(true)).names).toEqual(['amber.ogg', 'bronze.wav']);
    expect(sleeveHere(home, ['ls', '-f', '$path']).stdout.trim().split('\n').map(name).sort()).toEqual([
      'amber.ogg',
      'bronze.wav',
    ]);
    await client.call('dup.prefer', { id: ids.get('amber.ogg')!, prefer: false });
    expect((await page(true)).names).toEqual(['amber.flac', 'bronze.wav']);
  });

  it("the editor's summary says whether the selection holds kept copies (and copies players do not get) and how many others an edit could reach", async () => {
    const summary = (target: Parameters<typeof client.call<'tags.summary'>>[1]['target']) =>
      client.call('tags.summary', { target }).then((s) => s.copies);
    expect(await summary({ kind: 'ids', ids: [ids.get('amber.flac')!] })).toEqual({
      kept: 1,
      notKept: 0,
      others: 3,
    });
    expect(await summary({ kind: 'ids', ids: [ids.get('amber.mp3')!] })).toEqual({
      kept: 0,
      notKept: 1,
      others: 3,
    });
    expect(await summary({ kind: 'ids', ids: [ids.get('amber.mp3')!, ids.get('amber.ogg')!] })).toEqual({
      kept: 0,
      notKept: 1,
      others: 2,
    });
    expect(await summary({ kind: 'ids', ids: [ids.get('bronze.wav')!] })).toEqual({
      kept: 0,
      notKept: 0,
      others: 0,
    });
    // Select-all in the one-per-recording list: the kept copy and B; the three others are outside it.
    expect(await summary({ kind: 'query', query: '', except: [], onePerRecording: true })).toEqual({
      kept: 1,
      notKept: 0,
      others: 3,
    });
    // Every file: the kept copy is among them, so every edit reaches players.
    expect(await summary({ kind: 'query', query: '', except: [] })).toEqual({
      kept: 1,
      notKept: 0,
      others: 0,
    });
  });

  it('an edit to the recordings reaches every copy, an edit to the file only that file, and undo reverts each', async () => {
    const composer = () =>
      new Map(
        sleeveHereJson<Listed[]>(home, ['ls', '--json', '--all-copies']).map((t) => [
          name(t.path),
          t.tags.composer?.[0],
        ]),
      );
    const preview = async (target: Parameters<typeof client.call<'tags.summary'>>[1]['target']) =>
      (await client.call('tags.summary', { target })).preview;
    const recordings = await preview({
      kind: 'query',
      query: 'path:amber',
      except: [],
      onePerRecording: true,
    });
    const listed = await client.call('tags.copies', {
      preview: recordings,
      keys: ['composer'],
      offset: 0,
      limit: 50,
    });
    expect(listed.total).toBe(3);
    expect(listed.copies.map((c) => [name(c.path), c.partial]).sort()).toEqual([
      ['amber-end.flac', true],
      ['amber.mp3', false],
      ['amber.ogg', false],
    ]);
    const edited = await client.call('tags.edit', {
      preview: recordings,
      changes: [{ key: 'composer', values: ['Daniel Roux'], loadedFrom: recordings }],
      copies: listed.copies.map((c) => c.id),
    });
    expect(edited.changedTracks).toBe(4);
    expect(edited.batch!.description).toContain('and 3 copies');
    expect(
      [...composer().entries()]
        .filter(([, c]) => c === 'Daniel Roux')
        .map(([n]) => n)
        .sort(),
    ).toEqual(['amber-end.flac', 'amber.flac', 'amber.mp3', 'amber.ogg']);
    await client.call('history.undo', { batchId: edited.batch!.id });
    expect([...composer().values()].filter(Boolean)).toEqual([]);

    const mp3 = await preview({ kind: 'ids', ids: [ids.get('amber.mp3')!] });
    // A copy of another selection is refused, not written.
    await expect(
      client.call('tags.edit', {
        preview: mp3,
        changes: [{ key: 'composer', values: ['x'], loadedFrom: mp3 }],
        copies: [ids.get('bronze.wav')!],
      }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/is not a present copy/) });
    const one = await client.call('tags.edit', {
      preview: mp3,
      changes: [{ key: 'composer', values: ['Only the MP3'], loadedFrom: mp3 }],
    });
    expect(one.changedTracks).toBe(1);
    expect([...composer().entries()].filter(([, c]) => c)).toEqual([['amber.mp3', 'Only the MP3']]);
    // A recording found only through a copy it does not keep is still listed, as that copy.
    expect(
      sleeveHere(home, ['ls', '-f', '$path', 'composer:only']).stdout.trim().split('\n').map(name),
    ).toEqual(['amber.mp3']);
    expect(await client.call('library.count', { query: 'composer:only', onePerRecording: true })).toEqual({
      total: 1,
    });
    await client.call('history.undo', { batchId: one.batch!.id });
  });

  it('says a copy preferred keeps its own newer edits when nothing of the copy kept before is carried', async () => {
    const [flac, mp3] = [ids.get('amber.flac')!, ids.get('amber.mp3')!]; // the FLAC is kept (above)
    expect(sleeveHere(home, ['set', `id:${flac}`, 'mood=Older', '-y']).status).toBe(0);
    expect(sleeveHere(home, ['set', `id:${mp3}`, 'mood=Newer', '-y']).status).toBe(0);
    const r = await client.call('dup.prefer', { id: mp3, prefer: true });
    // Nothing carried: the Keep alone, with what it left.
    expect(r.batch?.description).toBe('Kept the MP3 copy of “amber.mp3”; its own newer mood kept');
    expect(r.keptNewer).toEqual(['mood']);
  });

  it('says, keeping a part of a recording from the shell, that players get only that part', () => {
    const part = ids.get('amber-end.flac')!;
    const r = sleeveHere(home, ['dup', '--prefer', String(part)]);
    expect(r.stderr).toMatch(
      new RegExp(
        `^track ${part} holds \\d+:\\d\\d of the recording's \\d+:\\d\\d \\(from \\d+:\\d\\d\\): players get only that part; sleeve dup --unprefer ${part} goes back`,
      ),
    );
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('never writes the originals', () => {
    expect(hashTree(lib)).toEqual(before);
  });
});
