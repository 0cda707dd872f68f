// A recording keeps what the user gave it when the copy they edited goes missing on disk: the scan carries
// the edits to the copy shown now, as one undoable batch it names; the copy come back adds nothing.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCopies } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, tempDir } from '../helpers.ts';

describe('an edited copy gone missing', () => {
  const music = tempDir();
  const away = tempDir();
  const home = tempDir();
  let before: Map<string, string>;
  /** The copy of the recording a player is shown, and its comment (a missing file is listed, not shown). */
  const shown = () =>
    sleeveHere(home, ['ls', '-f', '$path|$comment', 'path:heroes', '^status:missing']).stdout.trim();
  const scan = () => {
    const r = sleeveHere(home, ['scan', '--no-embeddings', music]);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };

  beforeAll(() => {
    writeCopies(music, 'heroes', 'other');
    before = hashTree(music);
    scan();
    expect(sleeveHere(home, ['set', 'path:heroes', 'comment=first pressing', '-y']).status).toBe(0);
    expect(shown()).toBe(`${join(music, 'heroes.flac')}|first pressing`);
  }, 120_000);

  it('carries the edits to the copy shown now, saying so, undoably', () => {
    renameSync(join(music, 'heroes.flac'), join(away, 'heroes.flac'));
    const said = scan();
    expect(said).toMatch(
      /Carried your edits \(comment\) from track \d+, missing on disk, to track \d+, its recording's kept copy now \(edit batch \d+; sleeve undo takes it back\)/,
    );
    const [path, comment] = shown().split('|');
    expect(path).not.toBe(join(music, 'heroes.flac'));
    expect(comment).toBe('first pressing');
    // Scanned again with the copy still away: nothing more to carry.
    expect(scan()).not.toMatch(/Carried your edits/);
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(shown().split('|')[1]).toBe('');
  });

  it('keeps the copy come back, with its edits, and carries nothing more', () => {
    renameSync(join(away, 'heroes.flac'), join(music, 'heroes.flac'));
    expect(scan()).not.toMatch(/Carried your edits/);
    expect(shown()).toBe(`${join(music, 'heroes.flac')}|first pressing`);
    expect(hashTree(music)).toEqual(before);
  });
});
