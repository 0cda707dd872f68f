// The user's word on copies is final: `sleeve dup --split` takes a copy out of its recording and
// `--join` makes two files one recording; both hold through rescans, re-fingerprinting and a rebuilt
// index, are in the history, and one undo takes each back. The Duplicates view's methods do the same.
import { rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { writeCopies } from '../fixtures/copies.ts';
import { sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Listed {
  id: number;
  path: string;
}
interface Group {
  members: Array<{ id: number; path: string }>;
}

const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** A library of recording A four times (amber.flac/.mp3/.ogg and amber-end.flac, its last 40 s) and
 *  recording B once (bronze.wav), scanned; the files' ids by name. */
function scannedCopies(lib: string, home: string): Map<string, number> {
  writeCopies(lib, 'amber', 'bronze');
  const scan = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', lib]);
  expect(scan.status, scan.stderr).toBe(0);
  return new Map(
    sleeveHereJson<Listed[]>(home, ['ls', '--json', '--all-copies']).map((t) => [name(t.path), t.id]),
  );
}

describe('sleeve dup --split / --join', () => {
  const lib = tempDir();
  const home = tempDir();
  let ids: Map<string, number>;
  const id = (n: string) => String(ids.get(n)!);

  beforeAll(() => {
    ids = scannedCopies(lib, home);
    expect(ids.size).toBe(5);
  }, 120_000);
  afterAll(() => rmSync(lib, { recursive: true, force: true }));

  const listed = () => sleeveHere(home, ['ls', '-f', '$path']).stdout.trim().split('\n').map(name).sort();
  const groups = () =>
    sleeveHereJson<Group[]>(home, ['dup', '--json']).map((g) => g.members.map((m) => name(m.path)).sort());
  const ok = (args: string[]) => {
    const r = sleeveHere(home, args);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  const rescan = () => ok(['scan', '--no-embeddings', '--no-loudness', lib]);

  it('refuses an unknown id, a file without copies, a file joined with itself and files already one recording', () => {
    const fails = (args: string[], message: string) => {
      const r = sleeveHere(home, args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(message);
    };
    fails(['dup', '--split', '999'], 'there is no track 999');
    fails(['dup', '--split', id('bronze.wav')], `track ${id('bronze.wav')} has no copies to split it from`);
    fails(
      ['dup', '--join', id('amber.flac'), id('amber.flac')],
      `cannot join track ${id('amber.flac')} with itself`,
    );
    fails(
      ['dup', '--join', id('amber.flac'), id('amber.ogg')],
      `tracks ${id('amber.flac')} and ${id('amber.ogg')} are already one recording`,
    );
    fails(['dup', '--join', id('amber.flac'), '999'], 'there is no track 999');
    expect(sleeveHere(home, ['dup', '--join', id('amber.flac')]).status).toBe(2);
    expect(sleeveHere(home, ['history']).stdout).not.toContain('recording');
  });

  it('a split copy is listed on its own, stays apart through a rescan, re-fingerprinting and a rebuilt index, and undo brings it back', () => {
    expect(listed()).toEqual(['amber.flac', 'bronze.wav']);
    expect(ok(['dup', '--split', id('amber.mp3')])).toContain(
      'Split amber.mp3 from its 3 copies: not the same recording',
    );
    const apart = [['amber-end.flac', 'amber.flac', 'amber.ogg']];
    expect(listed()).toEqual(['amber.flac', 'amber.mp3', 'bronze.wav']);
    expect(groups()).toEqual(apart);
    expect(sleeveHere(home, ['history']).stdout).toContain('Split amber.mp3 from its 3 copies');

    rescan();
    expect(groups()).toEqual(apart);
    // A new mtime: the file is read and fingerprinted again, so it leaves its group and is grouped anew.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(lib, 'amber.mp3'), later, later);
    rescan();
    expect(groups()).toEqual(apart);
    // No index: every group is worked out again from the fingerprints.
    rmSync(join(home, 'indexes'), { recursive: true, force: true });
    rescan();
    expect(groups()).toEqual(apart);
    expect(listed()).toEqual(['amber.flac', 'amber.mp3', 'bronze.wav']);

    expect(ok(['undo'])).toContain('Split amber.mp3');
    expect(groups()).toEqual([['amber-end.flac', 'amber.flac', 'amber.mp3', 'amber.ogg']]);
    expect(listed()).toEqual(['amber.flac', 'bronze.wav']);
    ok(['redo']);
    expect(groups()).toEqual(apart);
    ok(['undo']);
    expect(groups()).toHaveLength(1);
  });

  it('two different pieces joined are one recording through rescans, and undo separates them', () => {
    expect(ok(['dup', '--join', id('amber.flac'), id('bronze.wav')])).toContain(
      'Joined amber.flac and bronze.wav as one recording',
    );
    const joined = [['amber-end.flac', 'amber.flac', 'amber.mp3', 'amber.ogg', 'bronze.wav']];
    expect(groups()).toEqual(joined);
    expect(listed()).toHaveLength(1); // one recording: its kept copy (the WAV ranks first)
    const later = new Date(Date.now() + 120_000);
    utimesSync(join(lib, 'bronze.wav'), later, later);
    rescan();
    expect(groups()).toEqual(joined);
    rmSync(join(home, 'indexes'), { recursive: true, force: true });
    rescan();
    expect(groups()).toEqual(joined);

    ok(['undo']);
    expect(groups()).toEqual([['amber-end.flac', 'amber.flac', 'amber.mp3', 'amber.ogg']]);
    expect(listed()).toEqual(['amber.flac', 'bronze.wav']);
  });

  it('joining a copy the user split out overrules the split, and undo splits it again', () => {
    ok(['dup', '--split', id('amber.ogg')]);
    expect(listed()).toEqual(['amber.flac', 'amber.ogg', 'bronze.wav']);
    ok(['dup', '--join', id('amber.ogg'), id('amber.mp3')]);
    expect(groups()).toEqual([['amber-end.flac', 'amber.flac', 'amber.mp3', 'amber.ogg']]);
    ok(['undo']);
    expect(listed()).toEqual(['amber.flac', 'amber.ogg', 'bronze.wav']);
  });
});

describe('the Duplicates view: split a copy out, join two tracks', () => {
  const lib = tempDir();
  const home = tempDir();
  let ids: Map<string, number>;
  let backend: TestBackend;
  let client: RpcClient;

  beforeAll(async () => {
    ids = scannedCopies(lib, home);
    backend = await startBackend(home, tempDir(), { watchMs: 50 });
    client = backend.connect();
  }, 120_000);
  afterAll(async () => {
    client?.close();
    await backend?.close();
    rmSync(lib, { recursive: true, force: true });
  });

  const onePerRecording = async () =>
    (
      await client.call('library.page', {
        query: '',
        sort: null,
        offset: 0,
        limit: 50,
        onePerRecording: true,
      })
    ).rows
      .map((r) => name(r.path))
      .sort();

  it('splits a member out and joins two tracks, each one undoable batch; bad requests get clear errors', async () => {
    const split = await client.call('dup.split', { id: ids.get('amber.ogg')! });
    expect(split.batch.description).toBe('Split amber.ogg from its 3 copies: not the same recording');
    expect(await onePerRecording()).toEqual(['amber.flac', 'amber.ogg', 'bronze.wav']);
    const { groups } = await client.call('dup.groups', { filter: 'all', offset: 0, limit: 10 });
    expect(groups.map((g) => g.members.map((m) => name(m.path)).sort())).toEqual([
      ['amber-end.flac', 'amber.flac', 'amber.mp3'],
    ]);

    const join = await client.call('dup.join', { ids: [ids.get('amber.ogg')!, ids.get('bronze.wav')!] });
    expect(join.batch.description).toBe('Joined amber.ogg and bronze.wav as one recording');
    // amber.ogg and bronze.wav are one recording now, listed once (by its kept copy, the WAV).
    expect(await onePerRecording()).toEqual(['amber.flac', 'bronze.wav']);

    await client.call('history.undo', {});
    expect(await onePerRecording()).toEqual(['amber.flac', 'amber.ogg', 'bronze.wav']);
    await client.call('history.undo', {});
    expect(await onePerRecording()).toEqual(['amber.flac', 'bronze.wav']);

    await expect(client.call('dup.split', { id: ids.get('bronze.wav')! })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('has no copies to split it from'),
    });
    await expect(
      client.call('dup.join', { ids: [ids.get('amber.flac')!, ids.get('amber.mp3')!] }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already one recording') });
  });
});
