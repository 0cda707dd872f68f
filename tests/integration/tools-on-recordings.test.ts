// Tools follow what the user sees: `sleeve tool` works on the recordings the query lists (the kept copy of
// each, as `sleeve ls` shows them), says how many other copies it leaves, and with --copies reaches them
// too; numbering counts recordings, so an album held as FLAC and MP3 is numbered 1–4, not 1–8, and each
// copy takes its recording's number. The original files are never written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { writeTwoFormatAlbum } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';

const TITLES = ['Harbour Lights', 'Kestrel', 'Low Tide', 'Paper Moon'];
const QUERY = 'album:"Pushover Themes"';

describe('tools on recordings', () => {
  const lib = tempDir();
  const home = tempDir();
  let before: Map<string, string>;
  /** Every copy, by format folder and name: its track number / total. */
  const numbers = () =>
    sleeveHere(home, ['ls', '--all-copies', QUERY, '-f', '$path $tracknumber/$totaltracks'])
      .stdout.trim()
      .split('\n')
      .map((line) => line.slice(lib.length + 1))
      .sort();

  beforeAll(() => {
    writeTwoFormatAlbum(lib, 'Ada North', 'Pushover Themes', TITLES);
    before = hashTree(lib);
    const scan = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', lib]);
    expect(scan.status, scan.stderr).toBe(0);
    // Four recordings, each held twice: ls lists the kept copy of each (the FLAC).
    expect(sleeveHere(home, ['ls', QUERY, '-f', '$path']).stdout.trim().split('\n')).toHaveLength(4);
  }, 120_000);

  it('numbers the recordings the query lists, 1–4 of 4, and leaves their other copies', () => {
    const r = sleeveHere(home, ['tool', 'number', QUERY, '--totals', '-y']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('4 file(s) will change');
    expect(r.stdout).toContain(
      '4 other copies of these recordings left as they are (--copies changes them too)',
    );
    expect(numbers()).toEqual([
      'FLAC/1 Harbour Lights.flac 1/4',
      'FLAC/2 Kestrel.flac 2/4',
      'FLAC/3 Low Tide.flac 3/4',
      'FLAC/4 Paper Moon.flac 4/4',
      'MP3/1 Harbour Lights.mp3 /',
      'MP3/2 Kestrel.mp3 /',
      'MP3/3 Low Tide.mp3 /',
      'MP3/4 Paper Moon.mp3 /',
    ]);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('with --copies, gives every copy of recording k the number k', () => {
    const r = sleeveHere(home, ['tool', 'number', QUERY, '--totals', '--copies', '-y']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('4 recording(s) match; with their other copies: 8 file(s)');
    expect(numbers()).toEqual([
      'FLAC/1 Harbour Lights.flac 1/4',
      'FLAC/2 Kestrel.flac 2/4',
      'FLAC/3 Low Tide.flac 3/4',
      'FLAC/4 Paper Moon.flac 4/4',
      'MP3/1 Harbour Lights.mp3 1/4',
      'MP3/2 Kestrel.mp3 2/4',
      'MP3/3 Low Tide.mp3 3/4',
      'MP3/4 Paper Moon.mp3 4/4',
    ]);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  describe('in the app', () => {
    let backend: TestBackend;
    let client: RpcClient;
    beforeAll(async () => {
      backend = await startBackend(home, tempDir(), { watchMs: 50 });
      client = backend.connect();
    });
    afterAll(async () => {
      client?.close();
      await backend?.close();
    });

    it('numbers the recordings listed, and with "and their other copies" each copy as its recording', async () => {
      const target = { kind: 'query' as const, query: QUERY, except: [], onePerRecording: true };
      const tool = { kind: 'number' as const, perDisc: false, totals: true };
      const listed = await client.call('tools.plan', { target, sort: null, tool });
      expect([listed.files, listed.otherCopies]).toEqual([4, 4]);
      const every = await client.call('tools.plan', { target, sort: null, tool, copies: true });
      expect([every.files, every.otherCopies]).toEqual([8, 0]);
      const saved = await client.call('tools.apply', { preview: every.preview });
      expect(saved.changedTracks).toBe(8);
      expect(numbers()).toEqual([
        'FLAC/1 Harbour Lights.flac 1/4',
        'FLAC/2 Kestrel.flac 2/4',
        'FLAC/3 Low Tide.flac 3/4',
        'FLAC/4 Paper Moon.flac 4/4',
        'MP3/1 Harbour Lights.mp3 1/4',
        'MP3/2 Kestrel.mp3 2/4',
        'MP3/3 Low Tide.mp3 3/4',
        'MP3/4 Paper Moon.mp3 4/4',
      ]);
      await client.call('history.undo', { batchId: saved.batch!.id });
    });
  });

  it('never writes the originals', () => {
    expect(hashTree(lib)).toEqual(before);
  });
});
