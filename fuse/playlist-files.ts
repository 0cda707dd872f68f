// The mount's playlists: one M3U8 file per playlist in a top-level "Playlists" folder (listed when there
// is a playlist), each entry a path relative to that folder ("../Artist/Album/01 Title.flac"), so any
// player that opens the file finds the tracks in the mount. Written again whenever a playlist or the library changes (a smart playlist follows
// its query; a renamed track moves in every list). An entry whose file the mount does not serve (a copy
// left out for the one its recording keeps) points at the copy served instead; one with no served copy
// at all is left out, so a list whose tracks are all missing is an empty playlist, still listed.

import type { Statement } from 'better-sqlite3';
import type { Db } from '../app/core/db/database.ts';
import { filesByIds } from '../app/core/library/list.ts';
import { formatM3u8, itemLabel } from '../app/core/library/m3u8.ts';
import {
  listPlaylists,
  PLAYLISTS_VERSION,
  type Playlist,
  playlistTracks,
} from '../app/core/library/playlists.ts';
import { sanitizeComponent } from '../app/core/served/path-template.ts';
import type { VirtualTree } from './virtual-tree.ts';

/** The folder's name, unless the library has a top-level folder of that name (then the next one). */
const FOLDER_NAMES = ['Playlists', 'Playlists (Sleeve)', 'Sleeve Playlists'];
/** Odd inode numbers (directories and JS-served files are odd) far above any directory's (DirInodes
 *  counts up from 3) and below the scratch files' (counting down from 2^32 - 1). */
export const PLAYLISTS_INO = 0xc000_0001;
const fileIno = (playlistId: number) => PLAYLISTS_INO + 2 * playlistId;
const MAX_NAME_BYTES = 255;
/** Room left in a name for " (99)", when names sanitized alike collide. */
const SUFFIX_ROOM = 8;
const EXTENSION = '.m3u8';

export interface PlaylistFile {
  readonly ino: number;
  readonly name: string;
  readonly bytes: Buffer;
  readonly mtimeMs: number;
  /** Raised whenever its bytes change (the kernel drops what it cached of the old ones). */
  readonly version: number;
}

export class PlaylistFiles {
  readonly #db: Db;
  #files = new Map<number, PlaylistFile>();
  #folder = FOLDER_NAMES[0]!;
  #folderMtimeMs = Date.now();
  /** Raised whenever a file comes, goes or is renamed, or the folder is (the tree must be packed again). */
  #shape = 0;
  /** Raised whenever only what files hold changed (their nodes' sizes and versions are patched). */
  #content = 0;
  #seenVersion = -1;
  /** Each listed file's length and "Artist - Title", kept until the file changes: a retitle reads one
   *  file's tags, not every entry's (10,000 entries took ~100 ms to read again). */
  readonly #entries = new Map<number, { duration: number | null; label: string }>();

  readonly #log: (line: string) => void;

  /** Asked on every poll of the daemon (each 10 ms): prepared once. */
  readonly #version: Statement;

  constructor(db: Db, log: (line: string) => void) {
    this.#db = db;
    this.#log = log;
    this.#version = db.prepare(PLAYLISTS_VERSION).pluck();
  }

  get shape(): number {
    return this.#shape;
  }

  get content(): number {
    return this.#content;
  }

  get folder(): { readonly ino: number; readonly name: string; readonly mtimeMs: number } {
    return { ino: PLAYLISTS_INO, name: this.#folder, mtimeMs: this.#folderMtimeMs };
  }

  get count(): number {
    return this.#files.size;
  }

  get files(): Iterable<PlaylistFile> {
    return this.#files.values();
  }

  byIno(ino: number): PlaylistFile | undefined {
    return this.#files.get(ino);
  }

  /**
   * Writes the files again when the playlists changed, or when the library did: `changed` holds the files
   * the view refreshed (any entry's path or a smart playlist's matches may have moved; their labels are
   * read again), null at the start. Returns whether any file changed.
   */
  refresh(tree: VirtualTree, changed: readonly number[] | null): boolean {
    const version = this.#version.get() as number;
    if (changed?.length === 0 && version === this.#seenVersion) return false;
    this.#seenVersion = version;
    if (changed === null) this.#entries.clear();
    else for (const id of changed) this.#entries.delete(id);
    const folder = FOLDER_NAMES.find((n) => !tree.root.children.has(n)) ?? FOLDER_NAMES[0]!;
    const next = new Map<number, PlaylistFile>();
    const taken = new Set<string>();
    let reshaped = folder !== this.#folder;
    let rewritten = false;
    for (const p of listPlaylists(this.#db)) {
      const ino = fileIno(p.id);
      const name = freeName(
        sanitizeComponent(p.name, MAX_NAME_BYTES - EXTENSION.length - SUFFIX_ROOM),
        taken,
      );
      const bytes = Buffer.from(this.#render(tree, this.#tracks(p)));
      const old = this.#files.get(ino);
      if (old?.name !== name) reshaped = true;
      if (old && old.name === name && old.bytes.equals(bytes)) next.set(ino, old);
      else {
        rewritten = true;
        next.set(ino, { ino, name, bytes, mtimeMs: Date.now(), version: (old?.version ?? 0) + 1 });
      }
    }
    if (next.size !== this.#files.size) reshaped = true;
    if (!rewritten && !reshaped) return false;
    this.#files = next;
    this.#folder = folder;
    this.#folderMtimeMs = Date.now();
    if (reshaped) this.#shape++;
    else this.#content++;
    return true;
  }

  /** A playlist's files now; none (and a line in the log) when its query cannot run: one bad playlist
   *  must not stop the mount nor the others. */
  #tracks(p: Playlist): number[] {
    try {
      return playlistTracks(this.#db, p);
    } catch (err) {
      this.#log(`playlist “${p.name}” is served empty: ${(err as Error).message}`);
      return [];
    }
  }

  /** The M3U8 text: each file by its path in the mount, else its served copy's, else left out. */
  #render(tree: VirtualTree, ids: readonly number[]): string {
    const served = new Map<number, number>();
    const unserved = [...new Set(ids.filter((id) => tree.pathOf(id) === undefined))];
    if (unserved.length > 0) {
      const mates = this.#db
        .prepare(
          `SELECT m.file_id AS id, o.file_id AS mate FROM recording_members m
           JOIN recording_members o ON o.group_id = m.group_id AND o.file_id <> m.file_id
           WHERE m.file_id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(unserved)) as Array<{ id: number; mate: number }>;
      for (const { id, mate } of mates)
        if (!served.has(id) && tree.pathOf(mate) !== undefined) served.set(id, mate);
    }
    const shown = ids.flatMap((id) => {
      const at = tree.pathOf(id) === undefined ? served.get(id) : id;
      return at === undefined ? [] : [at];
    });
    const unknown = [...new Set(shown.filter((id) => !this.#entries.has(id)))];
    for (const f of filesByIds(this.#db, unknown, ['artist', 'title']))
      this.#entries.set(f.id, { duration: f.duration, label: itemLabel(f.tags, f.path) });
    return formatM3u8(
      shown.map((id) => ({
        location: `..${tree.pathOf(id)!}`, // pathOf starts with "/"
        ...this.#entries.get(id)!,
      })),
    );
  }
}

/** `name` + ".m3u8", or with " (2)", " (3)"… when names sanitized alike collide (in any case). */
function freeName(name: string, taken: Set<string>): string {
  let candidate = `${name}${EXTENSION}`;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name} (${n})${EXTENSION}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
