// `sleeve history BATCH`: what one edit changed, track by track and field by field — the value in effect
// before it (an older edit still in effect, else the file's own) and the value it set.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { applyEdit } from '../../app/core/library/edits.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Changes {
  total: number;
  covers: number;
  changes: Array<{ path: string; key: string; before: string[]; after: string[] }>;
}

describe('sleeve history BATCH', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  const changes = (batch: number) => sleeveHereJson<Changes>(home, ['history', String(batch), '--json']);

  beforeAll(() => {
    makeWav(join(music, 'one.wav'), 300);
    makeWav(join(music, 'two.wav'), 400);
    const before = hashTree(music);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    expect(sleeveHere(home, ['set', 'path:.wav', 'title=First', 'genre=Jazz', '-y']).status).toBe(0); // batch 1
    expect(sleeveHere(home, ['set', 'path:two', 'title=Second', '-y']).status).toBe(0); // batch 2
    expect(hashTree(music)).toEqual(before);
  });

  it('lists each track and field with the value before and after, in path order', () => {
    const first = changes(1);
    expect(first.total).toBe(4);
    expect(first.changes.map((c) => [c.path.slice(music.length + 1), c.key, c.before, c.after])).toEqual([
      ['one.wav', 'genre', [], ['Jazz']],
      ['one.wav', 'title', [], ['First']],
      ['two.wav', 'genre', [], ['Jazz']],
      ['two.wav', 'title', [], ['First']],
    ]);
    // The second edit replaced the first's title: that is its "before".
    expect(changes(2).changes).toEqual([
      expect.objectContaining({ key: 'title', before: ['First'], after: ['Second'] }),
    ]);
    const text = sleeveHere(home, ['history', '2']).stdout;
    expect(text).toBe(
      `Set title to "Second" where path:two\n${join(music, 'two.wav')}\n  title: "First" → "Second"\n`,
    );
  });

  it("says what was in effect before: with the older edit undone, the file's own value", () => {
    expect(sleeveHere(home, ['undo', '1']).status).toBe(0);
    expect(changes(2).changes[0]).toMatchObject({ before: [], after: ['Second'] });
    expect(sleeveHere(home, ['history', '1']).stdout.split('\n')[0]).toContain('[undone]');
  });

  it('refuses a batch that does not exist', () => {
    const r = sleeveHere(home, ['history', '9']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('sleeve: there is no edit batch 9\n');
    expect(sleeveHere(home, ['history', 'x']).status).toBe(2);
  });
});

describe('sleeve history BATCH of a gain the file had none of', () => {
  it('says the measured gain was served before, where it was', () => {
    const dir = tempDir();
    const music = join(dir, 'music');
    const home = join(dir, 'home');
    makeWav(join(music, 'measured.wav'), 440, 3);
    makeWav(join(music, 'own.wav'), 550, 3);
    expect(sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).status).toBe(0);
    // own.wav carries a gain of its own (an edit's), served instead of the measured figures.
    expect(sleeveHere(home, ['set', 'path:own', 'replaygain_track_gain=-3.00 dB', '-y']).status).toBe(0);
    // A tagger stripping every tag through the mount: the mount saves the served gain fields cleared.
    const db = openDatabase(join(home, 'library.db'));
    const id = (name: string) =>
      db.prepare('SELECT id FROM files WHERE path = ?').pluck().get(join(music, name)) as number;
    const cleared = (name: string, key: string, before: string[]) => ({
      fileId: id(name),
      key,
      before,
      after: [],
    });
    applyEdit(
      db,
      [
        cleared('measured.wav', 'replaygain_track_gain', []),
        cleared('measured.wav', 'replaygain_track_peak', []),
        cleared('own.wav', 'replaygain_track_gain', ['-3.00 dB']),
        cleared('own.wav', 'replaygain_track_peak', []),
      ],
      { description: 'written through the mount', origin: 'mount' },
    );
    db.close();
    const lines = sleeveHere(home, ['history', '2']).stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('  '))).toEqual([
      '  replaygain_track_gain: (the measured gain, as served) → (none)',
      '  replaygain_track_peak: (the measured gain, as served) → (none)',
      '  replaygain_track_gain: "-3.00 dB" → (none)',
      '  replaygain_track_peak: (none) → (none)',
    ]);
    const json = sleeveHereJson<{ changes: Array<{ measuredBefore: boolean }> }>(home, [
      'history',
      '2',
      '--json',
    ]);
    expect(json.changes.map((c) => c.measuredBefore)).toEqual([true, true, false, false]);
  });
});
