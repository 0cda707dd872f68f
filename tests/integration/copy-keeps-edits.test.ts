// A recording keeps what the user gave it and its source (issue 80): a copy that arrives after another
// copy of its recording was edited does not take over from it (the Duplicates reasons say so, and
// preferring the newcomer carries the edits over as one undoable batch); a copy transcoded from a lossy
// copy present (a FLAC, a 320 kbps MP3 made from a 112 kbps Vorbis) never outranks it. Real audio: a
// synthesized piece with pink noise under it (its audio reaches 20 kHz, as music does), encoded by oggenc,
// lame and flac; fingerprints and loudness measured by the scan.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOUDNESS_VERSION, OLDER_EDGE_VERSIONS } from '../../app/core/audio/loudness/loudness-store.ts';
import { openDatabase } from '../../app/core/db/database.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

interface Member {
  id: number;
  path: string;
  best: boolean;
  why: string;
  transcodedFrom: number | null;
}

describe('the copy a recording keeps, as copies arrive', () => {
  const lib = tempDir();
  const home = tempDir();
  const work = tempDir();
  const later = tempDir();

  /** A piece whose audio reaches the top of the band, as a recording's master. */
  const master = (seed: number) => {
    const piece = join(work, `piece-${seed}.wav`);
    writeWav(piece, synthesizePiece(seed, 20));
    const wide = join(work, `wide-${seed}.wav`);
    tool('sox', ['-m', piece, '|sox -n -r 44100 -c 2 -b 16 -p synth 20 pinknoise vol 0.05', wide]);
    return wide;
  };
  const scan = (dir: string) => {
    const r = sleeveHere(home, ['scan', '--no-embeddings', dir]);
    expect(r.status, r.stderr).toBe(0);
  };
  const members = (dir: string) =>
    sleeveHereJson<Array<{ members: Member[] }>>(home, ['dup', '--json'])
      .flatMap((g) => g.members)
      .filter((m) => m.path.includes(`/${dir}/`));
  const member = (dir: string, name: string) => members(dir).find((m) => m.path.endsWith(`/${name}`))!;
  const title = (id: number) =>
    sleeveHereJson<Array<{ id: number; tags: Record<string, string[]> }>>(home, [
      'ls',
      '--json',
      `id:${id}`,
    ])[0]!.tags.title;

  beforeAll(() => {
    // "source": a 112 kbps Vorbis original, and a FLAC and a 320 kbps MP3 made from its decode.
    mkdirSync(join(lib, 'source'));
    const ogg = join(lib, 'source', 'a-original.ogg');
    tool('oggenc', ['-Q', '-b', '112', '-t', 'Source', '-a', 'Band', master(21), '-o', ogg]);
    const decoded = join(work, 'decoded.wav');
    tool('oggdec', ['-Q', ogg, '-o', decoded]);
    tool('flac', [
      '-s',
      '-f',
      '--tag=TITLE=Source',
      '--tag=ARTIST=Band',
      decoded,
      '-o',
      join(lib, 'source', 'b-transcode.flac'),
    ]);
    tool('lame', [
      '--quiet',
      '-b',
      '320',
      '--tt',
      'Source',
      '--ta',
      'Band',
      decoded,
      join(lib, 'source', 'c-transcode.mp3'),
    ]);
    // "edited" and "control": a 128 kbps MP3 of the master first; a FLAC of it arrives later.
    for (const [dir, seed] of [
      ['edited', 22],
      ['control', 23],
    ] as const) {
      const wav = master(seed);
      mkdirSync(join(lib, dir));
      tool('lame', ['--quiet', '-b', '128', '--tt', dir, '--ta', 'Band', wav, join(lib, dir, 'a-first.mp3')]);
      mkdirSync(join(later, dir));
      tool('flac', [
        '-s',
        '-f',
        `--tag=TITLE=${dir}`,
        '--tag=ARTIST=Band',
        wav,
        '-o',
        join(later, dir, 'b-later.flac'),
      ]);
    }
    // "lone": a FLAC of a 128 kbps MP3's decode, the MP3 itself not in the library.
    mkdirSync(join(lib, 'lone'));
    const mp3 = join(work, 'lone.mp3');
    tool('lame', ['--quiet', '-b', '128', master(24), mp3]);
    const lone = join(work, 'lone.wav');
    tool('lame', ['--quiet', '--decode', mp3, lone]);
    tool('flac', ['-s', '-f', '--tag=TITLE=Lone', lone, '-o', join(lib, 'lone', 'a-lone.flac')]);
    scan(lib);
    const set = sleeveHere(home, ['set', 'path:edited/', 'title=My Title', 'genre=Mine', '-y']);
    expect(set.status, set.stderr).toBe(0);
    for (const dir of ['edited', 'control'])
      copyFileSync(join(later, dir, 'b-later.flac'), join(lib, dir, 'b-later.flac'));
    scan(lib);
  }, 180_000);

  it('keeps the lossy source over the FLAC and the 320 kbps MP3 transcoded from it, and says so', () => {
    expect(members('source').find((m) => m.best)?.path).toMatch(/a-original\.ogg$/);
    expect(member('source', 'b-transcode.flac').why).toMatch(
      /^the lossless FLAC copy is transcoded from the kept copy \(its audio stops at [\d.]+ kHz/,
    );
    expect(member('source', 'c-transcode.mp3').why).toMatch(
      /^the 320 kbps MP3 copy is transcoded from the kept copy/,
    );
  });

  it('finds the transcodes by query (transcodedfrom:), and sleeve info names their source', () => {
    const original = member('source', 'a-original.ogg').id;
    const listed = (query: string) =>
      sleeveHereJson<Array<{ path: string }>>(home, ['ls', '--json', '--all-copies', query])
        .map((t) => t.path.slice(t.path.indexOf('/source/') + 1))
        .sort();
    const transcodes = ['source/b-transcode.flac', 'source/c-transcode.mp3'];
    expect(listed('path:/source/ transcodedfrom:')).toEqual(transcodes);
    expect(listed(`path:/source/ transcodedfrom:${original}`)).toEqual(transcodes);
    expect(listed('path:/source/ ^transcodedfrom:')).toEqual(['source/a-original.ogg']);
    // No other copy in the library is taken for a transcode (the masters' own encodes among them).
    expect(listed('transcodedfrom:')).toEqual(transcodes);
    expect(member('source', 'b-transcode.flac').transcodedFrom).toBe(original);
    const info = sleeveHere(home, ['info', String(member('source', 'b-transcode.flac').id)]);
    expect(info.stdout).toContain(`source       transcoded from lossy audio: track ${original}'s`);
  });

  it("names a lossless file whose audio stops at a lossy encoder's cliff, its source beside it or not", () => {
    const listed = (query: string) =>
      sleeveHereJson<Array<{ path: string }>>(home, ['ls', '--json', '--all-copies', query])
        .map((t) => t.path.slice(t.path.lastIndexOf('/', t.path.lastIndexOf('/') - 1) + 1))
        .sort();
    // The FLACs of the masters (their audio reaches 22 kHz) and the 128 kbps MP3s (lossy, as they say) are not.
    expect(listed('lossycut:')).toEqual([
      'lone/a-lone.flac',
      'source/b-transcode.flac',
      'source/c-transcode.mp3',
    ]);
    expect(listed('lossycut:..17 path:lone/')).toEqual(['lone/a-lone.flac']);
    const id = sleeveHereJson<Array<{ id: number }>>(home, ['ls', '--json', 'path:lone/'])[0]!.id;
    const info = sleeveHere(home, ['info', String(id)]);
    expect(info.stdout).toMatch(
      /source {7}looks transcoded from lossy audio: it stops sharply at 1[67](\.\d+)? kHz, as a lossy encoder's low-pass does/,
    );
    expect(sleeveHereJson<{ lossyCut: number }>(home, ['info', '--json', String(id)]).lossyCut).toBeLessThan(
      17_500,
    );
  });

  it('a FLAC of the master arriving later is kept where no copy was edited', () => {
    expect(members('control').find((m) => m.best)?.path).toMatch(/b-later\.flac$/);
  });

  it('keeps the copy the user edited over one that arrives later, and offers it', () => {
    const edited = member('edited', 'a-first.mp3');
    expect(edited.best).toBe(true);
    expect(title(edited.id)).toEqual(['My Title']);
    expect(member('edited', 'b-later.flac').why).toBe(
      'it carries your edits, made before the FLAC copy arrived; prefer that copy to carry them over',
    );
  });

  it('preferring the newcomer carries the edits to it, as one undoable batch', () => {
    const flac = member('edited', 'b-later.flac');
    const r = sleeveHere(home, ['dup', '--prefer', String(flac.id)]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /keeping track \d+ \(edit batch \d+; sleeve undo takes it back\)\ncarried your edits of genre, title from track \d+$/m,
    );
    expect(member('edited', 'b-later.flac').best).toBe(true);
    expect(title(flac.id)).toEqual(['My Title']);
    // One undo takes back the Keep and what it carried; a redo brings both back.
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(title(flac.id)).toEqual(['edited']);
    expect(member('edited', 'b-later.flac').best).toBe(false);
    expect(sleeveHere(home, ['redo']).status).toBe(0);
    expect(member('edited', 'b-later.flac').best).toBe(true);
    expect(title(flac.id)).toEqual(['My Title']);
  });

  it('going back to the suggested copy carries the edits made on the preferred one back with it', () => {
    const flac = member('edited', 'b-later.flac');
    const mp3 = member('edited', 'a-first.mp3');
    expect(flac.best).toBe(true); // preferred above
    expect(sleeveHere(home, ['set', `id:${flac.id}`, 'title=Edited On The FLAC', '-y']).status).toBe(0);
    const r = sleeveHere(home, ['dup', '--unprefer', String(flac.id)]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^recording \\d+: keeping its suggested copy, track ${mp3.id} \\(edit batch \\d+; sleeve undo takes it back\\)\ncarried your edits of title from track ${flac.id}\n`,
      ),
    );
    expect(member('edited', 'a-first.mp3').best).toBe(true);
    expect(title(mp3.id)).toEqual(['Edited On The FLAC']);
    // A track with no other copy has no suggested copy to go back to.
    const lone = sleeveHereJson<Array<{ id: number }>>(home, ['ls', '--json', 'path:lone/'])[0]!.id;
    expect(sleeveHere(home, ['dup', '--unprefer', String(lone)])).toMatchObject({
      status: 1,
      stderr: `sleeve: track ${lone} is not in a duplicate group\n`,
    });
  });

  it('preferring a copy keeps its own newer edit of a field, not the older one of the copy kept before', () => {
    const flac = member('edited', 'b-later.flac');
    const mp3 = member('edited', 'a-first.mp3');
    expect(mp3.best).toBe(true); // gone back to above
    const genre = (id: number) =>
      sleeveHereJson<Array<{ tags: Record<string, string[]> }>>(home, [
        'ls',
        '--json',
        '--all-copies',
        `id:${id}`,
      ])[0]!.tags.genre;
    expect(sleeveHere(home, ['set', `id:${mp3.id}`, 'genre=Older Edit', 'mood=Calm', '-y']).status).toBe(0);
    expect(sleeveHere(home, ['set', `id:${flac.id}`, 'genre=Newest Edit', '-y']).status).toBe(0);
    const r = sleeveHere(home, ['dup', '--prefer', String(flac.id)]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`carried your edits of mood from track ${mp3.id}\n`));
    expect(r.stdout).toContain(
      `kept track ${flac.id}'s own newer edits of genre (track ${mp3.id}'s older ones not carried)`,
    );
    expect(genre(flac.id)).toEqual(['Newest Edit']);
  });

  it('sleeve set edits the recordings its query lists, other copies only with --copies', () => {
    const genre = (name: string) =>
      sleeveHereJson<Array<{ tags: Record<string, string[]> }>>(home, [
        'ls',
        '--json',
        '--all-copies',
        `path:control/${name}`,
      ])[0]!.tags.genre;
    const listed = sleeveHereJson<Array<{ path: string }>>(home, ['ls', '--json', 'title:control']);
    expect(listed.map((t) => t.path.split('/').pop())).toEqual(['b-later.flac']);
    const r = sleeveHere(home, ['set', 'title:control', 'genre=Listed', '-y']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('1 other copy of these recordings left as they are (--copies edits them too)');
    expect(r.stderr).not.toContain('players will not show this change');
    expect(genre('b-later.flac')).toEqual(['Listed']);
    expect(genre('a-first.mp3')).toBeUndefined();
    // The copy players do not get, listed by its path: edited, and said so.
    const other = sleeveHere(home, ['set', 'path:control/a-first.mp3', 'genre=Unheard', '-y']);
    expect(other.status, other.stderr).toBe(0);
    expect(other.stderr).toContain(
      'the copy listed of one of these recordings is not the one players get (its kept copy: sleeve dup shows it): players will not show this change (--copies edits every copy)',
    );
    expect(genre('a-first.mp3')).toEqual(['Unheard']);
    expect(genre('b-later.flac')).toEqual(['Listed']);
    const all = sleeveHere(home, ['set', 'title:control', 'genre=Every copy', '--copies', '-y']);
    expect(all.status, all.stderr).toBe(0);
    expect(genre('a-first.mp3')).toEqual(['Every copy']);
    expect(genre('b-later.flac')).toEqual(['Every copy']);
  });

  it.each(OLDER_EDGE_VERSIONS)(
    'measures again, of a library measured by version %i (its edge not as now), only the files a cut is said of',
    (version) => {
      const db = openDatabase(join(home, 'library.db'));
      db.prepare('UPDATE loudness SET version = ?, cliff = NULL').run(version);
      db.close();
      scan(lib);
      const again = openDatabase(join(home, 'library.db'));
      const measured = again
        .prepare(
          `SELECT substr(f.path, length(?) + 2) FROM loudness l JOIN files f ON f.id = l.file_id
         WHERE l.version = ${LOUDNESS_VERSION} ORDER BY f.path`,
        )
        .pluck()
        .all(lib);
      again.close();
      // The lossless files and the 320 kbps MP3; not the 112 kbps Vorbis nor the 128 kbps MP3s.
      expect(measured).toEqual([
        'control/b-later.flac',
        'edited/b-later.flac',
        'lone/a-lone.flac',
        'source/b-transcode.flac',
        'source/c-transcode.mp3',
      ]);
      expect(sleeveHereJson<unknown[]>(home, ['ls', '--json', '--all-copies', 'lossycut:'])).toHaveLength(3);
    },
  );
});
