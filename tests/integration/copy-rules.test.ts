// The user's rules for which copy is kept: shown before they are made, then made with -y; the edits on a
// copy kept until then go with the switch as one undoable batch; a folder's rule, a format's, "first"; the
// rules a later rule does not name keep Sleeve's order; bad rules refused with why; originals untouched.
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { copyRules, parseRule, ruleText, setCopyRules } from '../../app/core/library/copy-rules.ts';
import { writeCopies } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Group {
  members: Array<{ id: number; path: string; best: boolean; why: string }>;
}

describe('copy rules', () => {
  const music = tempDir();
  const home = tempDir();
  let before: Map<string, string>;
  const kept = () =>
    sleeveHereJson<Group[]>(home, ['dup', '--json'])
      .map((g) => g.members.find((m) => m.best)!)
      .map((m) => m.path.slice(music.length + 1));
  const comment = (name: string) =>
    sleeveHere(home, ['ls', '--all-copies', '-f', '$comment', `path:${name}`]).stdout.trim();

  beforeAll(() => {
    writeCopies(join(music, 'a'), 'heroes', 'other');
    mkdirSync(join(music, 'b'));
    // The MP3 in a folder of its own, for a folder's rule.
    renameSync(join(music, 'a', 'heroes.mp3'), join(music, 'b', 'heroes.mp3'));
    before = hashTree(music);
    // The MP3 found first, the rest of the copies a scan later.
    expect(sleeveHere(home, ['scan', '--no-embeddings', join(music, 'b')]).status).toBe(0);
    expect(sleeveHere(home, ['scan', '--no-embeddings', music]).status).toBe(0);
    expect(kept()).toEqual(['a/heroes.flac']);
    expect(sleeveHere(home, ['set', 'path:heroes.flac', 'comment=first pressing', '-y']).status).toBe(0);
  }, 120_000);

  it('shows what a rule would change, the edits that would go with it, and changes nothing', () => {
    const shown = sleeveHere(home, ['dup', '--rule', 'format:vorbis']);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(
      /^recording \d+ would keep track \d+ instead of \d+, your edits of comment carried with it\nnothing changed yet/,
    );
    expect(kept()).toEqual(['a/heroes.flac']);
    expect(sleeveHere(home, ['dup', '--rules']).stdout).toMatch(/^no copy rules/);
  });

  it('keeps the copy the rule names, carries the edits to it, and undoes the carrying', () => {
    const made = sleeveHere(home, ['dup', '--rule', 'format:vorbis', '-y']);
    expect(made.stdout).toMatch(/keeps track \d+ instead of \d+, your edits of comment carried/);
    expect(kept()).toEqual(['a/heroes.ogg']);
    expect(comment('heroes.ogg')).toBe('first pressing');
    const why = sleeveHereJson<Group[]>(home, ['dup', '--json'])[0]!.members.find((m) => m.best)!.why;
    expect(why).toBe('your rule: Vorbis copies first');
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(comment('heroes.ogg')).toBe('');
    expect(kept()).toEqual(['a/heroes.ogg']); // the rule stands; only the carried edit was undone
  });

  it('puts a folder first, then lets later rules and Sleeve decide within it', () => {
    expect(
      sleeveHere(home, ['dup', '--rule', `folder:${join(music, 'b')}/`, '--rule', 'first', '-y']).status,
    ).toBe(0);
    expect(sleeveHereJson<string[]>(home, ['dup', '--rules', '--json'])).toEqual([
      `folder:${join(music, 'b')}`,
      'first',
    ]);
    expect(kept()).toEqual(['b/heroes.mp3']);
    // A folder that holds none of them: "first" keeps the copy the library had first, the MP3.
    expect(
      sleeveHere(home, ['dup', '--rule', `folder:${join(music, 'c')}`, '--rule', 'first', '-y']).status,
    ).toBe(0);
    expect(kept()).toEqual(['b/heroes.mp3']);
    expect(sleeveHere(home, ['dup', '--clear-rules', '-y']).status).toBe(0);
    expect(kept()).toEqual(['a/heroes.flac']);
  });

  it('applies only what was shown: a change since refuses, and nothing is set', () => {
    const db = openDatabase(join(home, 'library.db'));
    try {
      const rules = [parseRule('format:mp3')];
      const shown = setCopyRules(db, rules, { apply: false, origin: 'cli' });
      expect(shown.changes).toHaveLength(1);
      // What the user saw is not what the rules would do now (a scan moved a copy in between).
      const stale = [{ ...shown.changes[0]!, to: shown.changes[0]!.from }];
      expect(() => setCopyRules(db, rules, { apply: true, origin: 'cli', shown: stale })).toThrow(
        /changed since they were shown/,
      );
      expect(copyRules(db)).toEqual([]);
      setCopyRules(db, rules, { apply: true, origin: 'cli', shown: shown.changes });
      expect(copyRules(db).map(ruleText)).toEqual(['format:mp3']);
      setCopyRules(db, [], { apply: true, origin: 'cli' });
    } finally {
      db.close();
    }
  });

  it('says a rule that moves no copy now is not set without -y, and what clearing would do', () => {
    expect(sleeveHere(home, ['dup', '--rule', 'format:wavpack']).stdout).toBe(
      'no recording would keep another copy by these rules\nnothing changed yet: run it again with -y to set these rules\n',
    );
    expect(sleeveHere(home, ['dup', '--rules']).stdout).toMatch(/^no copy rules/);
    // No rules to clear: nothing to say but what holds.
    expect(sleeveHere(home, ['dup', '--clear-rules']).stdout).toBe(
      'no recording would keep another copy without rules\n',
    );
    expect(sleeveHere(home, ['dup', '--rule', 'format:wavpack', '-y']).stdout).toBe(
      'no recording keeps another copy by these rules\ncopy rules: format:wavpack\n',
    );
    expect(sleeveHere(home, ['dup', '--clear-rules']).stdout).toBe(
      'no recording would keep another copy without rules\nnothing changed yet: run it again with -y to clear the rules\n',
    );
    expect(sleeveHere(home, ['dup', '--clear-rules', '-y']).stdout).toMatch(/copy rules cleared/);
  });

  it('refuses a rule it cannot read, saying why', () => {
    for (const [rule, why] of [
      ['format:wma', /format:wma: not a format Sleeve reads/],
      ['folder:music', /a folder is an absolute path/],
      ['loudest', /is no copy rule: folder:PATH, format:NAME or first/],
    ] as const) {
      const r = sleeveHere(home, ['dup', '--rule', rule]);
      expect(r.status, rule).not.toBe(0);
      expect(r.stderr, rule).toMatch(why);
    }
  });

  it("says that the copy it would keep keeps its own newer edits, the other copy's older ones not carried", () => {
    expect(sleeveHere(home, ['set', 'path:heroes.ogg', 'comment=its own', '-y']).status).toBe(0);
    const newer =
      /recording \d+ (would keep|keeps) track (\d+) instead of (\d+); track \2's own newer edits of comment (would stay|kept) \(track \3's older ones not carried\)/;
    expect(sleeveHere(home, ['dup', '--rule', 'format:vorbis']).stdout).toMatch(newer);
    const made = sleeveHere(home, ['dup', '--rule', 'format:vorbis', '-y']).stdout;
    expect(made).toMatch(newer);
    expect(made).toMatch(/ keeps .* kept \(/);
    expect(comment('heroes.ogg')).toBe('its own');
    expect(sleeveHere(home, ['dup', '--clear-rules', '-y']).status).toBe(0);
  });

  it('never writes the originals', () => {
    expect(hashTree(music)).toEqual(before);
  });
});
