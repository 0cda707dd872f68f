// Acoustic duplicate groups end to end: a generated library where each piece exists as FLAC, MP3 320k,
// MP3 128k, Ogg Vorbis, −6 dB, 22.05 kHz and start-trimmed variants, plus files that must never group.
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { copyCachedFixture } from '../fixtures/cached.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

const PIECES = 4;
const VARIANTS = [
  'flac.flac',
  'mp3-320.mp3',
  'mp3-128.mp3',
  'vorbis.ogg',
  'quiet.flac',
  '22k.flac',
  'trimmed.flac',
];

interface Member {
  id: number;
  path: string;
  partialOffset: number | null;
  score: number;
  best: boolean;
  identicalTo: number | null;
}
interface Group {
  group: number;
  members: Member[];
}

let lib: string;
let home: string;

function makeLibrary(root: string): void {
  const work = join(root, '.work');
  mkdirSync(work, { recursive: true });
  for (let k = 0; k < PIECES; k++) {
    const dir = join(root, `piece${k}`);
    mkdirSync(dir, { recursive: true });
    const wav = join(work, `p${k}.wav`);
    writeWav(wav, synthesizePiece(k + 1, 60));
    const out = (name: string) => join(dir, name);
    tool('flac', ['-s', '-f', wav, '-o', out('flac.flac')]);
    tool('lame', ['--quiet', '-b', '320', wav, out('mp3-320.mp3')]);
    tool('lame', ['--quiet', '-b', '128', wav, out('mp3-128.mp3')]);
    tool('ffmpeg', ['-v', 'error', '-i', wav, '-c:a', 'libvorbis', '-q:a', '4', out('vorbis.ogg')]);
    tool('sox', [wav, out('quiet.flac'), 'vol', '-6dB']);
    tool('sox', [wav, out('22k.flac'), 'rate', '22050']);
    tool('sox', [wav, out('trimmed.flac'), 'trim', '20']);
  }
  const odd = join(root, 'odd');
  mkdirSync(odd, { recursive: true });
  tool('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', join(odd, 'silence.flac'), 'trim', '0', '20']);
  writeWav(join(odd, 'short.wav'), synthesizePiece(99, 3));
  // Valid metadata and first frame sync, garbage audio: the metadata scan accepts it, decoding cannot.
  const broken = join(odd, 'broken.flac');
  tool('flac', ['-s', '-f', join(work, 'p0.wav'), '-o', broken]);
  const bytes = readFileSync(broken);
  let audio = 4;
  for (let last = false; !last; audio += 4 + bytes.readUIntBE(audio + 1, 3))
    last = (bytes[audio]! & 0x80) !== 0;
  for (let i = audio + 2; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
  writeFileSync(broken, bytes);
  rmSync(work, { recursive: true });
}

const pieceOf = (path: string) => /piece(\d)/.exec(path)?.[1];

beforeAll(() => {
  lib = tempDir();
  home = tempDir();
  // Keyed by this file: a change to makeLibrary (or to anything else here) makes the library anew.
  copyCachedFixture(
    lib,
    'duplicates',
    [new URL(import.meta.url), new URL('../fixtures/music.ts', import.meta.url)],
    makeLibrary,
  );
}, 120_000);

describe('recording groups', () => {
  let groups: Group[];
  let before: Map<string, string>;

  beforeAll(() => {
    before = hashTree(lib);
    const r = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', lib]);
    expect(r.status, r.stderr).toBe(0);
    groups = sleeveHereJson<Group[]>(home, ['dup', '--json']);
  }, 120_000);

  test('every variant lands in its piece’s group, and no group mixes pieces', () => {
    expect(groups).toHaveLength(PIECES);
    for (const g of groups) {
      const pieces = new Set(g.members.map((m) => pieceOf(m.path)));
      expect(pieces.size, JSON.stringify(g.members.map((m) => m.path))).toBe(1);
      expect(g.members.map((m) => m.path.split('/').pop()).sort()).toEqual([...VARIANTS].sort());
    }
  });

  test('trimmed copies are partial with their offset; the others are full copies', () => {
    for (const g of groups) {
      for (const m of g.members) {
        if (m.path.endsWith('trimmed.flac')) expect(m.partialOffset).toBeCloseTo(20, 0);
        else expect(m.partialOffset, m.path).toBeNull();
      }
      const best = g.members.filter((m) => m.best);
      expect(best).toHaveLength(1);
      expect(best[0]!.path).toMatch(/\.flac$/);
      for (const m of g.members) expect(m.score).toBeGreaterThan(0.4);
    }
  });

  test('silence, a too-short track with no copy and undecodable audio are recorded as such and never grouped', () => {
    // Exit status 1 when no requested file has a fingerprint; the JSON still says why.
    const fp = (name: string) =>
      JSON.parse(sleeveHere(home, ['fingerprint', '--json', `path:${name}`]).stdout) as Array<{
        status: string;
        error?: string;
      }>;
    expect(fp('silence.flac')[0]!.status).toBe('silent');
    expect(fp('short.wav')[0]!.status).toBe('too_short');
    const broken = fp('broken.flac')[0]!;
    expect(broken.status).toBe('error');
    expect(broken.error).toBeTruthy();
    const grouped = groups.flatMap((g) => g.members.map((m) => m.path));
    expect(grouped.some((p) => p.includes('/odd/'))).toBe(false);
  });

  test('sleeve fingerprint prints what fpcalc prints for a FLAC file', () => {
    const path = join(lib, 'piece1', 'flac.flac');
    const ours = sleeveHere(home, ['fingerprint', `path:piece1/flac.flac`]);
    expect(ours.status, ours.stderr).toBe(0);
    const ref = tool('sh', ['-c', `fpcalc "${path}"; true`]).toString();
    expect(ours.stdout).toBe(ref);
  });

  test('the originals are never written', () => {
    expect(hashTree(lib)).toEqual(before);
  });

  test('groups follow the library incrementally: a vanished copy leaves, a returning one rejoins', () => {
    const victim = join(lib, 'piece2', 'mp3-128.mp3');
    const saved = Buffer.alloc(statSync(victim).size);
    const fd = openSync(victim, 'r');
    readSync(fd, saved, 0, saved.length, 0);
    closeSync(fd);
    rmSync(victim);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', lib]).status).toBe(0);
    const after = sleeveHereJson<Group[]>(home, ['dup', '--json']);
    const g2 = after.find((g) => pieceOf(g.members[0]!.path) === '2')!;
    expect(g2.members).toHaveLength(VARIANTS.length - 1);
    const w = openSync(victim, 'w');
    writeSync(w, saved);
    closeSync(w);
    const again = sleeveHere(home, ['scan', '--json', '--no-embeddings', '--no-loudness', lib]);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).analysis.fingerprinted).toBe(1);
    const back = sleeveHereJson<Group[]>(home, ['dup', '--json']);
    expect(back.find((g) => pieceOf(g.members[0]!.path) === '2')!.members).toHaveLength(VARIANTS.length);
    expect(back).toHaveLength(PIECES);
  }, 60_000);

  test('a query keeps the groups with a copy it matches, read as sleeve ls reads it', () => {
    const dup = (...args: string[]) => sleeveHereJson<Group[]>(home, ['dup', ...args, '--json']);
    const one = dup('path:piece1/mp3-320');
    expect(one).toHaveLength(1);
    // The whole group, not only the copy that matched.
    expect(one[0]!.members.map((m) => pieceOf(m.path))).toEqual(VARIANTS.map(() => '1'));
    expect(dup('path:piece1/', ',', 'path:piece3/').map((g) => pieceOf(g.members[0]!.path))).toEqual([
      '1',
      '3',
    ]);
    expect(dup('--partial', 'path:piece2/')).toHaveLength(1);
    const none = sleeveHere(home, ['dup', 'path:nowhere']);
    expect([none.status, none.stdout]).toEqual([
      0,
      'no duplicate recordings with a copy matching "path:nowhere"\n',
    ]);
    const typo = sleeveHere(home, ['dup', 'paht:piece1']);
    expect([typo.status, typo.stderr]).toEqual([1, expect.stringContaining('did you mean path?')]);
    expect(sleeveHere(home, ['dup', '--related', 'piece1']).status).toBe(2);
  });
});

describe('an edit to recordings (sleeve set --copies)', () => {
  test('reaches every present copy of the matching tracks, and one undo reverts it', () => {
    const genres = () =>
      new Map(
        sleeveHereJson<Array<{ path: string; tags: Record<string, string[]> }>>(home, [
          'ls',
          '--json',
          'path:piece',
        ]).map((t) => [t.path, t.tags.genre?.join() ?? '']),
      );
    const before = genres();
    const r = sleeveHere(home, ['set', '-y', '--copies', 'path:piece1/flac.flac', 'genre=Every Copy']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`1 recording(s) match; with their other copies: ${VARIANTS.length} file(s)`);
    const after = genres();
    for (const [path, genre] of after)
      expect(genre, path).toBe(pieceOf(path) === '1' ? 'Every Copy' : before.get(path));
    expect(sleeveHere(home, ['history']).stdout.split('\n')[0]).toContain('and their copies');
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(genres()).toEqual(before);
  });
});
