// Which playlists a change reaches (app/core/mounted/playlist-render.ts), on a real library database: a playlist is
// rendered again only when the change can alter its text, and never skipped when it can — a file that
// sorts into a smart playlist's window, a copy let in when the copy ranked above it stops matching, a
// copy standing in for a track the mount does not serve.
import { describe, expect, it } from 'vitest';
import { openReader } from '../../../app/core/db/database.ts';
import { fold } from '../../../app/core/db/fold.ts';
import { createPlaylist } from '../../../app/core/library/playlists.ts';
import { PlaylistRenderer, type RenderDone } from '../../../app/core/mounted/playlist-render.ts';
import { nameKey } from '../../../app/core/served/path-template.ts';
import { taggedLibrary } from '../../fixtures/tagged-library.ts';

const entries = (bytes: Uint8Array | undefined) =>
  Buffer.from(bytes ?? [])
    .toString()
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));

describe('playlists rendered again only when a change reaches them', () => {
  // In path order: p, q, r, s, x, y. x and y are one recording, x the kept copy (the user's choice).
  const { db, ids } = taggedLibrary([
    { path: '/music/p.flac', tags: { title: ['a'], genre: ['Soul'] } },
    { path: '/music/q.flac', tags: { title: ['c'], genre: ['Soul'] } },
    { path: '/music/r.flac', tags: { title: ['d'], genre: ['Jazz'] } },
    { path: '/music/s.flac', tags: { title: ['e'], genre: ['Rock'] } },
    { path: '/music/x.flac', tags: { title: ['z'], genre: ['Soul'] } },
    { path: '/music/y.flac', tags: { title: ['b'], genre: ['Soul'] } },
  ]);
  const [p, q, r, s, x, y] = ids as [number, number, number, number, number, number];
  db.prepare(
    'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, 1, NULL, 0), (?, 1, NULL, 0)',
  ).run(x, y);
  db.prepare('INSERT INTO preferred_copies (file_id, chosen_at) VALUES (?, 1)').run(x);
  const soul = createPlaylist(db, 'Soul', { kind: 'smart', query: 'genre:=Soul title+', limit: 2 });
  const list = createPlaylist(db, 'List', { kind: 'ids', ids: [r, y] });
  const renderer = new PlaylistRenderer(openReader(db.name));
  /** The mount serves every file but y (x is its recording's kept copy). */
  const served = (id: number) => (id === y ? null : `/Served/${id}.flac`);

  const retag = (id: number, key: string, value: string) =>
    db
      .prepare('UPDATE tags SET value = ?, fold = ? WHERE file_id = ? AND key = ?')
      .run(value, fold(value), id, key);

  /** A render after `changed`, its paths asked for and answered as the mount would. */
  function render(changed: number[] | null): RenderDone & { text: (id: number) => string[] } {
    let reply = renderer.answer({ op: 'plan', changed, minute: 0 });
    while ('need' in reply) reply = renderer.answer({ op: 'paths', paths: reply.need.map(served) });
    const done = reply;
    return { ...done, text: (id) => entries(done.files.find((f) => f.id === id)?.bytes) };
  }

  it('renders everything at first, a copy standing in for a track not served', () => {
    const first = render(null);
    expect(first.rendered).toEqual(['List', 'Soul']);
    expect(first.text(list.id)).toEqual([`../Served/${r}.flac`, `../Served/${x}.flac`]);
    // y is left out for x, which matches too and is kept: a, c.
    expect(first.text(soul.id)).toEqual([`../Served/${p}.flac`, `../Served/${q}.flac`]);
  });

  it('renders a list for a change to a file it names, and skips a smart playlist the file cannot join', () => {
    retag(r, 'genre', 'Blues');
    expect(render([r]).rendered).toEqual(['List']);
    retag(r, 'title', 'f');
    const done = render([r]);
    expect(done.rendered).toEqual(['List']);
    expect(done.files.map((f) => f.id)).toEqual([list.id]); // its label changed
  });

  it('renders none for a change to a file in no playlist that matches no query', () => {
    retag(s, 'title', 'g');
    expect(render([s]).rendered).toEqual([]);
  });

  it('renders a smart playlist when a file sorts into its window', () => {
    retag(x, 'title', 'zz'); // matches, past the limit: checked again, the same text
    const past = render([x]);
    expect(past.rendered).toEqual(['List', 'Soul']); // x stands in for List's y
    expect(past.files.map((f) => f.id)).toEqual([list.id]);
    retag(x, 'title', '0');
    const done = render([x]);
    expect(done.rendered).toContain('Soul');
    expect(done.text(soul.id)).toEqual([`../Served/${x}.flac`, `../Served/${p}.flac`]);
  });

  it('renders a smart playlist when a copy ranked above a track stops matching and lets it in', () => {
    retag(x, 'title', 'zz');
    render([x]);
    // y (title b) was left out for x; x no longer matches: y is the recording's match, within the window.
    retag(x, 'genre', 'Pop');
    const done = render([x]);
    expect(done.rendered).toContain('Soul');
    // y is not served: x stands in for it.
    expect(done.text(soul.id)).toEqual([`../Served/${p}.flac`, `../Served/${x}.flac`]);
  });

  it('renders a track of a smart playlist again, sending its text only when it changed', () => {
    retag(p, 'genre', 'Soul');
    const done = render([p]);
    expect(done.rendered).toEqual(['Soul']);
    expect(done.files).toEqual([]);
  });

  it('renders smart playlists and lists with tracks not served when the kept copies move', () => {
    expect(render([]).rendered).toEqual([]);
    db.prepare('INSERT INTO preferred_copies (file_id, chosen_at) VALUES (?, 2)').run(y);
    expect(render([]).rendered).toEqual(['List', 'Soul']);
  });
});

describe("playlists' file names", () => {
  it('are distinct in any case and Unicode normalisation, so a copy to APFS, NTFS or exFAT keeps each', () => {
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['a'] } }]);
    for (const name of ['Stra\u00dfe', 'STRASSE', 'Caf\u00e9'])
      createPlaylist(db, name, { kind: 'ids', ids: [] });
    // A name stored decomposed beside its composed twin (a library from before names were composed).
    db.prepare(
      'INSERT INTO playlists (name, query, max_tracks, created_at, changed_at) VALUES (?, NULL, NULL, 0, 0)',
    ).run('Cafe\u0301');
    const renderer = new PlaylistRenderer(openReader(db.name));
    const reply = renderer.answer({ op: 'plan', changed: null, minute: 0 });
    expect('need' in reply).toBe(false);
    const names = (reply as RenderDone).lists.map((l) => l.name);
    expect(names).toHaveLength(4);
    expect(new Set(names.map(nameKey)).size).toBe(4);
    expect(names.filter((n) => n.endsWith(' (2).m3u8'))).toHaveLength(2);
  });
});

describe('a smart playlist of dates from now (`added:-1w..`)', () => {
  const DAY = 86_400_000;
  const { db, ids } = taggedLibrary([
    { path: '/music/a.flac', tags: { title: ['a'] } },
    { path: '/music/b.flac', tags: { title: ['b'] } },
  ]);
  const [a, b] = ids as [number, number];
  db.prepare('UPDATE files SET added_at = ? WHERE id = ?').run(Date.now() - 10 * DAY, a);
  db.prepare('UPDATE files SET added_at = ? WHERE id = ?').run(Date.now() - DAY, b);
  const recent = createPlaylist(db, 'Recent', { kind: 'smart', query: 'added:-1w..', limit: null });
  createPlaylist(db, 'Titled', { kind: 'smart', query: 'title:a', limit: null });
  const renderer = new PlaylistRenderer(openReader(db.name));
  const render = (minute: number) => {
    let reply = renderer.answer({ op: 'plan', changed: [], minute });
    while ('need' in reply) reply = renderer.answer({ op: 'paths', paths: reply.need.map((id) => `/${id}`) });
    return reply;
  };

  it('is rendered again in each new minute, nothing else changing; a query of no date from now is not', () => {
    const first = renderer.answer({ op: 'plan', changed: null, minute: 100 }) as { need: number[] };
    const done = renderer.answer({ op: 'paths', paths: first.need.map((id) => `/${id}`) }) as RenderDone;
    expect(entries(done.files.find((f) => f.id === recent.id)?.bytes)).toEqual([`../${b}`]);
    expect(render(100)).toMatchObject({ rendered: [], clock: true });
    expect(render(101)).toMatchObject({ rendered: ['Recent'], clock: true });
    expect(render(101).rendered).toEqual([]);
  });
});
