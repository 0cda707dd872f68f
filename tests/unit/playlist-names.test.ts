// A playlist's name is text a user typed: control characters (a NUL, a line break sent over RPC) are
// refused with where they are, on creating and on renaming; everything else is kept. A name typed in
// either of Unicode's canonical forms ("é" as one character, or e and a combining accent) is one name.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import {
  createPlaylist,
  deletePlaylist,
  playlistNamed,
  renamePlaylist,
  restorePlaylist,
} from '../../app/core/library/playlists.ts';
import { tempDir } from '../helpers.ts';

describe('playlist names', () => {
  const db = openDatabase(join(tempDir(), 'library.db'));
  const list = { kind: 'ids', ids: [] } as const;

  it('refuses control characters, saying which and where', () => {
    expect(() => createPlaylist(db, 'Road\u0000trip', list)).toThrow(
      'a playlist name cannot contain control characters (U+0000 at character 5)',
    );
    expect(() => createPlaylist(db, 'two\nlines', list)).toThrow(/U\+000A at character 4/);
    expect(() => createPlaylist(db, 'a\ttab', list)).toThrow(/U\+0009 at character 2/);
    expect(() => createPlaylist(db, 'c1\u0085', list)).toThrow(/U\+0085/);
    const kept = createPlaylist(db, 'Ünïcode · “quotes” / slashes', list);
    expect(kept.name).toBe('Ünïcode · “quotes” / slashes');
    expect(() => renamePlaylist(db, kept.id, 'bell\u0007')).toThrow(/U\+0007/);
  });

  it('takes a name typed composed or decomposed as one name', () => {
    const composed = 'Café Mix';
    const decomposed = composed.normalize('NFD');
    const made = createPlaylist(db, decomposed, list);
    expect(made.name).toBe(composed);
    expect(playlistNamed(db, decomposed).id).toBe(made.id);
    expect(playlistNamed(db, composed).id).toBe(made.id);
    expect(() => createPlaylist(db, composed, list)).toThrow(/exists already/);
    expect(() => createPlaylist(db, decomposed, list)).toThrow(/exists already/);
    deletePlaylist(db, made.id);
    expect(restorePlaylist(db, { name: decomposed }).id).toBe(made.id);
    // One stored decomposed before names were composed is found, and holds its name, either way.
    db.prepare('UPDATE playlists SET name = ? WHERE id = ?').run(decomposed, made.id);
    expect(playlistNamed(db, composed).id).toBe(made.id);
    expect(() => createPlaylist(db, composed, list)).toThrow(/exists already/);
    expect(renamePlaylist(db, made.id, composed).name).toBe(composed);
    // Both forms stored (a live one decomposed, a removed one composed): a rename to the name takes it,
    // the removed one going; and a removed one is not brought back beside a live one of the name.
    const twin = createPlaylist(db, 'Twin Mix', list);
    deletePlaylist(db, twin.id);
    db.prepare('UPDATE playlists SET name = ? WHERE id = ?').run('Café Twin', twin.id);
    db.prepare('UPDATE playlists SET name = ? WHERE id = ?').run('Café Twin'.normalize('NFD'), made.id);
    expect(() => restorePlaylist(db, { id: twin.id })).toThrow(/exists already/);
    expect(renamePlaylist(db, made.id, 'Café Twin').name).toBe('Café Twin');
    expect(() => restorePlaylist(db, { id: twin.id })).toThrow(/not a removed playlist/);
  });
});
