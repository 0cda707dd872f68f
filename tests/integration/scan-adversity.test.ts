// One bad entry never aborts a scan: a folder whose path is longer than the system allows is reported with
// that reason, and everything else is scanned; a name that is not valid UTF-8 is no bad entry at all.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../fixtures/backend.ts';
import { makeWav } from '../fixtures/library.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sha256 = (path: string | Buffer) => sha256Of(readFileSync(path));

/** Every file under a folder (the mount's names are UTF-8: built from tags by the template). */
function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

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
    const r = sleeveHere(join(tempDir(), 'home'), [
      'scan',
      '--no-fingerprint',
      '--no-embeddings',
      '--no-loudness',
      music,
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^1 added, /);
    expect(r.stderr).toMatch(/skipped folder .*d{200}: its path is longer than the system allows/);
  });

  it('keeps files whose names are not valid UTF-8: listed escaped, read, fingerprinted, served and mounted by their bytes', async () => {
    const music = join(tempDir(), 'music');
    mkdirSync(music);
    // Music long enough to fingerprint and group (a pure tone is too uniform).
    writeWav(join(music, 'ok.wav'), synthesizePiece(1, 15));
    const wav = readFileSync(join(music, 'ok.wav'));
    const bytes = (...parts: Array<string | number[]>) =>
      Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    // f<FF>.wav; without an extension (recognized by content) n<C3 28>; a folder d<FE> holding a track; an
    // M4A, which goes through ffmpeg (its argument cannot carry the bytes); and a text file, not audio.
    const badFile = bytes(`${music}/`, [0x66, 0xff], '.wav');
    const badNoExt = bytes(`${music}/`, [0x6e, 0xc3, 0x28]);
    const badDir = bytes(`${music}/`, [0x64, 0xfe]);
    const badM4a = bytes(`${music}/`, [0x61, 0xe9], '.m4a');
    const notAudio = bytes(`${music}/`, [0x72, 0xe9, 0x61, 0x64, 0x6d, 0x65]);
    writeFileSync(badFile, wav);
    writeFileSync(badNoExt, wav);
    writeFileSync(notAudio, 'a stray text file, not audio');
    mkdirSync(badDir);
    const inner = Buffer.concat([badDir, Buffer.from('/inner.wav')]);
    writeWav(join(music, 'tmp.wav'), synthesizePiece(2, 15));
    writeFileSync(inner, readFileSync(join(music, 'tmp.wav')));
    tool('ffmpeg', [
      '-v',
      'error',
      '-i',
      join(music, 'tmp.wav'),
      '-c:a',
      'aac',
      '-f',
      'mp4',
      join(music, 'tmp.m4a'),
    ]);
    writeFileSync(badM4a, readFileSync(join(music, 'tmp.m4a')));
    rmSync(join(music, 'tmp.wav'));
    rmSync(join(music, 'tmp.m4a'));
    const originals = [join(music, 'ok.wav'), badFile, badNoExt, notAudio, inner, badM4a];
    const before = originals.map(sha256);

    const home = join(tempDir(), 'home');
    const r = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^5 added, 0 updated, 0 unchanged, 0 missing, 0 unreadable /);
    const shown = [
      `${music}/a\\xE9.m4a`,
      `${music}/d\\xFE/inner.wav`,
      `${music}/f\\xFF.wav`,
      `${music}/n\\xC3(`,
      `${music}/ok.wav`,
    ];
    // Every file: some are copies of one recording (the same generated audio).
    const tracks = sleeveHereJson<Array<{ id: number; path: string }>>(home, [
      'ls',
      '--json',
      '--all-copies',
    ]);
    expect(tracks.map((t) => t.path)).toEqual(shown);
    expect(sleeveHere(home, ['ls', '--all-copies']).stdout).not.toContain('\uFFFD');
    // Every one was decoded and fingerprinted through its bytes.
    for (const t of tracks) {
      const info = sleeveHereJson<{ path: string; fingerprint?: { status: string } }>(home, [
        'info',
        String(t.id),
        '--json',
      ]);
      expect(info.path).toBe(t.path);
      expect(JSON.stringify(info)).not.toMatch(/error/i);
    }
    expect(sleeveHere(home, ['dup']).stdout).toMatch(/ok\.wav[\s\S]*f\\xFF\.wav|f\\xFF\.wav[\s\S]*ok\.wav/);

    // The app plays it by its bytes: /media serves it as the mount does.
    const backend = await startBackend(home, tempDir(), { watchMs: 1000 });
    try {
      const id = tracks.find((t) => t.path.endsWith('f\\xFF.wav'))!.id;
      const res = await fetch(
        `http://127.0.0.1:${backend.server.port}/media/${id}?token=${backend.server.token}`,
      );
      expect(res.status).toBe(200);
      // As the mount serves it: a header from the library, then the original's audio chunk.
      const served = Buffer.from(await res.arrayBuffer());
      expect(served.subarray(0, 4).toString()).toBe('RIFF');
      expect(served.subarray(-1024).equals(wav.subarray(-1024))).toBe(true);
    } finally {
      await backend.close();
    }

    // The mount serves it: a WAV is served with a new header before its original audio chunk, read
    // through the original's bytes, so every original's audio chunk ends a served file.
    const mnt = join(tempDir(), 'mnt');
    mkdirSync(mnt);
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
    const audioChunk = (bytes: Buffer) => bytes.subarray(bytes.indexOf('data'));
    try {
      const served = listFiles(mnt).filter((f) => f.endsWith('.wav') || !f.includes('.'));
      const servedAudio = served.map((f) => sha256Of(audioChunk(readFileSync(f)))).sort();
      for (const original of [badFile, badNoExt, inner])
        expect(servedAudio).toContain(sha256Of(audioChunk(readFileSync(original))));
    } finally {
      if (sleeveHere(home, ['umount', mnt]).status !== 0) spawnSync('fusermount', ['-uz', mnt]);
    }

    // Nothing changed: a second scan finds the same files as they were.
    const again = sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]);
    expect(again.stdout).toMatch(/^0 added, 0 updated, 5 unchanged, 0 missing, 0 unreadable /);
    expect(originals.map(sha256)).toEqual(before);
  }, 120_000);
});
