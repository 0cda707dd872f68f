// Which copy of a recording is kept, by what the user hears and then by the tags, and the words saying
// why: real audio (a 44.1 kHz FLAC, the same resampled by sox to 22.05 kHz, a 320 kbps MP3; byte-for-byte
// copies tagged well and badly; a Vorbis original beside its re-encode 6 dB down at 48 kHz and a higher
// bitrate; a tagged Ogg beside a tag-less, opaquely named MP3 of more bits; an Opus original beside a
// 128 kbps MP3 made from it; a Vorbis original beside a low-passed 320 kbps MP3 of its master; a Vorbis
// beside an AAC made from it and beside one made from its master, each as loud; a 112 kbps Vorbis beside
// a 128 kbps MP3 made from it), scanned by the CLI; `sleeve dup`, `sleeve ls` and the mount show the kept copy.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { copyCachedFixture } from '../fixtures/cached.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { listedNow, waitFor } from '../mount-helpers.ts';

interface Member {
  id: number;
  path: string;
  best: boolean;
  suggested: boolean;
  why: string;
}

const tags = (title: string, track: string, album: string, artist: string) => [
  `--tag=TITLE=${title}`,
  `--tag=TRACKNUMBER=${track}`,
  `--tag=ALBUM=${album}`,
  `--tag=ARTIST=${artist}`,
];

describe('the copy a recording keeps', () => {
  const lib = tempDir();
  const home = tempDir();
  const work = tempDir();
  const mnt = join(tempDir(), 'mnt');

  /** A synthesized piece (`seed`, `seconds` long) with pink noise under it at `volume`: its audio reaches
   *  past 20 kHz, where an encoder's low-pass shows. */
  const overNoise = (name: string, seed: number, seconds: number, volume: number) => {
    const piece = join(work, `${name}-piece.wav`);
    writeWav(piece, synthesizePiece(seed, seconds));
    const wide = join(work, `${name}-wide.wav`);
    const noise = `|sox -n -r 44100 -c 2 -b 16 -p synth ${seconds} pinknoise vol ${volume}`;
    tool('sox', ['-m', piece, noise, wide]);
    return wide;
  };

  /** The library's files, written into `lib` (the cached fixture's folder while it is made). */
  const makeLibrary = (lib: string) => {
    // Recording "sound": as recorded, resampled to 22.05 kHz (nothing above 11 kHz left), and a 320 kbps MP3.
    const wav = join(work, 'sound.wav');
    writeWav(wav, synthesizePiece(11, 40));
    const low = join(work, 'sound-22k.wav');
    // 24-bit, as resamplers often write it: more bits, and still less music.
    tool('sox', [wav, '-b', '24', low, 'rate', '22050']);
    const named = tags('Sound', '1', 'Rates', 'Band');
    mkdirSync(join(lib, 'sound'));
    tool('flac', ['-s', '-f', ...named, wav, '-o', join(lib, 'sound', 'a-44k.flac')]);
    tool('flac', ['-s', '-f', ...named, low, '-o', join(lib, 'sound', 'b-22k.flac')]);
    tool('lame', [
      '--quiet',
      '-b',
      '320',
      '--tt',
      'Sound',
      '--ta',
      'Band',
      '--tl',
      'Rates',
      '--tn',
      '1',
      wav,
      join(lib, 'sound', 'c-320.mp3'),
    ]);
    // Recording "lowrate": only the 22.05 kHz FLAC and the MP3.
    const wav2 = join(work, 'lowrate.wav');
    writeWav(wav2, synthesizePiece(12, 40));
    const low2 = join(work, 'lowrate-22k.wav');
    tool('sox', [wav2, '-r', '22050', low2]);
    mkdirSync(join(lib, 'lowrate'));
    tool('flac', [
      '-s',
      '-f',
      ...tags('Low', '2', 'Rates', 'Band'),
      low2,
      '-o',
      join(lib, 'lowrate', 'a-22k.flac'),
    ]);
    tool('lame', [
      ...['--quiet', '-b', '320', '--tt', 'Low', '--ta', 'Band', '--tl', 'Rates', '--tn', '2'],
      ...[wav2, join(lib, 'lowrate', 'b-320.mp3')],
    ]);
    // Recording "tagged": the original tagged track 0, album "non", and a copy of it (same audio bytes)
    // tagged track 03 of its album, scanned after it (a higher id).
    const wav3 = join(work, 'tagged.wav');
    writeWav(wav3, synthesizePiece(13, 40));
    mkdirSync(join(lib, 'tagged'));
    const bad = join(lib, 'tagged', 'a-original.flac');
    tool('flac', ['-s', '-f', ...tags('Tagged', '0', 'non', 'Unknown Artist'), wav3, '-o', bad]);
    const good = join(lib, 'tagged', 'b-copied.flac');
    copyFileSync(bad, good);
    tool('metaflac', [
      '--remove-all-tags',
      ...tags('Tagged', '03', 'Copied In', 'Band').map((t) => t.replace('--tag=', '--set-tag=')),
      good,
    ]);
    // Recording "edited": two byte-identical copies (cp), both tagged badly; the user edits the second.
    const wav4 = join(work, 'edited.wav');
    writeWav(wav4, synthesizePiece(14, 40));
    mkdirSync(join(lib, 'edited'));
    tool('flac', [
      '-s',
      '-f',
      ...tags('Edited', '0', 'non', 'Band'),
      wav4,
      '-o',
      join(lib, 'edited', 'a.flac'),
    ]);
    tool('cp', [join(lib, 'edited', 'a.flac'), join(lib, 'edited', 'b.flac')]);
    // Recording "quiet": a 112 kbps Vorbis original, and its re-encode at 128 kbps, 48 kHz, 6 dB down.
    const wav5 = join(work, 'quiet.wav');
    writeWav(wav5, synthesizePiece(15, 40));
    mkdirSync(join(lib, 'quiet'));
    const vorbisTags = ['-t', 'Quiet', '-a', 'Band', '-l', 'Levels', '-N', '5'];
    tool('oggenc', ['-Q', '-b', '112', ...vorbisTags, wav5, '-o', join(lib, 'quiet', 'a-original.ogg')]);
    const down = join(work, 'quiet-down.wav');
    tool('sox', [wav5, down, 'vol', '-6dB', 'rate', '48000']);
    tool('oggenc', ['-Q', '-b', '128', ...vorbisTags, down, '-o', join(lib, 'quiet', 'b-reencoded.ogg')]);
    // Recording "untagged": a tagged Ogg, and a 192 kbps MP3 with no tags at all and an opaque name.
    const wav6 = join(work, 'untagged.wav');
    writeWav(wav6, synthesizePiece(16, 40));
    mkdirSync(join(lib, 'notags'));
    tool('oggenc', [
      '-Q',
      '-q',
      '3',
      '-t',
      'Named',
      '-a',
      'Band',
      '-l',
      'Levels',
      '-N',
      '6',
      wav6,
      '-o',
      join(lib, 'notags', 'named.ogg'),
    ]);
    tool('lame', ['--quiet', '-b', '192', wav6, join(lib, 'notags', '40568e7da3ca.mp3')]);
    // Recording "opus": an Opus original at 96 kbps with audio up to 20 kHz (pink noise under the piece),
    // and a 128 kbps MP3 made from it (LAME low-passes near 17 kHz).
    const wide = overNoise('opus', 17, 40, 0.05);
    mkdirSync(join(lib, 'opus'));
    const original = join(lib, 'opus', 'a-original.opus');
    tool('opusenc', [
      '--quiet',
      '--bitrate',
      '96',
      '--title',
      'Wide',
      '--artist',
      'Band',
      '--album',
      'Levels',
      wide,
      original,
    ]);
    const decoded = join(work, 'opus-decoded.wav');
    tool('opusdec', ['--quiet', '--rate', '44100', original, decoded]);
    tool('lame', [
      '--quiet',
      '-b',
      '128',
      '--tt',
      'Wide',
      '--ta',
      'Band',
      '--tl',
      'Levels',
      decoded,
      join(lib, 'opus', 'b-transcode.mp3'),
    ]);
    // Recording "wider": a 160 kbps Vorbis original reaching 20.5 kHz (pink noise under the piece), and a
    // 320 kbps MP3 of the same master low-passed under it: a sibling, no transcode of it (their decodes
    // differ by both encoders' noise), and a copy that sounds alike and reaches lower.
    const wider = overNoise('wider', 18, 20, 0.3);
    mkdirSync(join(lib, 'wider'));
    const widerTags = ['-t', 'Broad', '-a', 'Band', '-l', 'Levels', '-N', '7'];
    tool('oggenc', ['-Q', '-q', '5', ...widerTags, wider, '-o', join(lib, 'wider', 'a-original.ogg')]);
    tool('lame', [
      ...['--quiet', '-b', '320', '--lowpass', '19.7', '--tt', 'Broad', '--ta', 'Band', '--tl', 'Levels'],
      wider,
      join(lib, 'wider', 'b-sibling.mp3'),
    ]);
    // Recording "phone": a 96 kbps Vorbis original (its encoder low-passes near 16 kHz; pink noise under
    // the piece reaches past it), an Opus made from its decode for a phone at 128 kbps (Opus fills the
    // bands above the Vorbis's top: it measures as reaching 20 kHz), and a FLAC of the decode.
    const phoneWide = overNoise('phone', 19, 30, 0.3);
    mkdirSync(join(lib, 'phone'));
    const phoneTags = ['-t', 'Phone', '-a', 'Band', '-l', 'Levels', '-N', '8'];
    tool('oggenc', ['-Q', '-b', '96', ...phoneTags, phoneWide, '-o', join(lib, 'phone', 'a-original.ogg')]);
    const phoneDecoded = join(work, 'phone-decoded.wav');
    tool('oggdec', ['-Q', join(lib, 'phone', 'a-original.ogg'), '-o', phoneDecoded]);
    tool('opusenc', [
      ...['--quiet', '--bitrate', '128', '--title', 'Phone', '--artist', 'Band', '--album', 'Levels'],
      phoneDecoded,
      join(lib, 'phone', 'b-transcode.opus'),
    ]);
    tool('flac', [
      '-s',
      '-f',
      ...tags('Phone', '8', 'Levels', 'Band'),
      phoneDecoded,
      '-o',
      join(lib, 'phone', 'c-transcode.flac'),
    ]);
    // Recordings "aac" and "apart": dense music (pink noise under the piece) stopping at 12 kHz, under
    // every encoder's low-pass, as a 96 kbps Vorbis; beside it a 256 kbps AAC made by ffmpeg from the
    // Vorbis ("aac") or from the master ("apart"), each 0.05 dB down: their loudness cannot tell which
    // was made from the Vorbis, the difference between the decodes can.
    for (const [name, seed, fromVorbis] of [
      ['aac', 21, true],
      ['apart', 22, false],
    ] as const) {
      const master = join(work, `${name}-master.wav`);
      tool('sox', [overNoise(name, seed, 30, 0.3), master, 'sinc', '-12k']);
      mkdirSync(join(lib, name));
      const vorbis = join(lib, name, 'a-original.ogg');
      tool('oggenc', ['-Q', '-b', '96', '-t', name, '-a', 'Band', '-l', 'Codecs', master, '-o', vorbis]);
      const meta = ['title', 'artist', 'album'].flatMap((k, i) => [
        '-metadata',
        `${k}=${[name, 'Band', 'Codecs'][i]}`,
      ]);
      tool('ffmpeg', [
        ...['-v', 'error', '-i', fromVorbis ? vorbis : master, '-af', 'volume=-0.05dB'],
        ...['-c:a', 'aac', '-b:a', '256k', ...meta, join(lib, name, 'b-encode.m4a')],
      ]);
    }
    // Recording "lesser": a 112 kbps Vorbis original (its encoder low-passes near 17.4 kHz) and a 128 kbps
    // MP3 made from its decode: LAME's own low-pass stops it half a kHz lower, and at that rate its decode
    // differs from the Vorbis's by about as much as an encode of the master would (24 dB under the music).
    const lesser = overNoise('lesser', 23, 30, 0.3);
    mkdirSync(join(lib, 'lesser'));
    const lesserOgg = join(lib, 'lesser', 'a-original.ogg');
    tool('oggenc', [
      '-Q',
      '-b',
      '112',
      '-t',
      'Lesser',
      '-a',
      'Band',
      '-l',
      'Levels',
      '-N',
      '9',
      lesser,
      '-o',
      lesserOgg,
    ]);
    const lesserDecoded = join(work, 'lesser-decoded.wav');
    tool('oggdec', ['-Q', lesserOgg, '-o', lesserDecoded]);
    tool('lame', [
      ...['--quiet', '-b', '128', '--tt', 'Lesser', '--ta', 'Band', '--tl', 'Levels', '--tn', '9'],
      lesserDecoded,
      join(lib, 'lesser', 'b-transcode.mp3'),
    ]);
  };

  beforeAll(() => {
    // Made once and kept, keyed by this file and the code making its audio (fixtures/cached.ts): a
    // change to makeLibrary, or to anything else here, makes the library anew.
    copyCachedFixture(
      lib,
      'copy-rank',
      ['./copy-rank.test.ts', '../fixtures/music.ts', '../fixtures/made.ts'].map(
        (f) => new URL(f, import.meta.url),
      ),
      makeLibrary,
    );
    const scan = sleeveHere(home, ['scan', '--no-embeddings', lib]);
    expect(scan.status, scan.stderr).toBe(0);
    const mount = sleeveHere(home, ['mount', mnt]);
    expect(mount.status, mount.stderr).toBe(0);
  }, 180_000);

  afterAll(() => {
    sleeveHere(home, ['umount', mnt]);
    rmSync(lib, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  const groups = () => sleeveHereJson<Array<{ members: Member[] }>>(home, ['dup', '--json']);
  const keptIn = (dir: string) =>
    groups()
      .flatMap((g) => g.members)
      .find((m) => m.best && m.path.includes(`/${dir}/`))!;
  const listed = (dir: string) =>
    sleeveHereJson<Array<{ path: string }>>(home, ['ls', '--json', `path:${dir}/`])
      .map((t) => t.path.split('/').pop())
      .sort();

  /** Paths the mount serves for the recording titled `title` (as listed now: the tree may be changing). */
  const served = (title: string) => {
    const walk = (dir: string): string[] =>
      listedNow(dir).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [relative(mnt, join(dir, e.name))],
      );
    return walk(mnt).filter((p) => p.includes(title));
  };

  it('groups every copy of each recording', () => {
    expect(
      groups()
        .map((g) => g.members.length)
        .sort(),
    ).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3]);
  });

  it('keeps a lossy original over an AAC transcoded from it whose loudness moved, not over one of the master', () => {
    const members = groups()
      .flatMap((g) => g.members)
      .filter((m) => m.path.includes('/aac/'));
    expect(members.find((m) => m.best)?.path).toMatch(/a-original\.ogg$/);
    expect(members.find((m) => !m.best)?.why).toMatch(
      /^the 2\d\d kbps AAC copy is transcoded from the kept copy, or holds nothing more: their decodes differ by an encoder's noise, \d\d\.\d dB under the music$/,
    );
    const info = sleeveHere(home, ['info', String(members.find((m) => !m.best)!.id)]).stdout;
    expect(info).toMatch(
      /source:? +transcoded from lossy audio: track \d+'s, or holds nothing more \(their decodes differ by an encoder's noise, \d\d\.\d dB under the music\)/,
    );
    const apart = keptIn('apart');
    expect(apart.path).toMatch(/b-encode\.m4a$/);
    expect(apart.why).toMatch(/^2\d\d kbps AAC at 44\.1 kHz over 9\d kbps Vorbis at 44\.1 kHz$/);
    expect(served('aac')).toEqual([expect.stringMatching(/aac\.ogg$/)]);
  });

  it('never keeps a copy turned down, one without tags, or one band-limited, whatever its bitrate', () => {
    const quiet = keptIn('quiet');
    expect(quiet.path).toMatch(/a-original\.ogg$/);
    expect(quiet.why).toMatch(/^the Vorbis copy is [56]\.\d dB quieter \(the same audio turned down\)$/);
    const named = keptIn('notags');
    expect(named.path).toMatch(/named\.ogg$/);
    expect(named.why).toBe('tagged, over a copy without tags');
    const opus = keptIn('opus');
    expect(opus.path).toMatch(/a-original\.opus$/);
    expect(opus.why).toMatch(
      /^the MP3 copy stops at 1[5-7]\.\d+ kHz, the kept copy reaches (19|20)\.\d+ kHz \(band-limited\)$/,
    );
    // The mount names each recording by its tags: no "Unknown Artist" hash file.
    expect(served('Quiet')).toEqual([expect.stringMatching(/a-original|Quiet\.ogg$/)]);
    expect(served('Named')).toEqual([expect.stringMatching(/Named\.ogg$/)]);
    expect(served('40568e7da3ca')).toEqual([]);
    expect(served('Wide')).toEqual([expect.stringMatching(/Wide\.opus$/)]);
  });

  it('keeps a lossy copy over a sibling of more bits that sounds alike and reaches lower', () => {
    const kept = keptIn('wider');
    expect(kept.path).toMatch(/a-original\.ogg$/);
    expect(kept.why).toMatch(
      /^the MP3 copy stops at 19\.\d+ kHz, the kept copy reaches 20\.\d+ kHz \(a copy made from another reaches no higher\)$/,
    );
    expect(served('Broad')).toEqual([expect.stringMatching(/Broad\.ogg$/)]);
  });

  it('keeps a lossy original below transparency over a copy of more bits made from it, which reaches lower', () => {
    const members = groups()
      .flatMap((g) => g.members)
      .filter((m) => m.path.includes('/lesser/'));
    expect(members.find((m) => m.best)?.path).toMatch(/a-original\.ogg$/);
    expect(members.find((m) => m.best)?.why).toMatch(
      /^the MP3 copy stops at 1[67]\.\d+ kHz, the kept copy reaches 1[78]\.\d+ kHz \(a copy made from another reaches no higher\)$/,
    );
    expect(served('Lesser')).toEqual([expect.stringMatching(/Lesser\.ogg$/)]);
    // An edit of the MP3 now is of a copy not kept: it moves nothing. One made before the rule came
    // (when the MP3 was kept for its bits: migration 77) keeps it, with the edits the user saw.
    const mp3 = members.find((m) => m.path.endsWith('b-transcode.mp3'))!;
    expect(sleeveHere(home, ['set', `id:${mp3.id}`, 'comment=edited', '-y']).status).toBe(0);
    expect(keptIn('lesser').path).toMatch(/a-original\.ogg$/);
    const db = openDatabase(join(home, 'library.db'));
    try {
      const editsThrough = db.prepare(
        "UPDATE rank_rules_since SET edits_through = ? WHERE rule = 'widest_below_transparent'",
      );
      editsThrough.run(Date.now());
      expect(keptIn('lesser').path).toMatch(/b-transcode\.mp3$/);
      editsThrough.run(0);
    } finally {
      db.close();
    }
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('keeps a lossy original over the Opus made from it, though the Opus seems to reach higher', () => {
    const members = groups()
      .flatMap((g) => g.members)
      .filter((m) => m.path.includes('/phone/'));
    const why = (name: string) => members.find((m) => m.path.endsWith(name))!.why;
    expect(members.find((m) => m.best)?.path).toMatch(/a-original\.ogg$/);
    // Kept for its sound over the Opus, and named a transcode of nothing.
    expect(why('a-original.ogg')).toMatch(/^96 kbps Vorbis at 44\.1 kHz over \d+ kbps Opus at [\d.]+ kHz$/);
    expect(why('c-transcode.flac')).toMatch(/^the lossless FLAC copy is transcoded from the kept copy/);
    expect(served('Phone')).toEqual([expect.stringMatching(/Phone\.ogg$/)]);
  });

  it('keeps the 44.1 kHz FLAC over its 22.05 kHz resample and the 320 kbps MP3, and says why', () => {
    const kept = keptIn('sound');
    expect(kept.path).toMatch(/a-44k\.flac$/);
    // Why it is kept over the next copy, and why over each other one.
    expect(kept.why).toMatch(
      /^the MP3 copy stops at (19|20)\.\d+ kHz, the kept copy reaches 22\.05 kHz \(band-limited\)$/,
    );
    const low = groups()
      .flatMap((g) => g.members)
      .find((m) => m.path.endsWith('/b-22k.flac'))!;
    expect(low.why).toMatch(
      /^the FLAC copy stops at 1[01]\.\d+ kHz, the kept copy reaches 22\.05 kHz \(band-limited\)$/,
    );
    expect(listed('sound')).toEqual(['a-44k.flac']);
    const text = sleeveHere(home, ['dup']).stdout;
    expect(text).toMatch(
      /\* +\d+ .*a-44k\.flac +\(kept: the MP3 copy stops at [\d.]+ kHz, the kept copy reaches 22\.05 kHz \(band-limited\)\)/,
    );
    expect(text).toMatch(
      /b-22k\.flac +\(score [\d.]+, below the kept copy: the FLAC copy stops at [\d.]+ kHz/,
    );
  });

  it('keeps a transparent MP3 at 44.1 kHz over a FLAC at 22.05 kHz', () => {
    const kept = keptIn('lowrate');
    expect(kept.path).toMatch(/b-320\.mp3$/);
    expect(kept.why).toMatch(
      /^the FLAC copy stops at 1[01]\.\d+ kHz, the kept copy reaches (19|20)\.\d+ kHz \(band-limited\)$/,
    );
    expect(listed('lowrate')).toEqual(['b-320.mp3']);
  });

  it('keeps the well-tagged copy of audio alike, though scanned after its badly tagged twin', () => {
    const kept = keptIn('tagged');
    expect(kept.path).toMatch(/b-copied\.flac$/);
    expect(kept.why).toBe('better tags: artist, album and track numbers');
    expect(listed('tagged')).toEqual(['b-copied.flac']);
  });

  it('follows the user’s edits: a byte-identical copy given its track and album is kept, live in the mount', async () => {
    expect(keptIn('edited').path).toMatch(/\/a\.flac$/);
    expect(listed('edited')).toEqual(['a.flac']);
    expect(served('Edited')).toEqual([expect.stringMatching(/\/non\//)]);
    const set = sleeveHere(home, ['set', 'path:edited/b.flac', 'tracknumber=4', 'album=Edited Album', '-y']);
    expect(set.status, set.stderr).toBe(0);
    const kept = keptIn('edited');
    expect(kept.path).toMatch(/\/b\.flac$/);
    expect(kept.why).toBe('better tags: album and track numbers');
    expect(listed('edited')).toEqual(['b.flac']);
    // The running mount serves it in place of its twin, named by its own tags.
    await waitFor('the mount to serve the edited copy', () => {
      const paths = served('Edited');
      return paths.length === 1 && paths[0]!.includes('Edited Album') ? true : undefined;
    });
  });

  it('carries the edits of an AAC kept before its difference from its source was measured to the source, live in the mount', async () => {
    const members = groups()
      .flatMap((g) => g.members)
      .filter((m) => m.path.includes('/aac/'));
    const ogg = members.find((m) => m.path.endsWith('/a-original.ogg'))!;
    const aac = members.find((m) => m.path.endsWith('/b-encode.m4a'))!;
    // As a library measured by an older Sleeve is: the pair never compared, its recording due.
    const db = openDatabase(join(home, 'library.db'));
    try {
      db.prepare('DELETE FROM copy_residuals WHERE copy_id = ?').run(aac.id);
      db.prepare(
        'INSERT OR IGNORE INTO residual_groups_due SELECT group_id FROM recording_members WHERE file_id = ?',
      ).run(aac.id);
    } finally {
      db.close();
    }
    expect(keptIn('aac').path).toMatch(/b-encode\.m4a$/);
    const set = sleeveHere(home, ['set', 'path:aac/b-encode.m4a', 'title=Renamed', '-y']);
    expect(set.status, set.stderr).toBe(0);
    const scan = sleeveHere(home, ['scan', '--no-embeddings', lib]);
    expect(scan.status, scan.stderr).toBe(0);
    expect(scan.stdout).toMatch(
      /^1 pair\(s\) of lossy copies compared by their decodes in [\d.]+s: in 1, the copy of more bits holds nothing more than the other \(sleeve dup\)$/m,
    );
    expect(scan.stdout).toContain(
      `Carried your edits (title) from track ${aac.id}, found to hold nothing more than a lossy copy of it, to track ${ogg.id}, its recording's kept copy now`,
    );
    expect(keptIn('aac').path).toMatch(/a-original\.ogg$/);
    const [source] = sleeveHereJson<Array<{ tags: Record<string, string[]> }>>(home, [
      'ls',
      '--json',
      'path:aac/a-original.ogg',
    ]);
    expect(source!.tags.title).toEqual(['Renamed']);
    await waitFor('the mount to serve the source with the edit', () => {
      const paths = served('Renamed');
      return paths.length === 1 && paths[0]!.endsWith('.ogg') ? true : undefined;
    });
  });

  it('keeps its measure of a pair through a rewrite of the tags alone: not decoded again, the source still kept', () => {
    tool('vorbiscomment', ['-a', '-t', 'COMMENT=retagged elsewhere', join(lib, 'aac', 'a-original.ogg')]);
    const scan = sleeveHere(home, ['scan', '--no-embeddings', lib]);
    expect(scan.status, scan.stderr).toBe(0);
    expect(scan.stdout).toMatch(/^0 added, 1 updated/m);
    expect(scan.stdout).toMatch(/^\d+ fingerprinted, 0 analysed for similarity, 1 measured for loudness/m);
    expect(scan.stdout).not.toContain('compared by their decodes');
    expect(keptIn('aac').path).toMatch(/a-original\.ogg$/);
  });
});
