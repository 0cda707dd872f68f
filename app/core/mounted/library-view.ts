// The daemon's view of the library: which files are served, under which paths, and what changed since
// the last look. It follows the library's change feed (files.change_seq), so a refresh reads only the
// changed files from the database (the tree itself is rebuilt from memory).
import type Database from 'better-sqlite3';
import { IdFloats } from '../../../kit/id-floats.ts';
import { IdTable } from '../../../kit/id-table.ts';
import type { FileFacts } from '../../shared/fields.ts';
import type { Db } from '../db/database.ts';
import { readTransaction } from '../db/read-transaction.ts';
import { derivedAlbumColumns } from '../library/album-tile.ts';
import { currentPlaces, otherCopiesIn } from '../library/copy-places.ts';
import { type Tags, tagsFor } from '../library/list.ts';
import { FACT_COLUMNS } from '../library/track-columns.ts';
import type { FlacKept } from '../media/fast-readers.ts';
import { type AlbumValues, pathSource } from '../served/path-source.ts';
import { DEFAULT_TEMPLATE, nameKey, type PathTemplate } from '../served/path-template.ts';
import { SERVED_VERSION } from '../served/served-plan.ts';
import { type ServedRecord, servedRecord } from '../served/served-record.ts';
import { ServedRecords } from './served-records.ts';
import { DirInodes, type TreeEntry, VirtualTree } from './virtual-tree.ts';

/** One served file as the library last described it. */

/** Whether the file's (f) recorded served size and path are its current version's. */
const RECORDED = `f.served_seq = f.change_seq AND f.served_version = ${SERVED_VERSION}`;

/** The tables of a file's edits: its tags', its pictures'. */
const EDIT_TABLES = ['edits', 'art_edits'] as const;
/** How an edit (e) was last touched, each a time over the batch it joins (times are positive): its own
 *  batch (b) made, undid or redid it; the batch an edit carried from another copy came from (s) was undone
 *  or redone (edit-counts.ts). Apart, so that the first reads only the table's index by file (covering:
 *  joined to both at once, each row was read too, twice the time); the second, by file, reads the file's
 *  few edit rows for their carried_from (a first load reads only carried rows: editedAtByFile). */
const TOUCHED = [
  { time: 'max(b.created_at, coalesce(b.undone_at, 0), coalesce(b.redone_at, 0))', carried: false },
  { time: 'max(coalesce(s.undone_at, 0), coalesce(s.redone_at, 0))', carried: true },
] as const;
/** Each table with each way its edits were touched. */
const EDIT_TIMES = EDIT_TABLES.flatMap((table) => TOUCHED.map((touched) => ({ table, ...touched })));
type EditTimes = (typeof EDIT_TIMES)[number];
const joined = (carried: boolean) =>
  carried ? 'JOIN edit_batches s ON s.id = e.carried_from' : 'JOIN edit_batches b ON b.id = e.batch_id';
/** When an edit batch last touched one of a file's (f) tags or pictures; null: never. Lookups by file,
 *  not a UNION of its batches: that built a temporary table per file (at a million files, 1.9 s of
 *  SQLite's time against 0.5 s). */
const EDITED_AT = `nullif(max(${EDIT_TIMES.map(
  ({ table, time, carried }) =>
    `coalesce((SELECT max(${time}) FROM ${table} e ${joined(carried)} WHERE e.file_id = f.id), 0)`,
).join(', ')}), 0)`;
/** The same for every file, a table and a way at a time: what a first load reads instead of the lookups
 *  by file (at a million files, 111k of them edited: 0.2 s against 0.5–0.8 s). Carried rows by their own
 *  index (SQLite would walk every row by file, to group without sorting). */
const editedAtByFile = ({ table, time, carried }: EditTimes) =>
  carried
    ? `SELECT e.file_id, max(${time}) FROM ${table} e INDEXED BY ${table}_carried ${joined(true)}
       WHERE e.carried_from IS NOT NULL GROUP BY e.file_id`
    : `SELECT e.file_id, max(${time}) FROM ${table} e ${joined(false)} GROUP BY e.file_id`;

/** What serving a file (f) needs of it: its record and, where the template is the default, its recorded
 *  path. */
const SERVING_COLUMNS = `f.id, f.path, f.format, f.size, f.status, f.mtime_ms AS mtimeMs, f.path_bytes AS bytes,
  f.audio_start AS audioStart, f.audio_end AS audioEnd, f.flac_kept_bytes AS keptBytes,
  f.flac_vendor AS vendor, f.header_kept AS headerKept, f.change_seq AS seq, f.undecodable AS undecodable,
  CASE WHEN ${RECORDED} THEN f.served_size END AS servedSize,
  CASE WHEN ${RECORDED} THEN f.served_path END AS servedPath`;

/** What rendering a file's (f) path from the template needs besides: its facts (the template's
 *  properties) and its album's derived values, only those the template names ($albumyear…). */
const renderingColumns = (album: ReadonlySet<string>) => `${FACT_COLUMNS}, ${derivedAlbumColumns(album)}`;

/** Which files a view serves: one per recording (its kept copy), or every copy. */
export interface ViewOptions {
  readonly allCopies?: boolean;
}

/** Files read per query when the view takes in changes. */
const REFRESH_CHUNK = 1000;

/** A file's facts (for a template's properties) and what serving it needs. */
interface FileRow extends FileFacts, AlbumValues {
  bytes: Buffer | null;
  mtimeMs: number;
  audioStart: number | null;
  audioEnd: number | null;
  keptBytes: number | null;
  vendor: string | null;
  headerKept: string | null;
  seq: number;
  /** Why no sample of it decoded (the scan's analysis), or null. */
  undecodable: string | null;
  editedAt: number | null;
  servedSize: number | null;
  servedPath: string | null;
}

/** Folder names kept to share one string between the paths under them (a bound, not a cache policy). */
const FOLDER_NAMES_LIMIT = 50_000;

/** The time a new version of a file is shown: `time`, or, when that falls in the second the version
 *  shown before had (two edits within a second), the next second. Watchers compare whole seconds:
 *  minidlna reads a file again only when its mtime's second is not the one it stored. */
function laterSecond(before: ServedRecord | undefined, seq: number, time: number): number {
  if (!before || before.seq === seq) return time;
  const last = Math.floor(before.shownMtimeMs / 1000);
  return Math.floor(time / 1000) > last ? time : (last + 1) * 1000;
}

export class LibraryView {
  readonly #db: Db;
  readonly #template: PathTemplate;
  readonly #records = new ServedRecords();
  /** Each served file's path, its components. */
  readonly #components = new IdTable<readonly string[]>();
  readonly #inodes = new DirInodes();
  readonly #flacKepts = new Map<string, FlacKept>();
  /** The tags a path needs: only these are read. */
  readonly #tagKeys: string[];
  /** The default template: a file's path is the one the scan or last edit recorded, when it is current. */
  readonly #recordedPaths: boolean;
  /** Recorded folder names, each one string however many paths hold it. */
  readonly #folderNames = new Map<string, string>();
  #unrecorded = 0;
  #tree: VirtualTree = VirtualTree.build([]);
  /** Raised by every rebuild: a tree with the same shape keeps its number. */
  #shape = 0;
  /** The top-level directories the last rebuild changed; undefined when it built the whole tree. */
  #rebuiltTops: ReadonlySet<string> | undefined;
  /** File ids by their path's first component (a top-level directory, or a file at the top level). */
  readonly #byTop = new Map<string, Set<number>>();
  /** The first components of #byTop by key (nameKey): the spellings of what the tree makes one folder. */
  readonly #spellings = new Map<string, Set<string>>();
  /** Files whose path is a name alone, at the top level. */
  #filesAtTop = 0;
  /** Top-level directories (first components) the refresh under way moved files into or out of. */
  #touchedTops = new Set<string>();
  /** Files the last refresh moved though they did not change. */
  #moved: readonly number[] = [];
  #seq = -1;
  #dataVersion = -1;

  /** Serving every copy of a recording, not only the kept one. */
  readonly #allCopies: boolean;
  /** Present files that are not their recording's kept copy (left out unless #allCopies). */
  #otherCopies = new Set<number>();
  #copiesSeq = -1;

  /** The highest file id the view has seen (or the library held at its first load). */
  #maxId = 0;
  readonly #maxId$: Database.Statement;
  readonly #dataVersion$: Database.Statement;
  readonly #copiesSeq$: Database.Statement;
  readonly #changed: Database.Statement;
  /** Every file, as #changed reads them but for their last edit's time (#editedAt). */
  readonly #everyFile: Database.Statement;
  readonly #editedAt: readonly Database.Statement[];
  /** While the first load reads every file: their last edits' times (its rows do not hold them). */
  #firstEdits: IdFloats | undefined;
  readonly #byIds: Database.Statement;
  /** The rendering columns of files by id, where the rows read do not hold them; else undefined. */
  readonly #renderingByIds: Database.Statement | undefined;

  constructor(db: Db, template: PathTemplate, options: ViewOptions = {}) {
    this.#db = db;
    this.#template = template;
    this.#tagKeys = template.tagKeys();
    this.#recordedPaths = template.source === DEFAULT_TEMPLATE;
    this.#allCopies = options.allCopies ?? false;
    // With the default template most files' paths are recorded: the few rendered have the columns for
    // it read apart (a row's every column costs its reading, NULL or not: at a million files, 25 columns
    // took 1.9 s of SQLite's and the binding's time, these 16 0.9 s).
    const rendering = renderingColumns(template.albumFields());
    const columns = this.#recordedPaths ? SERVING_COLUMNS : `${SERVING_COLUMNS}, ${rendering}`;
    this.#renderingByIds = this.#recordedPaths
      ? db.prepare(`SELECT ${rendering} FROM json_each(?) j JOIN files f ON f.id = j.value`)
      : undefined;
    this.#dataVersion$ = db.prepare('PRAGMA data_version').pluck();
    this.#maxId$ = db.prepare('SELECT coalesce(max(id), 0) FROM files').pluck();
    this.#copiesSeq$ = db.prepare('SELECT seq FROM copies_state').pluck();
    // In change_seq order, so the last seen seq is a true high-water mark.
    const inOrder = 'FROM files f WHERE f.change_seq > ? ORDER BY f.change_seq LIMIT ?';
    this.#changed = db.prepare(`SELECT ${columns}, ${EDITED_AT} AS editedAt ${inOrder}`);
    this.#everyFile = db.prepare(`SELECT ${columns} ${inOrder}`);
    this.#editedAt = EDIT_TIMES.map((times) => db.prepare(editedAtByFile(times)).raw(true));
    this.#byIds = db.prepare(
      `SELECT ${columns}, ${EDITED_AT} AS editedAt FROM json_each(?) j JOIN files f ON f.id = j.value`,
    );
    this.refresh(true);
  }

  get tree(): VirtualTree {
    return this.#tree;
  }

  /** Which shape (names, entries) the tree has; refreshes that change only times, sizes and tags keep it. */
  get shape(): number {
    return this.#shape;
  }

  /** Files the view rendered a path for though the template is the default: no current recorded path
   *  (recorded by an older Sleeve; a scan records them). */
  get unrecorded(): number {
    return this.#unrecorded;
  }

  /** The top-level directories the last change of shape rebuilt (the rest of the tree is as it was),
   *  named as they were and as they are; undefined when the whole tree was built. */
  get rebuiltTops(): ReadonlySet<string> | undefined {
    return this.#rebuiltTops;
  }

  /**
   * Files the last refresh did not report as changed whose path it changed all the same: a name collision
   * moved them with a changed file ("Song (2).flac" becoming "Song.flac" when the other "Song" is
   * retitled). Whatever names files by their paths (a playlist) follows these as well as the changed ones.
   */
  get moved(): readonly number[] {
    return this.#moved;
  }

  record(fileId: number): ServedRecord | undefined {
    return this.#records.get(fileId);
  }

  records(): Iterable<ServedRecord> {
    return this.#records.values();
  }

  /**
   * Takes in what changed since the last call; returns the ids of changed files. Cheap when nothing
   * did: SQLite's data_version only moves when another connection commits (`force` after our own).
   */
  refresh(force = false): number[] {
    this.#moved = [];
    const dataVersion = this.#dataVersion$.get() as number;
    if (!force && dataVersion === this.#dataVersion) return [];
    const changed: number[] = [];
    // Whether a file came, went or moved: then the tree is rebuilt; else its times are updated in place
    // (a rebuild of 100k files costs about 100 ms; most edits do not touch the path).
    let reshaped = false;
    // A file at the top level before or after the change can push a folder aside: a full build then.
    let filesAtTop = this.#filesAtTop > 0;
    // One read transaction: the rows and their tags come from the same snapshot. A chunk at a time, so
    // the first load of a large library holds one chunk's rows and tags at once, not all of them.
    try {
      readTransaction(this.#db, () => {
        // Files that became or stopped being their recording's kept copy, though nothing of their own changed.
        const swapped = this.#takeCopies();
        this.#firstEdits = this.#seq < 0 ? this.#editedAtByFile() : undefined;
        if (this.#firstEdits) this.#reserve();
        const read = this.#firstEdits ? this.#everyFile : this.#changed;
        for (;;) {
          const rows = read.all(this.#seq, REFRESH_CHUNK) as FileRow[];
          if (rows.length === 0) break;
          for (const row of rows) {
            this.#seq = Math.max(this.#seq, row.seq);
            swapped.delete(row.id);
          }
          if (this.#takeRows(rows, changed)) reshaped = true;
        }
        const rest = [...swapped];
        for (let i = 0; i < rest.length; i += REFRESH_CHUNK) {
          const rows = this.#byIds.all(JSON.stringify(rest.slice(i, i + REFRESH_CHUNK))) as FileRow[];
          if (this.#takeRows(rows, changed)) reshaped = true;
        }
      });
    } finally {
      this.#firstEdits = undefined;
    }
    this.#dataVersion = dataVersion;
    if (changed.length === 0) return [];
    // A file that is not served (gone, or a copy left out) and was not before has nothing to touch.
    const touched =
      !reshaped &&
      changed.every((id) => {
        const record = this.#records.get(id);
        return record ? this.#tree.touch(id, record.shownMtimeMs) : !this.#components.has(id);
      });
    const tops = this.#touchedTops;
    this.#touchedTops = new Set();
    if (touched) return changed;
    filesAtTop ||= this.#filesAtTop > 0;
    // Every changed file's folder is rebuilt, not only those files moved into or out of: a file that
    // changed in place beside a move keeps its new size, version and time only in a rebuilt folder.
    for (const id of changed) {
      const top = this.#components.get(id)?.[0];
      if (top !== undefined) tops.add(top);
    }
    // With every other spelling of each: the tree makes them one folder.
    for (const top of [...tops]) for (const other of this.#spellings.get(nameKey(top)) ?? []) tops.add(other);
    // A few folders rebuilt when no file lies at the top level (one there can push a folder aside).
    const few =
      [...tops].reduce((n, top) => n + (this.#byTop.get(top)?.size ?? 0), 0) < this.#components.size / 4;
    if (!few || filesAtTop || this.#tree.fileCount === 0) {
      const before = this.#tree;
      const entries = this.#treeEntries(this.#components.keys());
      this.#tree = VirtualTree.build(entries, this.#inodes, this.#maxId);
      // Into an empty tree every file came: all of them changed.
      if (before.fileCount > 0) this.#moved = unchanged(this.#tree.movedSince(before), changed);
      this.#rebuiltTops = undefined;
    } else {
      const ids = [...tops].flatMap((top) => [...(this.#byTop.get(top) ?? [])]).sort((a, b) => a - b);
      const rebuilt = this.#tree.rebuildTops(tops, this.#treeEntries(ids), this.#inodes);
      this.#moved = unchanged(rebuilt.moved, changed);
      this.#rebuiltTops = rebuilt.names;
    }
    this.#shape++;
    return changed;
  }

  /** Room in the tables by id for every file there is, made at once (see ServedRecords.reserve). */
  #reserve(): void {
    this.#maxId = this.#maxId$.get() as number;
    this.#records.reserve(this.#maxId);
    this.#components.reserve(this.#maxId);
  }

  /** Each edited file's last edit time, read a table at a time. */
  #editedAtByFile(): IdFloats {
    const at = new IdFloats();
    for (const statement of this.#editedAt)
      for (const [id, time] of statement.all() as Array<[number, number]>)
        at.set(id, Math.max(at.get(id) ?? 0, time));
    return at;
  }

  /** The tree's entries of these files (in file-id order), made as the tree places them. */
  *#treeEntries(ids: Iterable<number>): Iterable<TreeEntry> {
    for (const fileId of ids)
      yield {
        fileId,
        components: this.#components.get(fileId)!,
        mtimeMs: this.#records.shownTime(fileId)!,
      };
  }

  /** Takes in changed rows (their ids added to `changed`); true when a file came, went or moved. */
  #takeRows(rows: readonly FileRow[], changed: number[]): boolean {
    const rendered = rows.filter((r) => this.#serves(r) && this.#recordedPath(r) === null);
    const tags = tagsFor(
      this.#db,
      rendered.map((r) => r.id),
      this.#tagKeys,
    );
    this.#readRendering(rendered);
    let reshaped = false;
    for (const row of rows) {
      changed.push(row.id);
      if (this.#take(row, tags.get(row.id))) reshaped = true;
    }
    return reshaped;
  }

  /** The rendering columns of rows read without them (the default template's), added to each row. */
  #readRendering(rows: readonly FileRow[]): void {
    if (!this.#renderingByIds || rows.length === 0) return;
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const facts of this.#renderingByIds.all(JSON.stringify([...byId.keys()])) as FileRow[])
      Object.assign(byId.get(facts.id)!, facts);
  }

  /**
   * When any recording's kept copy may have moved (copies_state.seq), works out the copies left out
   * again; returns the files that changed sides.
   */
  #takeCopies(): Set<number> {
    const swapped = new Set<number>();
    if (this.#allCopies) return swapped;
    if (this.#copiesSeq$.get() === this.#copiesSeq) return swapped;
    // The ranking held by this connection, with only the recordings touched since ranked again.
    const places = currentPlaces(this.#db);
    const next = otherCopiesIn(places);
    for (const id of next) if (!this.#otherCopies.has(id)) swapped.add(id);
    for (const id of this.#otherCopies) if (!next.has(id)) swapped.add(id);
    this.#otherCopies = next;
    this.#copiesSeq = places.seq;
    return swapped;
  }

  /** Whether the mount serves this file: present, with audio that decodes, and its recording's kept copy
   *  unless all are served. */
  #serves(row: FileRow): boolean {
    return row.status === 'ok' && row.undecodable === null && !this.#otherCopies.has(row.id);
  }

  /** Takes in one changed row; true when the file came, went or moved. */
  #take(row: FileRow, tags: Tags | undefined): boolean {
    if (!this.#serves(row)) {
      this.#records.delete(row.id);
      this.#leaveTop(row.id);
      return this.#components.delete(row.id);
    }
    const edited = Math.max(
      row.mtimeMs,
      (this.#firstEdits ? this.#firstEdits.get(row.id) : row.editedAt) ?? 0,
    );
    const record = servedRecord(
      row,
      { mtimeMs: laterSecond(this.#records.get(row.id), row.seq, edited), servedSize: row.servedSize },
      (bytes, vendor) => this.#flacKept(bytes, vendor),
    );
    this.#records.set(record);
    this.#maxId = Math.max(this.#maxId, row.id);
    const recorded = this.#recordedPath(row);
    if (recorded === null && this.#recordedPaths) this.#unrecorded++;
    const components =
      recorded === null
        ? this.#template.components(pathSource(row, Object.entries(tags ?? {}), row))
        : this.#splitRecorded(recorded);
    const before = this.#components.get(row.id);
    const moved = before?.length !== components.length || before.some((c, i) => c !== components[i]);
    if (moved) this.#leaveTop(row.id);
    this.#components.set(row.id, components);
    if (moved) {
      if (components.length === 1) this.#filesAtTop++;
      const top = components[0]!;
      this.#touchedTops.add(top);
      const ids = this.#byTop.get(top);
      if (ids) ids.add(row.id);
      else {
        this.#byTop.set(top, new Set([row.id]));
        const key = nameKey(top);
        this.#spellings.set(key, (this.#spellings.get(key) ?? new Set()).add(top));
      }
    }
    return moved;
  }

  /** The file's recorded path if this view's template is the one it was recorded with; else null. */
  #recordedPath(row: FileRow): string | null {
    return this.#recordedPaths ? row.servedPath : null;
  }

  #splitRecorded(path: string): string[] {
    const components = path.split('/');
    for (let i = 0; i < components.length - 1; i++) {
      const name = components[i]!;
      const shared = this.#folderNames.get(name);
      if (shared !== undefined) components[i] = shared;
      else {
        if (this.#folderNames.size >= FOLDER_NAMES_LIMIT) this.#folderNames.clear();
        this.#folderNames.set(name, name);
      }
    }
    return components;
  }

  /** Takes a file out of its top-level directory's set (it moved or went). */
  #leaveTop(fileId: number): void {
    const components = this.#components.get(fileId);
    if (components === undefined) return;
    if (components.length === 1) this.#filesAtTop--;
    const top = components[0]!;
    this.#touchedTops.add(top);
    const ids = this.#byTop.get(top);
    ids?.delete(fileId);
    if (ids?.size === 0) {
      this.#byTop.delete(top);
      const key = nameKey(top);
      const spellings = this.#spellings.get(key)!;
      spellings.delete(top);
      if (spellings.size === 0) this.#spellings.delete(key);
    }
  }

  /** Most files of a library share their kept-block length and vendor: one object for each pair. */
  #flacKept(bytes: number, vendor: string): FlacKept {
    const key = `${bytes}\0${vendor}`;
    let kept = this.#flacKepts.get(key);
    if (!kept) {
      kept = { bytes, vendor };
      this.#flacKepts.set(key, kept);
    }
    return kept;
  }
}

/** The files of `moved` that are not among `changed`. */
function unchanged(moved: readonly number[], changed: readonly number[]): number[] {
  if (moved.length === 0) return [];
  const own = new Set(changed);
  return moved.filter((id) => !own.has(id));
}
