// `sleeve history BATCH`: what one edit changed, track by track and field by field — the value in effect
// before it (an older edit still in effect, else the file's own) and the value it set.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
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
