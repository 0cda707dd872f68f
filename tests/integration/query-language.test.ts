// The query language as a user types it at `sleeve ls`: alternatives (beets' comma and OR), a mistyped
// field named with the closest real ones and its column, operators and ranges explained, bitrate in the
// kbps the table shows, status:error finding the unreadable files, and "no tracks match" said on stderr,
// with the query put right when a value looks mistyped.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUERY_TERMS } from '../../app/shared/query.ts';
import { copyFixtures, sleeveHere, tempDir } from '../helpers.ts';

describe('the query language at sleeve ls', () => {
  const home = join(tempDir(), 'home');
  const paths = (...query: string[]) =>
    sleeveHere(home, ['ls', '--all-copies', ...query, '-f', '$path'])
      .stdout.split('\n')
      .filter(Boolean)
      .map((p) => p.split('/music/')[1])
      .sort();

  beforeAll(() => {
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', copyFixtures()])
        .status,
    ).toBe(0);
  });

  it('finds either side of a comma or OR, and both sides of AND as before', () => {
    const alpha = paths('artist:alpha');
    const beta = paths('artist:beta');
    expect(alpha.length).toBeGreaterThan(0);
    expect(beta.length).toBeGreaterThan(0);
    expect(paths('artist:alpha', ',', 'artist:beta')).toEqual([...alpha, ...beta].sort());
    expect(paths('artist:alpha', 'OR', 'artist:beta')).toEqual([...alpha, ...beta].sort());
    expect(paths('artist:alpha', 'artist:beta')).toEqual([]);
  });

  it('runs the longest query it accepts, and refuses a longer one as a bad query naming the limit', () => {
    const terms = (n: number) => Array.from({ length: n }, (_, i) => `^title:zz${i}`).join(' ');
    expect(paths(terms(MAX_QUERY_TERMS - 1), 'artist:alpha')).toEqual(paths('artist:alpha'));
    const alternatives = Array.from({ length: MAX_QUERY_TERMS / 2 }, (_, i) => `title:zz${i}`).join(' , ');
    expect(paths(alternatives, ',', 'artist:alpha')).toEqual(paths('artist:alpha'));
    const r = sleeveHere(home, ['ls', terms(600)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`a query can have at most ${MAX_QUERY_TERMS} terms and sorts`);
    expect(r.stderr).not.toMatch(/internal error|SqliteError| {4}at /);
  });

  it('names a mistyped field with its column and the closest fields, as an error', () => {
    const r = sleeveHere(home, ['ls', 'year:1999', 'artsit:alpha']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown field "artsit": did you mean artist');
    expect(r.stderr).toContain('(at column 11)');
    const sort = sleeveHere(home, ['ls', 'titel+']);
    expect(sort.stderr).toContain('unknown field "titel": did you mean title');
    // A field some file has is known, even if Sleeve has no name for it.
    expect(sleeveHere(home, ['ls', 'replaygain_track_gain:']).stderr).not.toContain('unknown field');
  });

  it("reads beets' length as duration, and beets' added and mtime as the file's dates", () => {
    expect(paths('length:..30')).toEqual(paths('duration:..30'));
    expect(paths('length:..30').length).toBeGreaterThan(0);
    expect(sleeveHere(home, ['ls', 'length-', '-f', '$path']).stdout).toBe(
      sleeveHere(home, ['ls', 'duration-', '-f', '$path']).stdout,
    );
    // Every file was found, and copied, since 2000 (dates: tests/unit/file-dates.test.ts).
    const all = paths();
    expect(paths('added:2000..')).toEqual(all);
    expect(paths('mtime:2000..')).toEqual(all);
    expect(paths('added:..1999')).toEqual([]);
  });

  it('compares bitrate in kbps, as shown', () => {
    const low = paths('bitrate:..100');
    expect(low).toContain('Beta/Second Album/02 Ape.mp3'); // encoded at 96 kbps
    expect(low).not.toContain('Alpha/Album One/03 Third.mp3');
    expect(paths('bitrate:..100000')).toEqual(low); // beets' bits per second mean the same
    const r = sleeveHere(home, ['ls', 'bitrate:>300']);
    expect([r.status, r.stderr]).toEqual([
      1,
      expect.stringContaining('at least 300 is written bitrate:300..'),
    ]);
  });

  it('finds the unreadable files with status:error, which the library’s lists leave out', () => {
    expect(paths('status:error')).toEqual(expect.arrayContaining(['Bad/garbage.mp3']));
    expect(paths('garbage')).toEqual([]);
    // Only a group that asks for them: a negation, or another alternative, does not bring them in.
    expect(paths('^status:missing')).not.toContain('Bad/garbage.mp3');
    expect(paths('status:ok', ',', 'garbage')).not.toContain('Bad/garbage.mp3');
    expect(paths('status:error', ',', 'artist:alpha')).toContain('Bad/garbage.mp3');
  });

  it('says on stderr when nothing matches, keeping stdout a list', () => {
    const r = sleeveHere(home, ['ls', 'nothing-like-this']);
    expect([r.status, r.stdout, r.stderr.trim()]).toEqual([0, '', 'no tracks match "nothing-like-this"']);
    expect(sleeveHere(home, ['ls', 'nothing-like-this', '--json']).stdout).toBe('[]\n');
    // A value no track holds, within a typo of one the library has: the query put right, to run as it is.
    const typo = sleeveHere(home, ['ls', 'artist:alhpa']);
    expect(typo.stdout).toBe('');
    const [, closer] = /^no tracks match "artist:alhpa"; did you mean: sleeve ls '(.+)'$/.exec(
      typo.stderr.trim(),
    )!;
    expect(closer).toMatch(/^artist:"[^"]*Alpha[^"]*"$/);
    expect(paths(closer!)).toEqual(paths('artist:alpha'));
  });
});
