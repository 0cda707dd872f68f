// Undoing an edit takes back what carrying it to another copy did: an album renamed on the copies kept,
// then carried to the copies kept instead (a copy rule, a copy preferred), is renamed back on those too
// when the rename is undone, and comes back with its redo. The carry's other edits stay (carried again),
// and a field edited on the copy kept since keeps its newer value, said as such.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTwoFormatAlbum } from '../fixtures/copies.ts';
import { sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Listed {
  id: number;
  path: string;
  tags: Record<string, string[]>;
}

/** A library of one album held as FLAC (the copies kept) and as MP3, scanned by `make`. */
function library(titles: readonly string[], firstPiece: number) {
  const music = tempDir();
  const home = tempDir();
  const make = () => {
    writeTwoFormatAlbum(music, 'Band', 'Old Name', titles, { firstPiece });
    const scan = sleeveHere(home, ['scan', '--no-embeddings', music]);
    expect(scan.status, scan.stderr).toBe(0);
  };
  const run = (...args: string[]) => {
    const r = sleeveHere(home, args);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  /** The copies shown (one per recording): folder/file, album, comment. */
  const shown = () =>
    sleeveHereJson<Listed[]>(home, ['ls', '--json'])
      .map((t) => [t.path.slice(music.length + 1), t.tags.album?.[0], t.tags.comment?.[0]].join('|'))
      .sort();
  const trackIn = (file: string) =>
    sleeveHereJson<Listed[]>(home, ['ls', '--json', '--all-copies']).find((t) => t.path.endsWith(file))!.id;
  const batchOf = (said: string) => Number(/edit batch (\d+)/.exec(said)![1]);
  return { music, home, make, run, shown, trackIn, batchOf };
}

describe('undoing an album rename that was carried to the copies kept now', () => {
  const lib = library(['One', 'Two'], 90);
  let rename: number;
  let carry: number;

  beforeAll(() => {
    lib.make();
    expect(lib.shown()).toEqual(['FLAC/1 One.flac|Old Name|', 'FLAC/2 Two.flac|Old Name|']);
    lib.run('set', 'album:Old Name', 'comment=Mine', '-y');
    rename = lib.batchOf(lib.run('set', 'album:Old Name', 'album=New Name', '-y'));
    // A rule keeps the MP3 copies now: the album and the comment go with the switch, as one batch.
    carry = lib.batchOf(lib.run('dup', '--rule', `folder:${join(lib.music, 'MP3')}`, '-y'));
    expect(lib.shown()).toEqual(['MP3/1 One.mp3|New Name|Mine', 'MP3/2 Two.mp3|New Name|Mine']);
  }, 120_000);

  it('names the album back on the copies kept now, and keeps the comment carried with it', () => {
    const said = lib.run('undo', String(rename));
    expect(lib.shown()).toEqual(['MP3/1 One.mp3|Old Name|Mine', 'MP3/2 Two.mp3|Old Name|Mine']);
    expect(said).toContain(`took back edit batch ${carry}, which carried this batch's edits to other copies`);
    const again = Number(
      /carried the other edits it held \(comment\) again as edit batch (\d+)/.exec(said)?.[1],
    );
    expect(again).toBeGreaterThan(carry);
    // The history says what happened.
    const history = lib.run('history');
    expect(history).toMatch(new RegExp(`^ *${carry} .*\\[undone with edit batch ${rename}\\]$`, 'm'));
    expect(history).toMatch(new RegExp(`^ *${again} .*Carried your edits \\(comment\\) again`, 'm'));
  });

  it('names it anew with the redo, as it was', () => {
    const said = lib.run('redo', String(rename));
    expect(said).toContain(`redid edit batch ${carry} with it`);
    expect(lib.shown()).toEqual(['MP3/1 One.mp3|New Name|Mine', 'MP3/2 Two.mp3|New Name|Mine']);
  });

  it('keeps a newer edit of the album on a copy kept now, and says so', () => {
    lib.run('set', 'path:MP3/1', 'album=Newest', '-y');
    const said = lib.run('undo', String(rename));
    expect(lib.shown()).toEqual(['MP3/1 One.mp3|Newest|Mine', 'MP3/2 Two.mp3|Old Name|Mine']);
    expect(said).toMatch(/album stays as edit batch \d+ set it on 1 file \(a newer edit\)/);
  });
});

describe('undoing an album rename carried to a copy the user preferred', () => {
  const lib = library(['Three'], 95);

  it('takes the carry back with it, and brings it back with the redo', () => {
    lib.make();
    const rename = lib.batchOf(lib.run('set', 'album:Old Name', 'album=New Name', '-y'));
    const mp3 = lib.trackIn('MP3/1 Three.mp3');
    const carry = lib.batchOf(lib.run('dup', '--prefer', String(mp3)));
    expect(lib.shown()).toEqual(['MP3/1 Three.mp3|New Name|']);
    lib.run('undo', String(rename));
    // The copy preferred stays kept (the user chose it), showing the album as it was before the rename.
    expect(lib.shown()).toEqual(['MP3/1 Three.mp3|Old Name|']);
    expect(lib.run('history')).toMatch(
      new RegExp(`^ *${carry} .*\\[undone with edit batch ${rename}\\]$`, 'm'),
    );
    // The next redo is the rename's, the carry with it.
    expect(lib.run('redo')).toContain(`redid edit batch ${rename}:`);
    expect(lib.shown()).toEqual(['MP3/1 Three.mp3|New Name|']);
  }, 120_000);
});
