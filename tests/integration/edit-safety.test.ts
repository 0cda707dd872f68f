// An edit reaches exactly the files the user meant: numeric fields match as numbers (id:1 is track 1, not
// 10–19), and an edit wider than a few albums, or of the whole library, needs --yes-all even with -y.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WIDE_EDIT_FILES } from '../../app/cli/confirm-edit.ts';
import { makeWav } from '../fixtures/library.ts';
import { copyFixtures, hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Item {
  id: number;
  path: string;
  tags: Record<string, string[]>;
}

const ids = (items: readonly Item[]) => items.map((i) => i.id);

describe('numeric fields match numbers, not substrings', () => {
  let home: string;
  let all: Item[];

  beforeAll(() => {
    home = join(tempDir(), 'home');
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', copyFixtures()]).status).toBe(0);
    all = sleeveHereJson<Item[]>(home, ['ls', '--json']);
    expect(all.length).toBeGreaterThan(10);
  });

  it('id:1 lists track 1 only, and set id:1 edits one file', () => {
    expect(ids(sleeveHereJson<Item[]>(home, ['ls', 'id:1', '--json']))).toEqual([1]);
    const set = sleeveHere(home, ['set', 'id:1', 'comment=only one', '-y']);
    expect(set.status).toBe(0);
    expect(set.stdout).toContain('1 file(s) will change');
    expect(ids(sleeveHereJson<Item[]>(home, ['ls', 'comment:"only one"', '--json']))).toEqual([1]);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('tracknumber:1 is track one, not 10–19; a decimal matches to the precision typed', () => {
    const ones = sleeveHereJson<Item[]>(home, ['ls', 'tracknumber:1', '--json']);
    expect(ones.length).toBeGreaterThan(0);
    for (const item of ones) expect(item.tags.tracknumber).toEqual(['1']);
    const fromFiles = all.filter((i) => i.tags.tracknumber?.[0] === '1');
    expect(ids(ones).sort()).toEqual(ids(fromFiles).sort());
    // Durations of the fixture files are about 1 s: duration:1 is 1 ≤ d < 2, duration:1.0 is 1 ≤ d < 1.1.
    const seconds = sleeveHereJson<Item[]>(home, ['ls', 'duration:1', '--json']);
    expect(seconds.length).toBeGreaterThan(0);
    expect(sleeveHereJson<Item[]>(home, ['ls', 'duration:9', '--json'])).toEqual([]);
  });

  it('a number field given text is a usage error with its position', () => {
    const r = sleeveHere(home, ['ls', 'id:one']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('id is a number: write id:5, a range id:1..9');
    expect(r.stderr).toContain('(at column 4)');
  });
});

describe('wide edits', () => {
  let home: string;
  let music: string;

  beforeAll(() => {
    music = join(tempDir(), 'many');
    mkdirSync(music);
    const tone = join(music, 'tone.wav');
    makeWav(tone, 440, 0.5);
    for (let i = 0; i <= WIDE_EDIT_FILES; i++) copyFileSync(tone, join(music, `copy ${i}.wav`));
    home = join(tempDir(), 'home');
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
  }, 120_000);

  it('an edit of more files than the limit is refused with -y and made with --yes-all', () => {
    const before = hashTree(music);
    const refused = sleeveHere(home, ['set', 'path:copy', 'genre=Tone', '-y']);
    expect(refused.status).toBe(1);
    const wide = WIDE_EDIT_FILES + 1;
    expect(refused.stdout).toContain(`${wide} file(s) will change`);
    expect(refused.stderr).toContain(`it changes ${wide} files (more than ${WIDE_EDIT_FILES})`);
    expect(sleeveHereJson<Item[]>(home, ['ls', 'genre:tone', '--json'])).toEqual([]);

    const made = sleeveHere(home, ['set', 'path:copy', 'genre=Tone', '--yes-all']);
    expect(made.status).toBe(0);
    expect(sleeveHereJson<Item[]>(home, ['ls', 'genre:tone', '--json'])).toHaveLength(WIDE_EDIT_FILES + 1);
    expect(hashTree(music)).toEqual(before);
  });

  it('an edit without a query is wide whatever its size', () => {
    const r = sleeveHere(home, ['set', 'comment=everything', '-y']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no query, so it edits every track in the library \(\d+ files\).*--yes-all/);
    expect(sleeveHereJson<Item[]>(home, ['ls', 'comment:everything', '--json'])).toEqual([]);
  });
});
