// `sleeve tool` as a user fixing a badly tagged folder: titles and numbers from the file names, title case,
// a find & replace with groups — each shown as a diff, saved as one undoable (and redoable) batch named in
// words in the history — and the errors for a bad tool, option or expression; the files on disk never written.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '../fixtures/backend.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';
import { PY } from '../mount-helpers.ts';

const PICARD_NAMER = new URL('../fixtures/picard-name.py', import.meta.url).pathname;

describe('sleeve tool', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let before: Map<string, string>;
  /** What ls shows before any edit (an untagged file's title is its name). */
  let initial: string[];
  const listed = () =>
    sleeveHere(home, ['ls', 'path:messy', '-f', '$tracknumber|$title|$artist']).stdout.trim().split('\n');

  beforeAll(() => {
    const names = [
      '01 - the sound of the city',
      '02 - a song to sing along to',
      '10 - live at the BBC (feat. mira)',
    ];
    for (const [i, n] of names.entries()) makeWav(join(music, 'messy', `${n}.wav`), 300 + 100 * i);
    before = hashTree(music);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    initial = listed();
  });

  it('takes titles and numbers from the file names, shown first, saved once confirmed', () => {
    const shown = sleeveHere(home, [
      'tool',
      'from-path',
      'path:messy',
      '--pattern',
      '%tracknumber% - %title%',
    ]);
    expect(shown.status).toBe(1); // not confirmed: nothing saved
    expect(shown.stdout).toContain('  tracknumber: (none) → "10"');
    expect(shown.stderr).toContain('not changing anything without confirmation: pass -y');
    const saved = sleeveHere(home, [
      'tool',
      'from-path',
      'path:messy',
      '--pattern',
      '%tracknumber% - %title%',
      '-y',
    ]);
    expect(saved.stdout).toMatch(/saved as edit batch \d+ \(3 file\(s\)\)/);
    expect(listed()).toEqual([
      '1|the sound of the city|',
      '2|a song to sing along to|',
      '10|live at the BBC (feat. mira)|',
    ]);
  });

  it('title-cases, numbers by order and moves a featured artist out with a regex, each undoable', () => {
    expect(
      sleeveHere(home, ['tool', 'case', 'path:messy', '--mode', 'title', '--field', 'title', '-y']).status,
    ).toBe(0);
    expect(sleeveHere(home, ['tool', 'number', 'path:messy', '--totals', '-y']).status).toBe(0);
    const regex = sleeveHere(home, [
      'tool',
      'replace',
      'path:messy',
      '--regex',
      '--ignore-case',
      '--field',
      'title',
      '--find',
      '^(.*) \\(feat\\. (.*)\\)$',
      '--with',
      '$1',
      '-y',
    ]);
    expect(regex.status, regex.stderr).toBe(0);
    expect(listed()).toEqual([
      '1|The Sound of the City|',
      '2|A Song to Sing Along To|',
      '3|Live at the BBC|',
    ]);
    const history = sleeveHere(home, ['history']).stdout;
    expect(history).toContain('Title case for title on 3 tracks');
    expect(history).toContain('Number the tracks, with totals on 3 tracks');
    expect(history).toContain(
      'Replace the pattern "^(.*) \\(feat\\. (.*)\\)$" with "$1" in title on 1 track',
    );
    for (let i = 0; i < 4; i++) expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(listed()).toEqual(initial);
    // Redo brings back the batch undone last (the names from the files), then the one before it.
    expect(sleeveHere(home, ['redo']).stdout).toMatch(/^redid edit batch \d+: Tags from file names/);
    expect(sleeveHere(home, ['redo']).stdout).toMatch(/^redid edit batch \d+: Title case for title/);
    expect(listed()[0]).toBe('1|The Sound of the City|');
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(listed()).toEqual(initial);
  });

  it('through the backend, numbers a clicked selection in the table’s order, not the order of the clicks', async () => {
    const backend = await startBackend(home, tempDir(), { watchMs: 50 });
    const client = backend.connect();
    try {
      const ids = sleeveHere(home, ['ls', 'path:messy', '-f', '$id']).stdout.trim().split('\n').map(Number);
      const clicked = [ids[2]!, ids[0]!, ids[1]!];
      const plan = await client.call('tools.plan', {
        target: { kind: 'ids', ids: clicked },
        sort: null,
        tool: { kind: 'number', perDisc: false, totals: false },
      });
      const numbers = Object.fromEntries(plan.changes.map((c) => [c.fileId, c.after[0]]));
      expect(ids.map((id) => numbers[id])).toEqual(['1', '2', '3']); // path order, as the table shows
      const byPathDown = await client.call('tools.plan', {
        target: { kind: 'ids', ids: clicked },
        sort: { field: 'path', descending: true },
        tool: { kind: 'number', perDisc: false, totals: false },
      });
      expect(byPathDown.changes.map((c) => [ids.indexOf(c.fileId), c.after[0]])).toEqual([
        [2, '1'],
        [1, '2'],
        [0, '3'],
      ]);
    } finally {
      client.close();
      await backend.close();
    }
  });

  it('says what is wrong with a tool, an option or an expression, and changes nothing', () => {
    const history = sleeveHere(home, ['history']).stdout;
    const unknown = sleeveHere(home, ['tool', 'rename', 'path:messy']);
    expect([unknown.status, unknown.stderr]).toEqual([2, expect.stringContaining('unknown tool "rename"')]);
    const missing = sleeveHere(home, ['tool', 'replace', 'path:messy', '--find', 'x']);
    expect([missing.status, missing.stderr]).toEqual([
      2,
      expect.stringContaining('tool replace needs --with'),
    ]);
    const bad = sleeveHere(home, [
      'tool',
      'replace',
      'path:messy',
      '--regex',
      '--find',
      '([a',
      '--with',
      '',
      '-y',
    ]);
    expect([bad.status, bad.stderr]).toEqual([
      1,
      expect.stringContaining('the regular expression "([a" is not valid'),
    ]);
    const mode = sleeveHere(home, ['tool', 'case', 'path:messy', '--mode', 'shout']);
    expect([mode.status, mode.stderr]).toEqual([
      2,
      expect.stringContaining('--mode is one of title, sentence, upper, lower'),
    ]);
    expect(sleeveHere(home, ['history']).stdout).toBe(history);
    expect(hashTree(music)).toEqual(before);
  });

  it('runs a tagging script from the package Picard exports (.ptsp), as from its text', () => {
    // A tab and quotes, which the package escapes (\t, \"): read as a script, its text would not parse.
    const script = '$set(artist,Mira)\n\t$set(album,$upper(%artist%) "live")';
    const ptsp = join(dir, 'mira.ptsp');
    writeFileSync(ptsp, execFileSync(PY, [PICARD_NAMER, '--package'], { input: script, encoding: 'utf8' }));
    const ran = sleeveHere(home, ['tool', 'script', 'path:sound', '--script', ptsp, '-y']);
    expect(ran.status, ran.stderr).toBe(0);
    expect(sleeveHere(home, ['ls', 'path:sound', '-f', '$artist|$album']).stdout).toBe('Mira|MIRA "live"\n');
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(hashTree(music)).toEqual(before);
  });
});
