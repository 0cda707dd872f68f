// Playlists from the shell and in the mount: a list made from a query, a smart playlist, an imported M3U8
// (with what it could not place reported); each served as Playlists/<name>.m3u8 with paths relative to the
// folder, that mpv plays entry by entry and whose every entry ffprobe opens; following the library live
// (a new kept copy, a renamed track, a playlist removed); sanitized names; an all-missing list still listed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCopies } from '../fixtures/copies.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

interface Listed {
  id: number;
  path: string;
}

const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The entries of an M3U8 file (its non-comment lines). */
const entries = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

describe('playlists', () => {
  const lib = tempDir();
  const home = tempDir();
  const mnt = join(tempDir(), 'mnt');
  const lists = join(mnt, 'Playlists');
  let before: Map<string, string>;
  const ids = new Map<string, number>();

  beforeAll(() => {
    writeCopies(lib, 'amber', 'bronze');
    before = hashTree(lib);
    const scan = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', lib]);
    expect(scan.status, scan.stderr).toBe(0);
    for (const t of sleeveHereJson<Listed[]>(home, ['ls', '--json', '--all-copies']))
      ids.set(name(t.path), t.id);
    const mount = sleeveHere(home, ['mount', mnt]);
    expect(mount.status, mount.stderr).toBe(0);
  }, 120_000);

  afterAll(() => {
    sleeveHere(home, ['umount', mnt]);
    rmSync(lib, { recursive: true, force: true });
  });

  const m3u = (file: string) => readFileSync(join(lists, file), 'utf8');
  /** The mount's playlist files; none while the mount has not published its first playlist yet. */
  const playlistFiles = () => (existsSync(lists) ? readdirSync(lists) : []);
  /** The served file names a playlist's entries lead to, checked to exist in the mount. */
  const served = (file: string) =>
    entries(m3u(file)).map((e) => {
      const at = join(lists, e);
      readFileSync(at, { flag: 'r' }).subarray(0, 4); // it opens
      return name(at);
    });
  /**
   * `served`, or undefined while a change is half published: the daemon serves the library's change
   * first and rewrites the playlists right after, so for a moment an entry may lead to the copy no
   * longer served.
   */
  const settled = (file: string) => {
    try {
      return served(file).join();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };

  it('makes a list from a query (one file per recording) and a smart playlist, and lists them', () => {
    const made = sleeveHere(home, ['playlist', 'new', 'Both', 'path:/amber|bronze/']);
    expect(made.stdout).toBe('playlist “Both”: 2 tracks (list)\n');
    const smart = sleeveHere(home, ['playlist', 'new', 'Ambers', '--smart', 'path:amber']);
    expect(smart.stdout).toBe('playlist “Ambers”: 1 tracks (smart: path:amber)\n');
    const listed = sleeveHereJson<Array<{ name: string; tracks: number; query: string | null }>>(home, [
      'playlist',
      '--json',
    ]);
    expect(listed.map((p) => [p.name, p.tracks, p.query])).toEqual([
      ['Ambers', 1, 'path:amber'],
      ['Both', 2, null],
    ]);
    // Names are unique in any case; a smart playlist's query is checked; a limit needs --smart.
    expect(sleeveHere(home, ['playlist', 'new', 'both']).stderr).toContain(
      'a playlist named “both” exists already',
    );
    expect(sleeveHere(home, ['playlist', 'new', 'X', '--smart', 'year:abc..']).status).toBe(1);
    expect(sleeveHere(home, ['playlist', 'new', 'X', '--limit', '3']).status).toBe(2);
    expect(sleeveHere(home, ['playlist', 'new', '  ']).stderr).toContain('a playlist needs a name');
    expect(sleeveHere(home, ['playlist', 'new', 'x'.repeat(201)]).stderr).toContain(
      'a playlist name has at most 200 characters',
    );
    for (const limit of ['0', '2.5', 'many'])
      expect(
        sleeveHere(home, ['playlist', 'new', 'X', '--smart', 'path:amber', '--limit', limit]).stderr,
      ).toContain("a playlist's limit is a whole number from 1 to 100000");
    expect(sleeveHere(home, ['playlist', 'rename', 'both', 'AMBERS']).stderr).toContain(
      'a playlist named “AMBERS” exists already',
    );
    expect(sleeveHere(home, ['playlist', 'frobnicate']).status).toBe(2);
    // A smart playlist's query changes; a list has none to change. (Each query finds amber alone: the
    // mount, which renders each version it sees, shows the same file whichever it saw last.)
    expect(sleeveHere(home, ['playlist', 'query', 'ambers', 'path:amb', '--limit', '5']).stdout).toBe(
      'playlist “Ambers”: 1 tracks (smart: path:amb (at most 5))\n',
    );
    expect(sleeveHere(home, ['playlist', 'query', 'both', 'path:amber']).stderr).toContain(
      '“Both” is a list of tracks, not a smart playlist',
    );
    expect(sleeveHere(home, ['playlist', 'query', 'ambers', 'path:amber']).status).toBe(0);
    expect(sleeveHere(home, ['playlist', 'show', 'nope']).stderr).toContain('no playlist is named “nope”');
    // A track added again is listed twice, and said so.
    expect(sleeveHere(home, ['playlist', 'new', 'Twice', 'path:amber']).status).toBe(0);
    expect(sleeveHere(home, ['playlist', 'add', 'Twice', 'path:/amber|bronze/']).stdout).toBe(
      'playlist “Twice”: added 2 (1 of them listed already: now twice), 3 tracks\n',
    );
    expect(sleeveHere(home, ['playlist', 'rm', 'Twice']).status).toBe(0);
  });

  it('serves each playlist in the mount, with paths relative to it that players open', async () => {
    await waitFor('the playlists in the mount', () =>
      playlistFiles().sort().join() === 'Ambers.m3u8,Both.m3u8' ? true : undefined,
    );
    const text = m3u('Both.m3u8');
    expect(text.startsWith('#EXTM3U\n#EXTINF:60,')).toBe(true);
    expect(entries(text).every((e) => e.startsWith('../'))).toBe(true);
    expect(served('Both.m3u8').sort()).toEqual(['amber.flac', 'bronze.wav']);
    expect(served('Ambers.m3u8')).toEqual(['amber.flac']);
    // Every entry opens in ffprobe as audio of the right length.
    for (const e of entries(text)) {
      const probe = execFileSync('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'format=duration',
        '-of',
        'csv=p=0',
        join(lists, e),
      ]);
      expect(Number(probe.toString())).toBeCloseTo(60, 0);
    }
    // mpv plays the playlist file from the mount, entry after entry.
    const mpv = execFileSync(
      'mpv',
      ['--no-config', '--ao=null', '--vo=null', '--length=0.1', `--playlist=${join(lists, 'Both.m3u8')}`],
      { encoding: 'utf8', cwd: lists, timeout: 60_000 },
    );
    const playing = [...mpv.matchAll(/^Playing: (.*)$/gm)].map((m) => name(m[1]!));
    expect(playing.sort()).toEqual(['amber.flac', 'bronze.wav']);
    // Read-only, and said so (r--r--r--): players and shells cannot change or remove them.
    expect(statSync(join(lists, 'Both.m3u8')).mode & 0o777).toBe(0o444);
    // Root passes the mode and the daemon refuses (EROFS); another user is refused by the kernel (EACCES).
    expect(() => writeFileSync(join(lists, 'Both.m3u8'), 'x')).toThrow(/EROFS|EACCES/);
    expect(() => rmSync(join(lists, 'Both.m3u8'))).toThrow(/EROFS|Read-only file system/);
  });

  it('follows the library live: another kept copy, a retitled track, a list that points at a copy left out', async () => {
    const mp3 = ids.get('amber.mp3')!;
    sleeveHere(home, ['playlist', 'new', 'Mp3s', 'path:amber.mp3', '--all-copies']);
    await waitFor('the new list', () => (playlistFiles().includes('Mp3s.m3u8') ? true : undefined));
    // The MP3 is not served (the FLAC is kept): its entry leads to the copy served instead.
    expect(served('Mp3s.m3u8')).toEqual(['amber.flac']);
    expect(sleeveHere(home, ['dup', '--prefer', String(mp3)]).status).toBe(0);
    await waitFor('the smart playlist to follow the kept copy', () =>
      settled('Ambers.m3u8') === 'amber.mp3' ? true : undefined,
    );
    expect(served('Mp3s.m3u8')).toEqual(['amber.mp3']);
    expect(served('Both.m3u8').sort()).toEqual(['amber.mp3', 'bronze.wav']);
    expect(
      sleeveHere(home, ['set', 'path:bronze', 'title=Bronze Age', 'artist=Daniel Roux', '-y']).status,
    ).toBe(0);
    await waitFor('the retitled entry', () =>
      m3u('Both.m3u8').includes('#EXTINF:60,Daniel Roux - Bronze Age') ? true : undefined,
    );
    expect(served('Both.m3u8')).toContain('Bronze Age.wav');
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(sleeveHere(home, ['dup', '--unprefer', String(mp3)]).status).toBe(0);
    await waitFor('the kept FLAC again', () => (settled('Ambers.m3u8') === 'amber.flac' ? true : undefined));
    // A tagger saving through the mount: the playlists follow that change too.
    const flac = join(lists, entries(m3u('Ambers.m3u8'))[0]!);
    execFileSync('metaflac', ['--remove-tag=TITLE', '--set-tag=TITLE=Through the mount', flac]);
    await waitFor('the playlist to follow a save through the mount', () =>
      m3u('Ambers.m3u8').includes('/Through the mount.flac\n') ? true : undefined,
    );
    expect(sleeveHere(home, ['undo']).status).toBe(0);
    // Its entries (their text may still be catching up with the undo just above).
    const mp3s = entries(m3u('Mp3s.m3u8')).length;
    const rm = sleeveHere(home, ['playlist', 'rm', 'mp3s']);
    expect(rm.stdout).toContain('removed playlist “Mp3s”');
    expect(rm.stderr).toContain('undo: sleeve playlist restore "Mp3s"');
    await waitFor('the removed list to leave the mount', () =>
      playlistFiles().includes('Mp3s.m3u8') ? undefined : true,
    );
    expect(sleeveHere(home, ['playlist', 'show', 'Mp3s']).stderr).toMatch(/no playlist is named “Mp3s”/);
    // Undone: back as it was, in the shell and the mount.
    expect(sleeveHere(home, ['playlist', 'restore', 'Mp3s']).stdout).toMatch(
      /^restored playlist “Mp3s” \(list, \d+ tracks?\)/,
    );
    await waitFor('the restored list in the mount', () =>
      playlistFiles().includes('Mp3s.m3u8') && entries(m3u('Mp3s.m3u8')).length === mp3s ? true : undefined,
    );
    expect(mp3s).toBe(1);
    // A removed playlist's name is free: taking it ends that playlist's chance of coming back.
    expect(sleeveHere(home, ['playlist', 'rm', 'Mp3s']).status).toBe(0);
    expect(sleeveHere(home, ['playlist', 'new', 'MP3S', 'path:.ogg']).status).toBe(0);
    const restore = sleeveHere(home, ['playlist', 'restore', 'Mp3s']);
    expect([restore.status, restore.stderr]).toEqual([
      1,
      expect.stringMatching(/no removed playlist is named “Mp3s”/),
    ]);
    expect(sleeveHere(home, ['playlist', 'rm', 'MP3S']).status).toBe(0);
  });

  it('imports an M3U8, reporting each entry it could not place, and refuses a binary body', async () => {
    const dir = tempDir();
    const file = join(dir, 'Road Trip.m3u8');
    writeFileSync(
      file,
      [
        '#EXTM3U',
        '#EXTINF:60,Amber',
        join(lib, 'amber.ogg'),
        'http://radio.example/stream.mp3',
        '../nowhere/gone.flac',
        `file://${join(lib, 'bronze.wav')}`,
        'C:\\Music\\x.mp3',
        relative(dir, join(lib, 'bronze.wav')).replace(/\//g, '\\'), // a Windows player's relative path
        '',
      ].join('\n'),
    );
    const r = sleeveHere(home, ['playlist', 'import', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('playlist “Road Trip”: 3 of 6 entries imported\n');
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'skipped line 4: http://radio.example/stream.mp3 (a URL, not a file)',
      `skipped line 5: ../nowhere/gone.flac (not in the library: ${join(dirname(dir), 'nowhere/gone.flac')})`,
      'skipped line 7: C:\\Music\\x.mp3 (a Windows path)',
    ]);
    const again = sleeveHere(home, ['playlist', 'import', file]);
    expect(again.stderr).toContain('a playlist named “Road Trip” exists already');
    const binary = join(dir, 'cover.m3u8');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    const refused = sleeveHere(home, ['playlist', 'import', binary]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('this is not a playlist: it holds binary data');
    await waitFor('the imported list in the mount', () =>
      playlistFiles().includes('Road Trip.m3u8') ? true : undefined,
    );
    // The Ogg copy is not served: its entry leads to the kept FLAC.
    expect(served('Road Trip.m3u8')).toEqual(['amber.flac', 'bronze.wav', 'bronze.wav']);
    // Exported, a playlist names the originals.
    expect(entries(sleeveHere(home, ['playlist', 'export', 'road trip']).stdout)).toEqual([
      join(lib, 'amber.ogg'),
      join(lib, 'bronze.wav'),
      join(lib, 'bronze.wav'),
    ]);
  });

  it('sanitizes names for the mount, and lists a playlist whose tracks are all missing as an empty one', async () => {
    // A control character is refused; a slash is the mount's to sanitize.
    expect(sleeveHere(home, ['playlist', 'new', 'a/../b\u0007c', 'path:bronze']).stderr).toContain(
      'a playlist name cannot contain control characters (U+0007 at character 7)',
    );
    expect(sleeveHere(home, ['playlist', 'new', 'a/../bc', 'path:bronze']).status).toBe(0);
    expect(sleeveHere(home, ['playlist', 'new', 'Only bronze', 'path:bronze']).status).toBe(0);
    await waitFor('the sanitized name', () => (playlistFiles().includes('a..bc.m3u8') ? true : undefined));
    renameSync(join(lib, 'bronze.wav'), join(tempDir(), 'bronze.wav'));
    try {
      expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', lib]).status).toBe(0);
      await waitFor('an empty playlist', () => (m3u('Only bronze.m3u8') === '#EXTM3U\n' ? true : undefined));
      expect(readdirSync(lists)).toContain('a..bc.m3u8');
    } finally {
      sleeveHere(home, ['umount', mnt]);
    }
  });

  it('never writes the originals', () => {
    const after = hashTree(lib);
    // bronze.wav was moved away (and not changed) by the previous test.
    expect([...after.keys()].sort()).toEqual(
      [...before.keys()].filter((k) => !k.endsWith('bronze.wav')).sort(),
    );
    for (const [k, v] of after) expect(v).toBe(before.get(k));
  });
});
