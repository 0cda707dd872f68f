// Partial copies and related recordings, by coverage and whatever the scan order: a copy cut at the start
// scanned before its full copies is still the partial one; a 3:00 track inside its extended version is a
// related recording, listed on its own, not a hidden "partial copy".
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { writeCutAndExtended } from '../fixtures/copies.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

interface Member {
  path: string;
  partialOffset: number | null;
  best: boolean;
}
interface Relation {
  longer: { path: string };
  shorter: { path: string };
  start: number;
  overlap: number;
}

const name = (path: string) => path.split('/').slice(-2).join('/');
let lib: string;
let originals: Map<string, string>;

beforeAll(() => {
  lib = tempDir();
  writeCutAndExtended(lib, 'a');
  originals = hashTree(lib);
});

/** Scans the folders one after another, as a library grows; returns the home. */
function scanInOrder(folders: readonly string[]): string {
  const home = tempDir();
  for (const f of folders) {
    const r = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', join(lib, f)]);
    expect(r.status, r.stderr).toBe(0);
  }
  return home;
}

describe.each([
  ['the cut copy first', ['cut', 'full', 'ext']],
  ['the full copies first, then the extended version', ['full', 'ext', 'cut']],
])('scanned with %s', (_, order) => {
  let home: string;
  beforeAll(() => {
    home = scanInOrder(order);
  });

  test('the cut copy is the partial one, and a full copy is kept', () => {
    const groups = sleeveHereJson<Array<{ members: Member[] }>>(home, ['dup', '--json']);
    expect(groups).toHaveLength(1);
    const members = Object.fromEntries(groups[0]!.members.map((m) => [name(m.path), m]));
    expect(Object.keys(members).sort()).toEqual(['cut/a-cut.flac', 'full/a.flac', 'full/a.mp3']);
    expect(members['cut/a-cut.flac']!.partialOffset).toBeCloseTo(15, 0);
    expect(members['full/a.flac']!.partialOffset).toBeNull();
    expect(members['full/a.mp3']!.partialOffset).toBeNull();
    expect(members['full/a.flac']!.best).toBe(true);
  });

  test('the extended version is a recording of its own, related to the track it holds', () => {
    const listed = sleeveHereJson<Array<{ path: string }>>(home, ['ls', '--json']).map((t) => name(t.path));
    expect(listed.sort()).toEqual(['ext/a-extended.flac', 'full/a.flac']);
    const relations = sleeveHereJson<Relation[]>(home, ['dup', '--related', '--json']);
    expect(relations).toHaveLength(1);
    expect(name(relations[0]!.longer.path)).toBe('ext/a-extended.flac');
    expect(name(relations[0]!.shorter.path)).toBe('full/a.flac');
    expect(relations[0]!.start).toBeCloseTo(40, 0);
    expect(relations[0]!.overlap).toBeGreaterThan(50);
    expect(sleeveHere(home, ['dup']).stdout).toMatch(
      /related recordings[^\n]*\n {2}track \d+ \S+ext\/a-extended\.flac \(3:00\) contains (0:5\d|1:00) of track \d+ \S+full\/a\.flac \(1:00\), from 0:40 on/,
    );
  });
});

test('a copy cut by 30 s of a 3:20 recording is its partial copy, though the fingerprints share only 90 s', () => {
  // A fingerprint holds a file's first 120 s: the original's 0–120 s and the cut copy's 30–150 s overlap by
  // 90 s, under half of 3:20; what decides is that the cut copy is 2:50 long.
  const long = tempDir();
  const wav = join(tempDir(), 'long.wav');
  writeWav(wav, synthesizePiece(14, 200));
  tool('flac', ['-s', '-f', wav, '-o', join(long, 'long.flac')]);
  tool('sox', [wav, join(long, 'long-cut.flac'), 'trim', '30']);
  const home = tempDir();
  expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', long]).status).toBe(0);
  const groups = sleeveHereJson<Array<{ members: Member[] }>>(home, ['dup', '--json']);
  expect(groups.map((g) => g.members.map((m) => [name(m.path), m.partialOffset]))).toEqual([
    [
      [expect.stringMatching(/long-cut\.flac$/), expect.closeTo(30, 0)],
      [expect.stringMatching(/long\.flac$/), null],
    ],
  ]);
  expect(sleeveHereJson<Relation[]>(home, ['dup', '--related', '--json'])).toEqual([]);
});

test('a 30 s cut of a 2:22 track titled as it is is its partial copy; titled otherwise, a related recording', () => {
  // 21 % of it: below the coverage a cut keeps, so only the title tells a preview from a recording of its own.
  const dir = tempDir();
  const wav = join(tempDir(), 'track.wav');
  writeWav(wav, synthesizePiece(15, 142));
  const title = (t: string) => `--tag=TITLE=${t}`;
  tool('flac', ['-s', '-f', title('Kestrel'), wav, '-o', join(dir, 'kestrel.flac')]);
  const cut = join(tempDir(), 'cut.wav');
  tool('sox', [wav, cut, 'trim', '60', '30']);
  tool('flac', ['-s', '-f', title('Kestrel'), cut, '-o', join(dir, 'kestrel-preview.flac')]);
  const other = join(tempDir(), 'other.wav');
  tool('sox', [wav, other, 'trim', '10', '30']);
  tool('flac', ['-s', '-f', title('Kestrel (radio jingle)'), other, '-o', join(dir, 'jingle.flac')]);
  const home = tempDir();
  expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', dir]).status).toBe(0);
  const groups = sleeveHereJson<Array<{ members: Member[] }>>(home, ['dup', '--json', '--partial']);
  const partials = groups.flatMap((g) => g.members).filter((m) => m.partialOffset !== null);
  expect(partials.map((m) => [name(m.path).split('/')[1], Math.round(m.partialOffset!)])).toEqual([
    ['kestrel-preview.flac', 60],
  ]);
  const relations = sleeveHereJson<Relation[]>(home, ['dup', '--related', '--json']);
  expect(
    relations.map((r) => [name(r.longer.path), name(r.shorter.path)].map((p) => p.split('/')[1])),
  ).toEqual([['kestrel.flac', 'jingle.flac']]);
});

test('copies of pieces too short for AcoustID (8 s and 5 s) are grouped; a sting as long as their start is not', () => {
  // Under 15 s a fingerprint holds under 80 distinct items (the 5 s piece: about 25), too few for AcoustID's
  // lookup, yet two encodes of one piece agree on nearly every bit; copies of such a piece are within a
  // second of each other in length, so a 3 s sting that is the 8 s piece's start stays a recording apart.
  const dir = tempDir();
  const wav = (seed: number, seconds: number) => {
    const path = join(tempDir(), `${seed}.wav`);
    writeWav(path, synthesizePiece(seed, seconds));
    return path;
  };
  const [eight, five] = [wav(16, 8), wav(17, 5)];
  for (const [piece, n] of [
    [eight, 'eight'],
    [five, 'five'],
  ] as const) {
    tool('flac', ['-s', '-f', piece, '-o', join(dir, `${n}.flac`)]);
    tool('lame', ['--quiet', '-b', '128', piece, join(dir, `${n}.mp3`)]);
    tool('ffmpeg', ['-v', 'error', '-i', piece, '-c:a', 'libvorbis', '-q:a', '3', join(dir, `${n}.ogg`)]);
  }
  tool('sox', [eight, join(dir, 'sting.flac'), 'trim', '0', '3']);
  tool('flac', ['-s', '-f', wav(18, 8), '-o', join(dir, 'other-eight.flac')]);
  const home = tempDir();
  expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', dir]).status).toBe(0);
  const groups = sleeveHereJson<Array<{ members: Member[] }>>(home, ['dup', '--json']);
  const named = groups.map((g) => g.members.map((m) => name(m.path).split('/')[1]).sort());
  expect(named.sort()).toEqual([
    ['eight.flac', 'eight.mp3', 'eight.ogg'],
    ['five.flac', 'five.mp3', 'five.ogg'],
  ]);
  expect(sleeveHereJson<Relation[]>(home, ['dup', '--related', '--json'])).toEqual([]);
});

test('the originals are never written', () => {
  expect(hashTree(lib)).toEqual(originals);
});
