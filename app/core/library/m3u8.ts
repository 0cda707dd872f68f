// M3U8 playlists (extended M3U in UTF-8, what every player reads): written for the mount and for export,
// read on import with each entry resolved against the library, and every entry that could not be
// reported with its line and reason, never dropped silently.

import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/database.ts';
import { filesByIds } from './list.ts';
import { createPlaylist, type Playlist, PlaylistError, playlistTracks } from './playlists.ts';

export interface M3uItem {
  /** Where the player finds it: relative to the playlist file, or absolute. */
  readonly location: string;
  /** Seconds, or null when unknown (written as -1, as the format says). */
  readonly duration: number | null;
  /** "Artist - Title" as #EXTINF shows it. */
  readonly label: string;
}

/** Locations never hold a line break: one would split the entry in two. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

export function formatM3u8(items: readonly M3uItem[]): string {
  const lines = ['#EXTM3U'];
  for (const item of items) {
    const seconds = item.duration === null ? -1 : Math.round(item.duration);
    lines.push(`#EXTINF:${seconds},${oneLine(item.label)}`, oneLine(item.location));
  }
  return `${lines.join('\n')}\n`;
}

/** "Artist - Title", or what there is of it, else the file's name. */
export function itemLabel(tags: Record<string, string[]>, path: string): string {
  const artist = tags.artist?.join(', ');
  const title = tags.title?.[0];
  if (artist && title) return `${artist} - ${title}`;
  return title ?? path.slice(path.lastIndexOf('/') + 1);
}

export interface ParsedEntry {
  /** 1-based line in the file. */
  readonly line: number;
  readonly location: string;
}

export interface SkippedEntry extends ParsedEntry {
  readonly reason: string;
}

/** Most bytes an imported playlist may have: 100k entries of long paths fit. */
export const MAX_PLAYLIST_BYTES = 64 * 1024 * 1024;

/** The entries of an M3U or M3U8 body (comments and #EXT lines skipped); throws on a binary body. */
export function parseM3u8(body: Buffer): ParsedEntry[] {
  if (body.length > MAX_PLAYLIST_BYTES)
    throw new PlaylistError('bad_request', `a playlist file has at most ${MAX_PLAYLIST_BYTES >> 20} MiB`);
  if (body.includes(0))
    throw new PlaylistError('bad_request', 'this is not a playlist: it holds binary data (NUL bytes)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new PlaylistError('bad_request', 'this is not an M3U8 playlist: it is not valid UTF-8 text');
  }
  const entries: ParsedEntry[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((raw, i) => {
      const location = raw.trim();
      if (location !== '' && !location.startsWith('#')) entries.push({ line: i + 1, location });
    });
  return entries;
}

/** A location's path on this machine, or why it has none. `baseDir`: the playlist file's folder (null:
 *  unknown, as for a file the app's page read, so a relative entry cannot be placed). */
function pathOf(location: string, baseDir: string | null): { path: string } | { reason: string } {
  if (/^file:\/\//i.test(location)) {
    try {
      return { path: fileURLToPath(location) };
    } catch {
      return { reason: 'a file URL that names no local path' };
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return { reason: 'a URL, not a file' };
  // A path with a drive letter cannot be found here.
  if (/^[a-z]:[\\/]/i.test(location)) return { reason: 'a Windows path' };
  if (isAbsolute(location)) return { path: resolve(location) };
  if (baseDir === null)
    return { reason: 'a relative path: import the file with `sleeve playlist import` to place it' };
  return { path: resolve(baseDir, location) };
}

/**
 * The library's files for the entries, in order, and the entries skipped with their reason: URLs, and
 * paths no scanned file has. `baseDir` is the playlist file's folder (relative entries are relative to it).
 */
function resolveEntries(
  db: Db,
  entries: readonly ParsedEntry[],
  baseDir: string | null,
): { ids: number[]; skipped: SkippedEntry[] } {
  const byPath = db.prepare("SELECT id, status FROM files WHERE path = ? AND status IN ('ok', 'missing')");
  const ids: number[] = [];
  const skipped: SkippedEntry[] = [];
  for (const entry of entries) {
    // Windows players write backslashes, which a Linux name may hold too: as written first, then as "/".
    const spellings = [...new Set([entry.location, entry.location.replace(/\\/g, '/')])];
    const places = spellings.map((l) => pathOf(l, baseDir));
    const found = places
      .map((w) => ('path' in w ? (byPath.get(w.path) as { id: number } | undefined) : undefined))
      .find((f) => f !== undefined);
    if (found) ids.push(found.id);
    else {
      const where = places.at(-1)!;
      skipped.push({
        ...entry,
        reason: 'reason' in where ? where.reason : `not in the library: ${where.path}`,
      });
    }
  }
  return { ids, skipped };
}

export interface ImportReport {
  readonly playlist: Playlist;
  /** Entries in the file. */
  readonly entries: number;
  readonly skipped: SkippedEntry[];
}

/** A new list from an M3U8 body, with every entry it could not place (throws on a binary body). */
export function importPlaylist(db: Db, name: string, body: Buffer, baseDir: string | null): ImportReport {
  const entries = parseM3u8(body);
  const { ids, skipped } = resolveEntries(db, entries, baseDir);
  return { playlist: createPlaylist(db, name, { kind: 'ids', ids }), entries: entries.length, skipped };
}

/** A playlist as M3U8 naming the originals by their absolute paths. */
export function exportPlaylist(db: Db, p: Playlist): { text: string; tracks: number } {
  const items = filesByIds(db, playlistTracks(db, p), ['artist', 'title']);
  const text = formatM3u8(
    items.map((i) => ({ location: i.path, duration: i.duration, label: itemLabel(i.tags, i.path) })),
  );
  return { text, tracks: items.length };
}
