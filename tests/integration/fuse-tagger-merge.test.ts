// A tagger that keeps files loaded (Picard's way: read at once, saved whole minutes later) saving through
// the mount while the library is edited elsewhere: every acknowledged edit of a field the tagger did not
// change stays; the tagger's own change is taken in; a field both changed keeps the library's value and
// the tagger's waits in `sleeve conflicts`, from where one step takes it. MP3, FLAC, Ogg Vorbis, M4A.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMountReport } from '../../app/core/mounts/mount-registry.ts';
import { makeWav } from '../fixtures/library.ts';
import { sleeveHere, sleeveHereJson, tool } from '../helpers.ts';
import { PY, TestMount, waitFor } from '../mount-helpers.ts';

/** Two taggers that keep files loaded: mutagen's easy keys, and Picard's own tag code (picard.formats,
 *  whose save writes back every field it loaded). */
const TAGGER = new URL('../fixtures/long-tagger.py', import.meta.url).pathname;
/** The tagger's arguments: mutagen's easy keys, or Picard's own tag code. */
const TAGGERS: Record<string, string[]> = { mutagen: [], Picard: ['--picard'] };
/** The long-lived tagger: one command at a time, each answered. */
class Tagger {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #answers: string[] = [];
  #waiting: ((line: string) => void) | undefined;

  constructor(args: readonly string[]) {
    this.#child = spawn(PY, [TAGGER, ...args]);
    this.#lines = createInterface({ input: this.#child.stdout });
    this.#lines.on('line', (line) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) waiting(line);
      else this.#answers.push(line);
    });
  }

  async do(...command: string[]): Promise<void> {
    this.#child.stdin.write(`${JSON.stringify(command)}\n`);
    const answer =
      this.#answers.shift() ?? (await new Promise<string>((resolve) => (this.#waiting = resolve)));
    expect(answer, command.join(' ')).toBe('ok');
  }

  stop(): void {
    this.#child.stdin.end();
    this.#lines.close();
  }
}

interface Conflict {
  id: number;
  at: number;
  key: string;
  path: string;
  original: string;
  library: string[];
  tagger: string[];
  read: string[];
}

describe.each(Object.entries(TAGGERS))('%s keeping files loaded, saving through the mount', (_, args) => {
  const t = new TestMount();
  const NAMES = ['song.mp3', 'song.flac', 'song.ogg', 'song.m4a'];
  const served = (name: string) => t.served(name.slice(name.indexOf('.')));
  const set = (name: string, ...fields: string[]) =>
    expect(sleeveHere(t.home, ['set', `path:${name}`, ...fields, '-y']).status).toBe(0);
  const conflicts = () =>
    sleeveHereJson<{ count: number; conflicts: Conflict[] }>(t.home, ['conflicts', '--json']).conflicts;
  let tagger: Tagger;

  beforeAll(() => {
    const wav = join(t.dir, 'tone.wav');
    makeWav(wav, 660, 2);
    const codecs: Record<string, string[]> = {
      mp3: ['-c:a', 'libmp3lame', '-b:a', '128k'],
      flac: ['-c:a', 'flac'],
      ogg: ['-c:a', 'libvorbis'],
      m4a: ['-c:a', 'aac', '-b:a', '96k'],
    };
    for (const name of NAMES) {
      const ext = name.slice(name.indexOf('.') + 1);
      tool('ffmpeg', [
        ...['-v', 'error', '-i', wav, ...codecs[ext]!],
        ...['-metadata', `title=Song ${ext}`, '-metadata', 'artist=Loader', '-metadata', 'genre=Original'],
        join(t.music, name),
      ]);
    }
    t.start(NAMES, []);
    tagger = new Tagger(args);
  });

  afterAll(() => {
    tagger?.stop();
    t.stop();
  });

  it("keeps an edit made while the tagger held the file, and takes the tagger's own change", async () => {
    await tagger.do('load', ...NAMES.map(served));
    for (const name of NAMES) set(name, 'genre=Edited Meanwhile');
    for (const name of NAMES) {
      await tagger.do('set', served(name), 'grouping', `Grouping of ${name}`);
      await tagger.do('save', served(name));
    }
    for (const name of NAMES) {
      expect(t.field(name, 'genre'), name).toEqual(['Edited Meanwhile']);
      expect(t.field(name, 'grouping'), name).toEqual([`Grouping of ${name}`]);
    }
    expect(conflicts()).toEqual([]);
  });

  it('a second save of the same loaded copy changes only what the tagger changed again', async () => {
    for (const name of NAMES) {
      await tagger.do('set', served(name), 'grouping', `Second grouping of ${name}`);
      await tagger.do('save', served(name));
      expect(t.field(name, 'grouping'), name).toEqual([`Second grouping of ${name}`]);
      expect(t.field(name, 'genre'), name).toEqual(['Edited Meanwhile']);
    }
    expect(conflicts()).toEqual([]);
  });

  it("a field both changed keeps the library's value; the tagger's is one step away", async () => {
    for (const name of NAMES) set(name, `copyright=Library ${name}`);
    for (const name of NAMES) {
      await tagger.do('set', served(name), 'copyright', `Tagger ${name}`);
      await tagger.do('save', served(name));
      expect(t.field(name, 'copyright'), name).toEqual([`Library ${name}`]);
    }
    const listed = conflicts();
    expect(listed.map((c) => [c.key.toLowerCase(), c.library, c.tagger, c.original])).toEqual(
      NAMES.map((name) => ['copyright', [`Library ${name}`], [`Tagger ${name}`], join(t.music, name)]),
    );
    // Each names the path the tagger saved and, as the served one may move with an edit, the original's.
    const listedText = sleeveHere(t.home, ['conflicts']).stdout;
    for (const c of listed)
      expect(listedText).toContain(`${c.path}  ${c.key}\n        the file:    ${c.original}\n`);
    const [mp3, flac, ...rest] = listed;
    expect(sleeveHere(t.home, ['conflicts', 'take', String(mp3!.id)]).status).toBe(0);
    expect(t.field('song.mp3', 'copyright')).toEqual(['Tagger song.mp3']);
    // The take undone: the conflict waits again, and is gone once the take is redone.
    expect(sleeveHere(t.home, ['undo']).status).toBe(0);
    expect(t.field('song.mp3', 'copyright')).toEqual(['Library song.mp3']);
    expect(conflicts().map((c) => c.id)).toEqual(listed.map((c) => c.id));
    expect(sleeveHere(t.home, ['redo']).status).toBe(0);
    expect(conflicts().map((c) => c.id)).toEqual([flac!.id, ...rest.map((c) => c.id)]);
    expect(sleeveHere(t.home, ['conflicts', 'keep', String(flac!.id)]).status).toBe(0);
    expect(t.field('song.flac', 'copyright')).toEqual(['Library song.flac']);
    expect(conflicts().map((c) => c.id)).toEqual(rest.map((c) => c.id));
    // `sleeve mounts` counts those that wait, from the library, and lists none among the daemon's
    // problems (its report written since the saves), where one taken or dropped would stay.
    const savedAt = Math.max(...listed.map((c) => c.at));
    await waitFor('the daemon to report since the saves', () =>
      (readMountReport(t.home, t.mnt)?.updatedAt ?? 0) > savedAt ? true : undefined,
    );
    const mounts = sleeveHere(t.home, ['mounts', '--json']);
    expect(JSON.parse(mounts.stdout)[0].problems).toEqual([]);
    expect(mounts.stderr).toContain(
      `${rest.length} field(s) saved through a mount kept the library's newer value`,
    );
    // Taken once the library's value moved on: listed as it is now, and refused, saying what it is now.
    set('song.ogg', 'copyright=Newer still');
    const moved = sleeveHere(t.home, ['conflicts']).stdout;
    expect(moved).toContain(
      `        the library: “Newer still”  (the tagger read empty)\n        changed since the save (it held “Library song.ogg”): edit the field, or keep the library's\n`,
    );
    const r = sleeveHere(t.home, ['conflicts', 'take', String(rest[0]!.id)]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('changed again since (now “Newer still”)');
    expect(t.field('song.ogg', 'copyright')).toEqual(['Newer still']);
  });

  it('keeps an edit made while it held the file though the mount restarted before its save', async () => {
    await tagger.do('load', ...NAMES.map(served));
    for (const name of NAMES) set(name, 'genre=Before the restart');
    expect(sleeveHere(t.home, ['umount', t.mnt]).status).toBe(0);
    expect(sleeveHere(t.home, ['mount', t.mnt]).stderr).toBe(''); // no record of the tagger's reads
    for (const name of NAMES) {
      await tagger.do('set', served(name), 'grouping', `After the restart ${name}`);
      await tagger.do('save', served(name));
      expect(t.field(name, 'genre'), name).toEqual(['Before the restart']);
      expect(t.field(name, 'grouping'), name).toEqual([`After the restart ${name}`]);
    }
  });

  it('saves by the path it loaded after the library moved the file: taken, the new title kept', async () => {
    // An edit the mount tells watchers of after it serves it (new bytes, no name changed), then the load.
    for (const name of NAMES) set(name, 'mood=Before the load');
    const loaded = NAMES.map(served);
    await tagger.do('load', ...loaded);
    // This process reads the first file too, as a media server does.
    readFileSync(loaded[0]!);
    for (const name of NAMES) set(name, `title=Moved ${name.replace('.', ' ')}`);
    for (const [i, name] of NAMES.entries()) {
      const path = loaded[i]!;
      await waitFor(`${name} moved`, () => (served(name) === path ? undefined : true));
      // Gone for whoever did not open the file; and for a process told of the move, which read it at
      // its new name (minidlna, told that the tagger wrote the old name, would list a file gone).
      if (i === 0) readFileSync(served(name));
      expect(existsSync(path), name).toBe(false);
      await tagger.do('set', path, 'grouping', `After the move ${name}`);
      await tagger.do('save', path);
      expect(t.field(name, 'title'), name).toEqual([`Moved ${name.replace('.', ' ')}`]);
      expect(t.field(name, 'grouping'), name).toEqual([`After the move ${name}`]);
      // Saved again by the tagger, which opened the file (at its old name) since the move.
      await tagger.do('set', path, 'grouping', `Again after the move ${name}`);
      await tagger.do('save', path);
      expect(t.field(name, 'grouping'), name).toEqual([`Again after the move ${name}`]);
    }
    expect(readdirSync(dirname(served('.mp3')))).not.toContain(basename(loaded[0]!));
  });

  it('saves by the path it loaded after the library renamed the album, whose folder went', async () => {
    const loaded = NAMES.map(served);
    await tagger.do('load', ...loaded);
    for (const name of NAMES) set(name, 'album=Renamed Album');
    const folder = dirname(loaded[0]!);
    // Gone for a process that opened none of its files (this one read one, above).
    await waitFor('the album moved', () =>
      spawnSync('test', ['-e', folder]).status === 1 ? true : undefined,
    );
    for (const [i, name] of NAMES.entries()) {
      expect(dirname(served(name)), name).toMatch(/Renamed Album$/);
      await tagger.do('set', loaded[i]!, 'grouping', `After the album ${name}`);
      await tagger.do('save', loaded[i]!);
      expect(t.field(name, 'album'), name).toEqual(['Renamed Album']);
      expect(t.field(name, 'grouping'), name).toEqual([`After the album ${name}`]);
    }
    expect(readdirSync(dirname(folder))).not.toContain(basename(folder));
  });
});
