// One bad entry never aborts a scan: a folder whose path is longer than the system allows, or a name that
// is not valid UTF-8, is reported with that reason, and everything else is scanned.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { sleeve, sleeveJson, tempDir } from '../helpers.ts';

const sha256 = (path: string | Buffer) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('a scan under adversity', () => {
  it('reports a folder too deep for the system (ENAMETOOLONG) and scans the rest', () => {
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    makeWav(join(music, 'ok.wav'), 330, 0.5, 8000, 1);
    // 25 levels of 200-character names: past PATH_MAX (4096), reachable only step by step.
    const name = 'd'.repeat(200);
    execFileSync('sh', [
      '-c',
      `cd "$1" && for i in $(seq 25); do mkdir ${name} && cd ${name}; done; cp ../ok.wav . 2>/dev/null; true`,
      'sh',
      music,
    ]);
    const r = sleeve(join(tempDir(), 'home'), ['scan', '--no-fingerprint', '--no-embeddings', music]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^1 added, /);
    expect(r.stderr).toMatch(/skipped folder .*d{200}: its path is longer than the system allows/);
  });

  it('records a file whose name is not valid UTF-8 with that reason, and scans the rest', () => {
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    makeWav(join(music, 'ok.wav'), 330, 0.5, 8000, 1);
    const wav = readFileSync(join(music, 'ok.wav'));
    const bytes = (...parts: Array<string | number[]>) =>
      Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    // f<FF>.wav and, without an extension (recognized by content), n<C3 28>; a folder d<FE> holding a track.
    const badFile = bytes(`${music}/`, [0x66, 0xff], '.wav');
    const badNoExt = bytes(`${music}/`, [0x6e, 0xc3, 0x28]);
    const badDir = bytes(`${music}/`, [0x64, 0xfe]);
    const notAudio = bytes(`${music}/`, [0x72, 0xe9, 0x61, 0x64, 0x6d, 0x65]);
    writeFileSync(badFile, wav);
    writeFileSync(badNoExt, wav);
    writeFileSync(notAudio, 'a stray text file, not audio');
    mkdirSync(badDir);
    const inner = Buffer.concat([badDir, Buffer.from('/inner.wav')]);
    writeFileSync(inner, wav);
    const originals = [join(music, 'ok.wav'), badFile, badNoExt, notAudio, inner];
    const before = originals.map(sha256);

    const home = join(tempDir(), 'home');
    const r = sleeve(home, ['scan', '--no-fingerprint', '--no-embeddings', music]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^1 added, 0 updated, 0 unchanged, 0 missing, 2 errors /);
    expect(r.stderr).toContain(`skipped folder ${music}/d\\xFE: its name is not valid UTF-8`);
    const errors = sleeve(home, ['ls', '--errors']).stdout;
    expect(errors).toContain(`${music}/f\\xFF.wav: unreadable: its name is not valid UTF-8`);
    expect(errors).toContain(`${music}/n\\xC3(: unreadable: its name is not valid UTF-8`);
    expect(errors).not.toContain('\uFFFD');
    expect(errors).not.toContain('r\\xE9adme'); // no audio extension and no audio: not part of the library
    const paths = (args: string[]) => sleeveJson<Array<{ path: string }>>(home, args).map((t) => t.path);
    expect(paths(['ls', '--json'])).toEqual([`${music}/ok.wav`]);
    expect(paths(['ls', '--json', '--errors']).sort()).toEqual([`${music}/f\\xFF.wav`, `${music}/n\\xC3(`]);
    // Nothing changed: a second scan finds the same files as they were.
    const again = sleeve(home, ['scan', '--no-fingerprint', '--no-embeddings', music]);
    expect(again.stdout).toMatch(/^0 added, 0 updated, 3 unchanged, 0 missing, 0 errors /);
    expect(originals.map(sha256)).toEqual(before);
  });
});
