import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCAN_FLAGS } from '../../kit/scan-flags.ts';
import { CLI, copyFixtures, hashTree, sleeve, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Item {
  id: number;
  path: string;
  format: string;
  duration: number;
  status: string;
  error?: string;
  tags: Record<string, string[]>;
}

// What only a process shows runs the command line itself (`sleeve`): the first scan, the launcher's exit
// codes, a closed pipe, the #! line, the environment, another user, Ctrl-C. What a command prints and
// does is checked through the CLI's own main() in a thread (`sleeveHere`), as the other tests do.
describe('sleeve CLI, as a new user runs it', () => {
  let music: string;
  let home: string;
  let before: Map<string, string>;

  beforeAll(() => {
    music = copyFixtures();
    home = join(tempDir(), 'home');
    before = hashTree(music);
  });

  it('scans a folder and prints a summary', () => {
    const r = sleeve(home, ['scan', music]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/14 added, 0 updated, 0 unchanged, 0 missing, 7 unreadable/);
  });

  it('lists with queries as JSON items with effective multi-valued tags', () => {
    const items = sleeveHereJson<Item[]>(home, ['ls', 'artist:alpha', '--json']);
    expect(items.map((i) => i.tags.title?.[0])).toEqual(['First', 'Second', 'Third']);
    expect(items[0]).toMatchObject({
      format: 'flac',
      status: 'ok',
      duration: 1,
      tags: { artist: ['Alpha', 'Guest Star'] },
    });
    expect(Object.keys(items[0]!).sort()).toEqual([
      'bitrate',
      'codec',
      'duration',
      'format',
      'id',
      'path',
      'sampleRate',
      'status',
      'tags',
    ]);
    expect(
      sleeveHereJson<Item[]>(home, ['ls', 'year:2000..2010', 'year-', '--json']).map(
        (i) => i.tags.title?.[0],
      ),
    ).toEqual(['Vorbis Song', 'Sóng – ünïcode']);
    expect(sleeveHereJson<Item[]>(home, ['ls', 'ünïcode', '--json'])).toHaveLength(1);
    expect(
      sleeveHereJson<Item[]>(home, ['ls', 'format:=flac', '^artist:alpha', '--json']).map((i) =>
        i.path.split('/').pop(),
      ),
    ).toEqual(['id3 before flac.flac', 'misnamed.mp3']);
  });

  it('formats lines with -f and lists errors with their reasons', () => {
    const r = sleeveHere(home, ['ls', 'album:"album one"', '-f', '$tracknumber. $title ($format)']);
    expect(r.stdout).toBe('1. First (flac)\n2. Second (flac)\n3. Third (mp3)\n');
    const errors = sleeveHereJson<Item[]>(home, ['ls', '--errors', '--json']);
    expect(errors).toHaveLength(7);
    expect(errors.find((e) => e.path.endsWith('empty.flac'))?.error).toBe('empty file (0 bytes)');
  });

  it("lists albums and paths as beets' ls -a and ls -p do", () => {
    const out = (args: string[]) => sleeveHere(home, ['ls', ...args]).stdout;
    expect(out(['-a'])).toBe('Alpha - Album One\nBeta - Second Album\nGamma - Containers\n');
    expect(out(['-a', '-p', 'artist:alpha'])).toBe(`${join(music, 'Alpha', 'Album One')}\n`);
    const folder = join(music, 'Alpha', 'Album One');
    expect(out(['-p', 'album:"album one"'])).toBe(
      ['01 First.flac', '02 Second.flac', '03 Third.mp3'].map((f) => `${join(folder, f)}\n`).join(''),
    );
    expect(out(['-a', '-f', '$albumartist: $album ($year)', 'artist:alpha'])).toBe(
      'Alpha: Album One (1994)\n',
    );
    expect(sleeveHereJson(home, ['ls', '-a', '--json', 'artist:alpha'])).toMatchObject([
      { album: 'Album One', albumartist: 'Alpha', year: '1994', tracks: 3, files: 3 },
    ]);
    expect(sleeveHere(home, ['ls', '-p', '-f', '$title']).stderr).toMatch(/^sleeve: -f and -p: /);
    expect(sleeveHere(home, ['ls', '-a', '--errors'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^sleeve: --errors lists files, not albums \(-a\)/),
    });
    expect(sleeveHere(home, ['ls', '-a', 'album:nothing-here']).stderr).toBe(
      'no albums match "album:nothing-here"\n',
    );
  });

  it("names every field a query or template may name, beets' names beside them (beets' fields)", () => {
    const text = sleeveHere(home, ['fields']).stdout;
    expect(text).toMatch(/^ {2}tracknumber +Track \(beets: track\)$/m);
    expect(text).toMatch(/^ {2}duration +\(beets: length\)$/m);
    const json = sleeveHereJson<Record<string, Array<{ name: string }>>>(home, ['fields', '--json']);
    expect(Object.keys(json)).toEqual(['tags', 'properties', 'album', 'dates', 'copies', 'library']);
    expect(json.dates!.map((f) => f.name)).toEqual(['added', 'mtime']);
    // The fixtures' own tags Sleeve does not know, each once.
    expect(json.library!.map((f) => f.name)).toEqual(['Custom Thing', 'mood_custom']);
  });

  it('set prints the change and saves one batch; ls and info show it; a rescan keeps it; undo reverts it', () => {
    const set = sleeveHere(home, [
      'set',
      'album:"album one"',
      'album=Renamed',
      'genre=Art Rock',
      'genre=Prog',
      '-y',
    ]);
    expect(set.status).toBe(0);
    expect(set.stdout).toContain('album: "Album One" → "Renamed"');
    expect(set.stdout).toContain('genre: "Rock" → "Art Rock", "Prog"');
    expect(set.stdout).toMatch(/saved as edit batch 1 \(3 file\(s\)\)/);

    const edited = sleeveHereJson<Item[]>(home, ['ls', 'album:renamed', '--json']);
    expect(edited).toHaveLength(3);
    expect(edited[0]!.tags.genre).toEqual(['Art Rock', 'Prog']);
    const info = sleeveHereJson<{
      fields: Array<{ key: string; file: string[]; edited: string[] | null; effective: string[] }>;
    }>(home, ['info', String(edited[0]!.id), '--json']);
    expect(info.fields.find((f) => f.key === 'album')).toEqual({
      key: 'album',
      file: ['Album One'],
      edited: ['Renamed'],
      effective: ['Renamed'],
    });
    expect(sleeveHere(home, ['info', String(edited[0]!.id)]).stdout).toMatch(
      /album\s+Renamed\s+\[file: Album One → edited: Renamed\]/,
    );
    // Several files at once: an array in --json, a block each in text.
    const ids = edited.map((e) => String(e.id));
    const several = sleeveHereJson<Array<{ id: number }>>(home, ['info', ...ids, '--json']);
    expect(several.map((i) => i.id)).toEqual(edited.map((e) => e.id));
    expect(sleeveHere(home, ['info', ...ids]).stdout.match(/^path /gm)).toHaveLength(3);

    expect(sleeveHere(home, ['scan', music]).stdout).toMatch(/0 added, 0 updated, 21 unchanged/);
    expect(sleeveHereJson<Item[]>(home, ['ls', 'album:renamed', '--json'])).toHaveLength(3);

    const history = sleeveHereJson<
      Array<{ id: number; files: number; fields: string[]; undoneAt: number | null }>
    >(home, ['history', '--json']);
    expect(history).toMatchObject([{ id: 1, files: 3, undoneAt: null }]);
    expect(history[0]!.fields.sort()).toEqual(['album', 'genre']);

    // An older batch undone while a newer one set one of its fields: that field stays, and it says so.
    expect(sleeveHere(home, ['set', 'album:renamed', 'genre=Newer', '-y']).status).toBe(0);
    expect(sleeveHere(home, ['undo', '1']).stdout).toMatch(
      /^undid edit batch 1: .*\n {2}genre stays as edit batch 2 set it on 3 files \(a newer edit\)\n$/,
    );
    expect(sleeveHere(home, ['undo', '2']).status).toBe(0);
    expect(sleeveHereJson<Item[]>(home, ['ls', 'album:renamed', '--json'])).toHaveLength(0);
    expect(sleeveHereJson<Item[]>(home, ['ls', 'album:"album one"', '--json'])[0]!.tags.genre).toEqual([
      'Rock',
    ]);
    expect(sleeveHere(home, ['undo'])).toMatchObject({
      status: 1,
      stderr: 'sleeve: nothing to undo: every edit is undone already\n',
    });
  });

  it('refuses to edit without confirmation when not on a terminal, and explains unknown fields', () => {
    const noYes = sleeve(home, ['set', 'title:first', 'title=X']);
    expect(noYes.status).toBe(1);
    expect(noYes.stderr).toContain('pass -y');
    expect(sleeveHereJson<Item[]>(home, ['ls', 'title:=X', '--json'])).toHaveLength(0);

    // What follows is the command's own (not the process's): its main() in a thread.
    const unknown = sleeveHere(home, ['set', 'title:first', 'colour=red', '-y']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/unknown field "colour". Known fields: title, artist, artists, album/);

    const invalid = sleeveHere(home, ['set', 'title:first', 'date=yesterday', '-y']);
    expect(invalid).toMatchObject({
      status: 1,
      stderr: 'sleeve: date must be YYYY, YYYY-MM or YYYY-MM-DD, got "yesterday"\n',
    });
    // A day its month does not have is no date either; the last day of a leap February is one.
    expect(sleeveHere(home, ['set', 'title:first', 'date=2020-02-30', '-y'])).toMatchObject({
      status: 1,
      stderr: 'sleeve: date: 2020-02-30 is not a day (that month has 29 days)\n',
    });
    expect(sleeveHere(home, ['set', 'title:first', 'date=2020-02-29', '-y']).status).toBe(0);
    // A count that is no whole number is refused, not read as another.
    for (const n of ['1.5', 'abc', '0', '-3'])
      expect(sleeveHere(home, ['history', '-n', n])).toMatchObject({
        status: 2,
        stderr: expect.stringMatching(`^sleeve: -n must be a whole number from 1 to 1000000, not "${n}"\n`),
      });
    // A field that exists in the library, though not a Picard field, can be edited.
    expect(sleeveHere(home, ['set', 'title:first', 'mood_custom=rainy', '-y']).status).toBe(0);
  });

  it('set takes track and disc numbers as taggers write them, stored as number and total', () => {
    const tags = () => sleeveHereJson<Item[]>(home, ['ls', 'title:first', '--json'])[0]!.tags;
    const set = (...assignments: string[]) => sleeveHere(home, ['set', 'title:first', ...assignments, '-y']);
    const history = () =>
      sleeveHereJson<Array<{ id: number; description: string; fields: string[] }>>(home, [
        'history',
        '--json',
      ]);
    expect(tags()).toMatchObject({ tracknumber: ['1'], totaltracks: ['3'] });
    const batches = history().length;

    expect(set('tracknumber=05')).toMatchObject({ status: 0, stderr: '' });
    expect(tags()).toMatchObject({ tracknumber: ['5'], totaltracks: ['3'] });
    // "n/total" sets both fields in one batch (undone as one).
    const split = set('tracknumber=2/9');
    expect(split).toMatchObject({ status: 0, stderr: '' });
    expect(split.stdout).toContain('totaltracks: "3" → "9"');
    expect(tags()).toMatchObject({ tracknumber: ['2'], totaltracks: ['9'] });
    const [batch] = history();
    expect(batch!.description).toBe('Set tracknumber to "2" and totaltracks to "9" where title:first');
    expect(batch!.fields.sort()).toEqual(['totaltracks', 'tracknumber']);
    expect(set('discnumber=02/03', 'tracknumber= 5 ')).toMatchObject({ status: 0, stderr: '' });
    expect(tags()).toMatchObject({
      tracknumber: ['5'],
      totaltracks: ['9'],
      discnumber: ['2'],
      totaldiscs: ['3'],
    });
    // Already so, however written: nothing to change.
    expect(set('tracknumber=05/09').stdout).toMatch(/^nothing to change/);
    // Padding is for display: the templates' %num.
    expect(sleeveHere(home, ['ls', 'title:first', '-f', '%num{$tracknumber,2}/$totaltracks']).stdout).toBe(
      '05/9\n',
    );
    // What reads as no number (a vinyl side's "A1") is kept as typed, with a warning, not refused.
    expect(set('tracknumber=A1')).toMatchObject({
      status: 0,
      stderr: 'tracknumber "A1" is not a number: kept as text\n',
    });
    expect(tags().tracknumber).toEqual(['A1']);
    // A total given twice, two ways: which one is meant cannot be guessed.
    expect(set('tracknumber=2/9', 'totaltracks=10')).toMatchObject({
      status: 1,
      stderr: 'sleeve: tracknumber "2/9" gives totaltracks 9, but totaltracks is set to "10" too\n',
    });
    expect(history()).toHaveLength(batches + 4);
    for (let i = 0; i < 4; i++) expect(sleeveHere(home, ['undo']).status).toBe(0);
    expect(tags()).toMatchObject({ tracknumber: ['1'], totaltracks: ['3'] });
    expect(tags().discnumber).toBeUndefined();
  });

  it('exits quietly when its output pipe closes early (sleeve ls | head -1)', () => {
    const cli = new URL('../../app/cli/sleeve.js', import.meta.url).pathname;
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${cli}" --home "${home}" ls | head -1; echo "status \${PIPESTATUS[0]}"`],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^1 {2}Alpha, Guest Star - Album One - First\nstatus 0\n$/);
  });

  it('runs as the installed `sleeve` command does: the script through its #! line (Node with the scan flags)', () => {
    // The line gives Node what a scan would otherwise re-execute itself for.
    const line = readFileSync(CLI, 'utf8').split('\n')[0]!;
    expect(line).toBe(`#!/usr/bin/env -S node ${SCAN_FLAGS.join(' ')}`);
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    const r = spawnSync(CLI, ['--home', join(tempDir(), 'home'), 'scan', music], { encoding: 'utf8', env });
    expect(r.stderr).not.toMatch(/env:|invalid option|bad option/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^14 added, 0 updated, 0 unchanged, 0 missing, 7 unreadable/);
  });

  it('reports stats', () => {
    const stats = sleeveHereJson<{ files: object; formats: Record<string, number>; art: { images: number } }>(
      home,
      ['stats', '--json'],
    );
    expect(stats.files).toEqual({ ok: 14, missing: 0, error: 7 });
    expect(stats.formats.flac).toBe(4);
    expect(stats.art.images).toBe(2);
  });

  it('uses exit code 2 for usage errors and 1 for failures, with clear messages', () => {
    // The launcher's exit codes, 2 and 1, from the process itself; the messages are main()'s.
    expect(sleeve(home, []).status).toBe(2);
    expect(sleeveHere(home, ['frobnicate'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('unknown command "frobnicate" (commands: scan, ls,'),
    });
    expect(sleeveHere(home, ['unmount'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('unknown command "unmount": did you mean umount, mount? (commands:'),
    });
    expect(sleeveHere(home, ['ls', '--bogus'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('usage: sleeve ls'),
    });
    expect(sleeveHere(home, ['ls', '-f', '$title %nope{x}'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('-f: unknown function %nope at position 8 of the template'),
    });
    expect(sleeveHere(home, ['ls', '--json', '-f', '$title'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining(
        '--json and -f: -f formats the lines ls prints, -p prints paths, --json gives every field',
      ),
    });
    expect(sleeveHere(home, ['info', 'abc']).status).toBe(2);
    expect(sleeve(home, ['info', '999'])).toMatchObject({
      status: 1,
      stderr: 'sleeve: there is no file with id 999\n',
    });
    // Every ID is checked before anything is printed.
    expect(sleeveHere(home, ['info', '1', '999', '--json'])).toMatchObject({ status: 1, stdout: '' });
    expect(sleeveHere(home, ['ls', 'title:/(/'])).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('invalid regular expression'),
    });
    expect(sleeveHere(home, ['scan', join(music, 'nope')])).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('no such folder'),
    });
    expect(sleeveHere(home, ['--version']).stdout).toMatch(/^sleeve \d+\.\d+\.\d+\n$/);
  });

  it('never modified a file', () => {
    expect(hashTree(music)).toEqual(before);
  });
});

describe('home and config', () => {
  it('takes --home over SLEEVE_HOME over XDG_DATA_HOME', () => {
    const base = tempDir();
    const music = join(base, 'empty-music');
    mkdirSync(music);
    const env = { ...process.env, SLEEVE_HOME: join(base, 'env-home'), XDG_DATA_HOME: join(base, 'xdg') };
    const cli = new URL('../../app/cli/sleeve.js', import.meta.url).pathname;
    const run = (args: string[], e: NodeJS.ProcessEnv) =>
      spawnSyncStatus(process.execPath, [cli, ...args], e);
    expect(run(['--home', join(base, 'flag-home'), 'scan', music], env)).toBe(0);
    expect(run(['scan', music], env)).toBe(0);
    expect(run(['scan', music], { ...env, SLEEVE_HOME: '' })).toBe(0);
    expect(hashTree(base).has('flag-home/library.db')).toBe(true);
    expect(hashTree(base).has('env-home/library.db')).toBe(true);
    expect(hashTree(base).has('xdg/sleeve/library.db')).toBe(true);
  });

  it.each([
    ['{"scan": {"workers": 0}}', 'scan.workers'],
    ['{"scan": {"colour": 1}}', 'unknown key scan.colour'],
    ['{"theme": "dark"}', 'unknown key theme'],
    ['{"scan": {"ignore": "x"}}', 'scan.ignore'],
    ['{oops', 'not valid JSON'],
  ])('rejects config %s naming the key', (text, message) => {
    const home = tempDir();
    writeFileSync(join(home, 'config.json'), text);
    const r = sleeveHere(home, ['ls']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
  });

  it('applies config: ignored folder names are never entered', () => {
    const music = copyFixtures();
    const home = tempDir();
    writeFileSync(join(home, 'config.json'), JSON.stringify({ scan: { ignore: ['Bad', 'Gamma'] } }));
    expect(sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', music]).stdout).toMatch(
      /^5 added, 0 updated, 0 unchanged, 0 missing, 0 unreadable/,
    );
  });
});

function spawnSyncStatus(cmd: string, args: string[], env: NodeJS.ProcessEnv): number | null {
  return spawnSync(cmd, args, { env }).status;
}

describe('scanning under adversity', () => {
  it.runIf(process.getuid?.() === 0)(
    'reports an unreadable folder, scans the rest, and does not mark its files missing',
    () => {
      // As root every folder is readable, so the scan runs as "nobody" against a folder closed to it.
      const base = tempDir();
      chmodSync(base, 0o755);
      const music = join(base, 'music');
      mkdirSync(join(music, 'open'), { recursive: true });
      mkdirSync(join(music, 'closed'));
      const fixtures = copyFixtures();
      copyFileSync(join(fixtures, 'Gamma/pcm.wav'), join(music, 'open/a.wav'));
      copyFileSync(join(fixtures, 'Gamma/pcm.wav'), join(music, 'closed/b.wav'));
      const home = join(base, 'home');
      mkdirSync(home, { mode: 0o777 });
      chmodSync(home, 0o777);
      // Without fingerprints root creates no index folder the unprivileged rescan could not write.
      // Only the unprivileged rescan is another user's process; this one is the test's own user.
      expect(sleeveHere(home, ['scan', '--no-fingerprint', music]).stdout).toMatch(/^2 added/);
      chmodSync(home, 0o777);
      for (const f of ['library.db', 'library.db-wal', 'library.db-shm']) {
        try {
          chmodSync(join(home, f), 0o666);
        } catch {}
      }
      chmodSync(join(music, 'closed'), 0o700);
      const r = sleeve(home, ['scan', music], { uid: 65534, gid: 65534 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`skipped folder ${join(music, 'closed')}: permission denied`);
      expect(r.stdout).toMatch(/0 added, 0 updated, 1 unchanged, 0 missing, 0 unreadable/);
    },
  );

  it('stops cleanly on Ctrl-C with everything read so far committed, and a rescan finishes the job', async () => {
    const music = join(tempDir(), 'many');
    mkdirSync(music);
    const source = join(copyFixtures(), 'Beta/Second Album/01 Song.mp3');
    const total = 4000;
    for (let i = 0; i < total; i++) copyFileSync(source, join(music, `${String(i).padStart(5, '0')}.mp3`));
    const home = tempDir();
    const cli = new URL('../../app/cli/sleeve.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [cli, '--home', home, 'scan', music, '--json', '--workers', '1']);
    let stdout = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (!interrupted && line.includes('"phase":"read"')) {
          interrupted = true;
          child.kill('SIGINT');
        }
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(interrupted).toBe(true);
    expect(code).toBe(130);
    const summary = JSON.parse(stdout) as { added: number; interrupted: boolean };
    expect(summary.interrupted).toBe(true);
    expect(summary.added).toBeGreaterThan(0);
    expect(summary.added).toBeLessThan(total);
    const ls = sleeveHereJson<unknown[]>(home, ['ls', '--json']);
    expect(ls).toHaveLength(summary.added);
    // Reading is what was stopped: the rescan finishes it (fingerprinting or measuring 4,000 copies of one
    // song would only add minutes of CPU to the suite).
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).stdout,
    ).toContain(`${total - summary.added} added, 0 updated, ${summary.added} unchanged`);
  });
});
