// A scan counts every unreadable file in its folders, those known from earlier scans too: a library with
// an unreadable file never reads "0 errors". Those it could not read this time are said apart ("new").
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { offLimits } from '../../app/core/scan/off-limits.ts';
import { scan } from '../../app/core/scan/scanner.ts';
import { makeWav } from '../fixtures/library.ts';
import { sleeveHere, tempDir } from '../helpers.ts';

const QUICK = ['--no-fingerprint', '--no-embeddings', '--no-loudness'];

describe('unreadable files in a scan summary', () => {
  it('are counted again when unchanged, the ones read this time said apart', async () => {
    const music = join(tempDir(), 'music');
    makeWav(join(music, 'good.wav'), 440, 1);
    writeFileSync(join(music, 'broken.flac'), 'fLaC but nothing after');
    const db = openDatabase(join(tempDir(), 'library.db'));
    const options = { folders: [music], workers: 1, includeHidden: false, ignore: [] };
    expect(await scan(db, options, await offLimits(db))).toMatchObject({
      added: 1,
      errors: 1,
      unreadable: 1,
    });
    expect(await scan(db, options, await offLimits(db))).toMatchObject({
      unchanged: 2,
      errors: 0,
      unreadable: 1,
    });
    writeFileSync(join(music, 'also broken.mp3'), 'ID3 and nothing else');
    expect(await scan(db, options, await offLimits(db))).toMatchObject({ errors: 1, unreadable: 2 });
    db.close();
  });

  it('are in the CLI summary: "N unreadable (M new)"', () => {
    const home = join(tempDir(), 'home');
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    makeWav(join(music, 'good.wav'), 440, 1);
    writeFileSync(join(music, 'broken.flac'), 'fLaC but nothing after');
    const first = sleeveHere(home, ['scan', ...QUICK, music]);
    expect(first.stdout).toMatch(/, 0 missing, 1 unreadable in /);
    const again = sleeveHere(home, ['scan', ...QUICK, music]);
    expect(again.stdout).toMatch(/^0 added, 0 updated, 2 unchanged, 0 missing, 1 unreadable \(0 new\) in /m);
    expect(again.stdout).toContain('unreadable files and why: sleeve ls --errors');
  });
});
