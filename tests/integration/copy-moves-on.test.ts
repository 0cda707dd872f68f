// A recording's edits follow it when one scan moves it twice: in a library from an older Sleeve (no pair
// of its copies compared yet), the edited copy gone missing leaves its recording to a 256 kbps AAC, which
// the difference of the decodes then finds made from the Vorbis beside it. The edits reach the Vorbis,
// the copy kept at the end of the scan.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

interface Member {
  id: number;
  path: string;
  best: boolean;
}

describe('edits of a copy gone missing, as the scan moves its recording twice', () => {
  const lib = tempDir();
  const home = tempDir();
  const work = tempDir();
  const members = () =>
    sleeveHereJson<Array<{ members: Member[] }>>(home, ['dup', '--json']).flatMap((g) => g.members);
  const kept = () => members().find((m) => m.best)!;
  const idOf = (name: string) => members().find((m) => m.path.endsWith(`/${name}`))!.id;
  const scan = () => {
    const r = sleeveHere(home, ['scan', '--no-embeddings', lib]);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };

  beforeAll(() => {
    // Music reaching 20 kHz (pink noise under the piece): a 96 kbps Vorbis stops near 16 kHz, a 320 kbps
    // MP3 of the master near 20 kHz, so the MP3 is kept; beside them an AAC made from the Vorbis (0.05 dB
    // down, as a transcode's loudness moves).
    const piece = join(work, 'piece.wav');
    writeWav(piece, synthesizePiece(31, 30));
    const master = join(work, 'master.wav');
    tool('sox', ['-m', piece, '|sox -n -r 44100 -c 2 -b 16 -p synth 30 pinknoise vol 0.3', master]);
    mkdirSync(join(lib, 'a'));
    const vorbis = join(lib, 'a', 'a-original.ogg');
    tool('oggenc', ['-Q', '-b', '96', '-t', 'Moves', '-a', 'Band', master, '-o', vorbis]);
    tool('lame', [
      '--quiet',
      '-b',
      '320',
      '--tt',
      'Moves',
      '--ta',
      'Band',
      master,
      join(lib, 'a', 'b-master.mp3'),
    ]);
    tool('ffmpeg', [
      ...['-v', 'error', '-i', vorbis, '-af', 'volume=-0.05dB', '-c:a', 'aac', '-b:a', '256k'],
      ...['-metadata', 'title=Moves', '-metadata', 'artist=Band', join(lib, 'a', 'c-transcode.m4a')],
    ]);
  }, 120_000);

  it('carries them to the copy the recording keeps at the end of the scan', () => {
    scan();
    expect(kept().path).toMatch(/b-master\.mp3$/);
    const [mp3, ogg] = [idOf('b-master.mp3'), idOf('a-original.ogg')];
    const set = sleeveHere(home, ['set', 'path:a/b-master.mp3', 'title=Edited Title', '-y']);
    expect(set.status, set.stderr).toBe(0);
    // As an older Sleeve left it: the pair never compared, the recording due.
    const db = openDatabase(join(home, 'library.db'));
    try {
      db.exec('DELETE FROM copy_residuals');
      db.exec('INSERT OR IGNORE INTO residual_groups_due SELECT group_id FROM recording_members');
    } finally {
      db.close();
    }
    rmSync(join(lib, 'a', 'b-master.mp3'));
    const out = scan();
    expect(out).toMatch(/^1 pair\(s\) of lossy copies compared by their decodes/m);
    expect(kept().path).toMatch(/a-original\.ogg$/);
    const [track] = sleeveHereJson<Array<{ tags: Record<string, string[]> }>>(home, [
      'ls',
      '--json',
      'path:a/a-original.ogg',
    ]);
    expect(track!.tags.title).toEqual(['Edited Title']);
    expect(out).toContain(
      `Carried your edits (title) from track ${mp3}, missing on disk, to track ${ogg}, its recording's kept copy now`,
    );
  });
});
