// The album grid's and the artist list's entries for a query, kept per library version and, after a
// change to a few files (an edit), patched rather than made again: the entries those files were on and
// are on now are counted again over their own files, the rest kept. Listing both whole took 7 s at a
// million tracks after every edit, as the version moved (BENCHMARKS.md, grouping). The changed files are
// the change feed's and those whose place among their recording's copies moved, as the track order
// (track-window.ts) takes them: changedSince.

import { queryKey } from '../../shared/query-clock.ts';
import type { Db } from '../db/database.ts';
import { readTransaction } from '../db/read-transaction.ts';
import {
  type AlbumEntry,
  type ArtistEntry,
  albumGroups,
  artistGroups,
  type Grouped,
  matching,
} from './albums.ts';
import { namesCopyField } from './library-query.ts';
import type { ListScope } from './query-sql.ts';
import {
  changedSince,
  holdCopies,
  type LibraryState,
  type ListedBy,
  libraryState,
  VersionedCache,
} from './track-window.ts';

/** Changed files up to which a list is patched. */
const PATCH_LIMIT = 2000;

/** A list's entries, in order, and the library state they are of. */
interface Listed<E> extends LibraryState {
  readonly groups: readonly Grouped<E>[];
  readonly entries: readonly E[];
  /** Files counted over all entries (a file on two artists twice). */
  readonly size: number;
}

/** How one kind of list is made over the files a WHERE (over `files f`) selects, and what names an entry. */
interface ListKind<E> {
  groups(db: Db, where: string, params: readonly unknown[]): Grouped<E>[];
  key(entry: E): string;
}

const ALBUMS: ListKind<AlbumEntry> = {
  groups: albumGroups,
  key: (a) => `${a.albumartist}\0${a.album}`,
};
const ARTISTS: ListKind<ArtistEntry> = { groups: artistGroups, key: (a) => a.name };

/** SQLite's order of two strings (their UTF-8 bytes, code point order), which JS's < (UTF-16 code units)
 *  differs from for characters past U+FFFF against those from U+E000. */
export function binaryCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return inCodePointOrder(x) - inCodePointOrder(y);
  }
  return a.length - b.length;
}
/** A UTF-16 code unit moved so that surrogates (code points past U+FFFF) come after U+E000–U+FFFF. */
const inCodePointOrder = (unit: number) =>
  unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;

const byPlace = (a: Grouped<unknown>, b: Grouped<unknown>): number => {
  for (let i = 0; i < Math.min(a.order.length, b.order.length); i++) {
    const c = binaryCompare(a.order[i]!, b.order[i]!);
    if (c !== 0) return c;
  }
  return a.order.length - b.order.length;
};

/** Json of file ids, as json_each reads them in `f.id IN (…)`. */
const IN_IDS = 'f.id IN (SELECT value FROM json_each(?))';

class PatchedLists<E> {
  readonly #db: Db;
  readonly #kind: ListKind<E>;
  readonly #lists = new VersionedCache<Listed<E>>(4);
  /** The library's state at the last length() asked of each list (the scopes' whole ones), a few kept. */
  readonly #asked = new VersionedCache<LibraryState>(4);
  /** Lists made over every matching file (not patched): what the tests count. */
  fullLists = 0;

  constructor(db: Db, kind: ListKind<E>) {
    this.#db = db;
    this.#kind = kind;
  }

  /** The entries for `query` in `scope` now (throws QuerySyntaxError). */
  list(query: string, scope: ListScope): readonly E[] {
    return this.#read(() => this.#listed(query, scope, libraryState(this.#db))!.entries);
  }

  /** The same entries, each with its files. */
  groups(query: string, scope: ListScope): readonly Grouped<E>[] {
    return this.#read(() => this.#listed(query, scope, libraryState(this.#db))!.groups);
  }

  /** `fn` in one read transaction: the state a list is labelled with is the one it was made at, so a kept
   *  copy that moved meanwhile is not taken for one moved after it (changedSince). */
  #read<T>(fn: () => T): T {
    return readTransaction(this.#db, fn);
  }

  /**
   * How many entries the list has now, at the least cost: the held list's length, patched to now; else
   * `count()` (half what making the list costs), except once changes come few between two asks (an edit,
   * not a scan's stream): then the list is made whole, so that the asks after the next edits are patched.
   */
  length(query: string, scope: ListScope, count: () => number): number {
    return this.#read(() => this.#length(query, scope, count));
  }

  #length(query: string, scope: ListScope, count: () => number): number {
    const key = `${scope}:${queryKey(query)}`;
    const last = this.#asked.any(key);
    const now = libraryState(this.#db);
    this.#asked.get(key, now.seq + now.copies, () => now);
    const held = this.#listed(query, scope, now, false);
    if (held) return held.groups.length;
    const settled = last && now.seq - last.seq <= PATCH_LIMIT;
    return settled ? this.#listed(query, scope, now)!.groups.length : count();
  }

  #listed(query: string, scope: ListScope, state: LibraryState, full = true): Listed<E> | undefined {
    const key = `${scope}:${queryKey(query)}`;
    const version = state.seq + state.copies;
    const held = this.#lists.peek(key, version);
    if (held) return this.#lists.get(key, version, () => held);
    const before = this.#lists.any(key);
    if (!before && !full) return undefined;
    const by = { scope, recordingsCounted: true, copyField: namesCopyField(query) };
    holdCopies(this.#db, by);
    const { where, whereParams } = matching(this.#db, query, scope);
    const patched = before && this.#patched(before, state, { where, params: whereParams, by });
    if (!patched && !full) return undefined;
    return this.#lists.get(key, version, () => {
      if (patched) return patched;
      this.fullLists++;
      return listed(state, this.#kind.groups(this.#db, where, whereParams));
    });
  }

  /**
   * `before` brought to `now` when only a few files changed since (changedSince): the entries
   * those files were on before, and the ones they are on now, counted again over the files they hold —
   * the others they had before, which have not changed, and the changed ones now on them.
   */
  #patched(
    before: Listed<E>,
    now: LibraryState,
    { where, params, by }: { where: string; params: readonly unknown[]; by: ListedBy },
  ): Listed<E> | null {
    const changed = changedSince(this.#db, before, now, PATCH_LIMIT, by);
    if (!changed) return null;
    const gone = new Set(changed);
    const arriving = this.#kind.groups(this.#db, `${IN_IDS} AND ${where}`, [
      JSON.stringify(changed),
      ...params,
    ]);
    const keys = new Set(arriving.map((g) => this.#kind.key(g.entry)));
    const touched = (g: Grouped<E>) =>
      keys.has(this.#kind.key(g.entry)) || g.members.some((id) => gone.has(id));
    const files = new Set<number>();
    const kept: Grouped<E>[] = [];
    for (const g of before.groups) {
      if (!touched(g)) kept.push(g);
      else {
        keys.add(this.#kind.key(g.entry));
        for (const id of g.members) if (!gone.has(id)) files.add(id);
      }
    }
    for (const g of arriving) for (const id of g.members) files.add(id);
    // Counting again costs as much a file as a full list: past a twentieth of it, that is made instead.
    if (files.size > Math.max(PATCH_LIMIT, before.size / 20)) return null;
    const fresh = this.#kind
      .groups(this.#db, IN_IDS, [JSON.stringify([...files])])
      // A file also on other artists brings partial counts of those: only the entries counted whole stay.
      .filter((g) => keys.has(this.#kind.key(g.entry)));
    return listed(now, merged(kept, fresh));
  }
}

function listed<E>(state: LibraryState, groups: readonly Grouped<E>[]): Listed<E> {
  let size = 0;
  for (const g of groups) size += g.members.length;
  return { seq: state.seq, copies: state.copies, groups, entries: groups.map((g) => g.entry), size };
}

/** Two lists in order, as one. */
function merged<E>(a: readonly Grouped<E>[], b: readonly Grouped<E>[]): Grouped<E>[] {
  const out: Grouped<E>[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(byPlace(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** The album grid's and the artist list's entries, per query and scope, for one reading connection. */
export class AlbumLists {
  readonly albums: PatchedLists<AlbumEntry>;
  readonly artists: PatchedLists<ArtistEntry>;

  constructor(db: Db) {
    this.albums = new PatchedLists(db, ALBUMS);
    this.artists = new PatchedLists(db, ARTISTS);
  }
}
