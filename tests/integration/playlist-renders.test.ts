// The mount renders a playlist again only when a change reaches it, and never on the thread that answers
// the mount: a library of synthetic tracks (a smart playlist of every one of them, sorted by title) and
// real files (two lists of them, and a smart playlist no file matches at first), mounted; each change is
// followed in the daemon's log, which says how many playlists it rendered and which.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticHome } from '../fixtures/synthetic-library.ts';
import { copyFixtures, hashTree, sleeveAsync, sleeveHere, tempDir } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

/** Synthetic tracks, all in one smart playlist: thousands of entries to query, rank and write. */
const TRACKS = 60_000;

/** The entries of an M3U8 file (its non-comment lines). */
const entries = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

describe('playlists rendered only when a change reaches them, off the serving thread', () => {
  let home: string;
  let music: string;
  let originals: Map<string, string>;
  const mnt = join(tempDir(), 'mnt');
  const lists = join(mnt, 'Playlists');
  /** The daemon's log, its complete lines (what follows the last newline is not one yet). */
  const log = () => {
    const dir = join(home, 'mounts');
    const lines = readFileSync(join(dir, readdirSync(dir).find((n) => n.endsWith('.log'))!), 'utf8').split(
      '\n',
    );
    lines.pop();
    return lines;
  };
  const m3u = (file: string) => readFileSync(join(lists, file), 'utf8');
  /** The daemon's lines about playlists written after line `from`. */
  const playlistLines = (from: number) =>
    log()
      .slice(from)
      .filter((l) => l.includes(' playlists: '));

  /** Runs `change`, waits until the daemon logged what it rendered for it, and returns that line. */
  async function rendered(change: () => void): Promise<string> {
    const from = log().length;
    change();
    const lines = await waitFor('the playlists to follow the change', () => {
      const found = playlistLines(from);
      return found.length > 0 ? found : undefined;
    });
    expect(lines).toHaveLength(1);
    return lines[0]!.slice(lines[0]!.indexOf(' playlists: ') + 1);
  }

  beforeAll(async () => {
    home = await syntheticHome(TRACKS);
    music = copyFixtures();
    originals = hashTree(music);
    const scan = sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]);
    expect(scan.status, scan.stderr).toBe(0);
    for (const args of [
      ['Alphas', 'path:Alpha/'],
      ['Betas', 'path:Beta/'],
      ['Marked', '--smart', 'genre:=Marked'],
      // Every synthetic track (their paths start with /music/; the real files' with the temporary folder).
      ['Everything', '--smart', 'path:/^.music./', 'title+'],
    ]) {
      const made = sleeveHere(home, ['playlist', 'new', ...args]);
      expect(made.status, made.stderr).toBe(0);
    }
    const mount = sleeveHere(home, ['mount', mnt]);
    expect(mount.status, mount.stderr).toBe(0);
    await waitFor('the playlists in the mount', () =>
      entries(m3u('Everything.m3u8')).length === TRACKS ? true : undefined,
    );
  }, 300_000);

  afterAll(() => {
    sleeveHere(home, ['umount', mnt]);
    expect(hashTree(music)).toEqual(originals);
  });

  it('renders none for an edit to a track in no playlist', async () => {
    const before = ['Alphas', 'Betas', 'Marked', 'Everything'].map((n) => m3u(`${n}.m3u8`));
    const line = await rendered(() => {
      expect(sleeveHere(home, ['set', 'path:vorbis.ogg', 'title=In no list', '-y']).status).toBe(0);
    });
    expect(line).toMatch(/^playlists: 0 of 4 rendered in [\d.]+ ms, after 1 changed file\(s\)$/);
    expect(['Alphas', 'Betas', 'Marked', 'Everything'].map((n) => m3u(`${n}.m3u8`))).toEqual(before);
  });

  it('renders only the list whose member was retitled, with its new entry', async () => {
    const others = ['Betas', 'Marked', 'Everything'].map((n) => statSync(join(lists, `${n}.m3u8`)).mtimeMs);
    const line = await rendered(() => {
      expect(sleeveHere(home, ['set', 'path:First.flac', 'title=First Retitled', '-y']).status).toBe(0);
    });
    expect(line).toMatch(/^playlists: 1 of 4 rendered \(“Alphas”\) in [\d.]+ ms, after 1 changed file\(s\)$/);
    expect(m3u('Alphas.m3u8')).toMatch(/#EXTINF:\d+,[^\n]*First Retitled\n\.\.\/.*First Retitled\.flac\n/);
    expect(['Betas', 'Marked', 'Everything'].map((n) => statSync(join(lists, `${n}.m3u8`)).mtimeMs)).toEqual(
      others,
    );
  });

  it('adds a newly matching track to a smart playlist, and renders only that one', async () => {
    expect(entries(m3u('Marked.m3u8'))).toEqual([]);
    const line = await rendered(() => {
      expect(sleeveHere(home, ['set', 'path:pcm.wav', 'genre=Marked', '-y']).status).toBe(0);
    });
    expect(line).toMatch(/^playlists: 1 of 4 rendered \(“Marked”\) in [\d.]+ ms, after 1 changed file\(s\)$/);
    expect(entries(m3u('Marked.m3u8'))).toEqual([expect.stringMatching(/\.wav$/)]);
  });

  it('answers reads of other files while a playlist of thousands of tracks is rendered', async () => {
    /** The first entries of a playlist (it is opened and read by the daemon's JS thread). */
    const head = (file: string) => {
      const fd = openSync(join(lists, file), 'r');
      try {
        const buf = Buffer.alloc(4096);
        return entries(buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString());
      } finally {
        closeSync(fd);
      }
    };
    const first = head('Everything.m3u8')[0];
    const id = sleeveHere(home, ['ls', 'path:/^.music./', 'title+', '-f', '$id']).stdout.split('\n')[0]!;
    const from = log().length;
    // The first track by title, retitled to stay first: Everything is queried, ranked and written again.
    const editing = sleeveAsync(home, ['set', `id:${id}`, 'title=AAA Retitled', '-y']);
    // Rounds of: is the change served (the daemon starts rendering the playlists it reaches as it serves
    // it)? another playlist read; is Everything rendered yet? A read answered between the first and the
    // last is one answered while the render was under way.
    let answeredDuring = 0;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const served = log()
        .slice(from)
        .some((l) => l.includes('library changed: 1 file(s) served'));
      expect(head('Betas.m3u8')).toHaveLength(2);
      if (head('Everything.m3u8')[0] !== first) break;
      if (served) answeredDuring++;
      if (Date.now() > deadline) throw new Error('timed out waiting for the render');
    }
    expect((await editing).status).toBe(0);
    expect(answeredDuring).toBeGreaterThan(0);
    expect(head('Everything.m3u8')[0]).toMatch(/AAA Retitled\.flac$/);
    expect(entries(m3u('Everything.m3u8'))).toHaveLength(TRACKS);
    expect(playlistLines(from)).toEqual([
      expect.stringMatching(
        / playlists: 1 of 4 rendered \(“Everything”\) in [\d.]+ ms, after 1 changed file\(s\)$/,
      ),
    ]);
  });
});
