// The daemon's view of the library: which files are served, under which paths, and what changed since
// the last look. It follows the library's change feed (files.change_seq), so a refresh reads only the
// changed files from the database (the tree itself is rebuilt from memory).
import { basename, extname } from 'node:path';
import type Database from 'better-sqlite3';
import type { Db } from '../app/core/db/database.ts';
import { tagsFor } from '../app/core/library/list.ts';
import type { FlacKept } from '../app/core/media/fast-readers.ts';
import type { PathTemplate } from './path-template.ts';
import { DirInodes, type TreeEntry, VirtualTree } from './virtual-tree.ts';

/** How a file is served: a regenerated FLAC, ID3v2, Ogg Vorbis/Opus or WAV/AIFF header before its
 *  audio, or an APEv2 tag after it (WavPack, Monkey's Audio), or the original as is. */
export type ServeKind = 'flac' | 'id3' | 'vorbis' | 'opus' | 'riff' | 'aiff' | 'apev2' | 'whole';

/** One served file as the library last described it. */
export interface ServedRecord {
  readonly fileId: number;
  /** The original file, as the library shows it (for messages). */
  readonly path: string;
  /** ... and as the file system knows it: the same, or its bytes when they are not valid UTF-8. */
  readonly disk: string | Buffer;
  readonly size: number;
  readonly mtimeMs: number;
  readonly kind: ServeKind;
  readonly audioStart: number;
  readonly audioEnd: number;
  /** What the scanner recorded of a FLAC's kept blocks; null: read them from the original. */
  readonly flacKept: FlacKept | null;
  /** Ogg, WAV, AIFF: what a new header keeps of the original (HeaderKept as JSON, parsed on use). */
  readonly headerKept: string | null;
  /** The file's change_seq: a header built for one value is stale for any other. */
  readonly seq: number;
  /** What the mount shows as mtime: the original's, or the newest edit to the file's tags. */
  readonly shownMtimeMs: number;
}

interface FileRow {
  id: number;
  path: string;
  bytes: Buffer | null;
  size: number;
  mtimeMs: number;
  format: string | null;
  audioStart: number | null;
  audioEnd: number | null;
  keptBytes: number | null;
  vendor: string | null;
  headerKept: string | null;
  seq: number;
  status: string;
  editedAt: number | null;
}

function serveKind(row: FileRow): ServeKind {
  if (row.audioStart === null || row.audioEnd === null) return 'whole';
  if (row.format === 'flac') return 'flac';
  if (row.format === 'mp3' || row.format === 'mp2') return 'id3';
  if (row.headerKept !== null && row.format === 'ogg-vorbis') return 'vorbis';
  if (row.headerKept !== null && row.format === 'opus') return 'opus';
  if (row.headerKept !== null && row.format === 'wav') return 'riff';
  if (row.headerKept !== null && row.format === 'aiff') return 'aiff';
  if (row.format === 'wavpack' || row.format === 'ape') return 'apev2';
  return 'whole';
}

export class LibraryView {
  readonly #db: Db;
  readonly #template: PathTemplate;
  readonly #records = new Map<number, ServedRecord>();
  readonly #entries = new Map<number, TreeEntry>();
  readonly #inodes = new DirInodes();
  #tree: VirtualTree = VirtualTree.build([]);
  /** Raised by every rebuild: a tree with the same shape keeps its number. */
  #shape = 0;
  #seq = -1;
  #dataVersion = -1;

  readonly #dataVersion$: Database.Statement;
  readonly #changed: Database.Statement;

  constructor(db: Db, template: PathTemplate) {
    this.#db = db;
    this.#template = template;
    this.#dataVersion$ = db.prepare('PRAGMA data_version').pluck();
    // In change_seq order, so the last seen seq is a true high-water mark.
    this.#changed = db.prepare(
      `SELECT f.id, f.path, f.path_bytes AS bytes, f.size, f.mtime_ms AS mtimeMs, f.format, f.audio_start AS audioStart,
         f.audio_end AS audioEnd, f.flac_kept_bytes AS keptBytes, f.flac_vendor AS vendor, f.header_kept AS headerKept,
         f.change_seq AS seq, f.status,
         (SELECT max(max(b.created_at, coalesce(b.undone_at, 0))) FROM edit_batches b
          WHERE b.id IN (SELECT batch_id FROM edits WHERE file_id = f.id
                         UNION SELECT batch_id FROM art_edits WHERE file_id = f.id)) AS editedAt
       FROM files f WHERE f.change_seq > ? ORDER BY f.change_seq`,
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
    const dataVersion = this.#dataVersion$.get() as number;
    if (!force && dataVersion === this.#dataVersion) return [];
    // One read transaction: the rows and their tags come from the same snapshot.
    const { rows, tags } = this.#db.transaction(() => {
      const rows = this.#changed.all(this.#seq) as FileRow[];
      return { rows, tags: this.#tagsOf(rows.filter((r) => r.status === 'ok').map((r) => r.id)) };
    })();
    this.#dataVersion = dataVersion;
    if (rows.length === 0) return [];
    // Whether a file came, went or moved: then the tree is rebuilt; else its times are updated in place
    // (a rebuild of 100k files costs about 100 ms; most edits do not touch the path).
    let reshaped = false;
    for (const row of rows) {
      this.#seq = Math.max(this.#seq, row.seq);
      if (row.status !== 'ok') {
        this.#records.delete(row.id);
        if (this.#entries.delete(row.id)) reshaped = true;
        continue;
      }
      const record: ServedRecord = {
        fileId: row.id,
        path: row.path,
        disk: row.bytes ?? row.path, // the path's one string, not a copy per record
        size: row.size,
        mtimeMs: row.mtimeMs,
        kind: serveKind(row),
        audioStart: row.audioStart ?? 0,
        audioEnd: row.audioEnd ?? row.size,
        flacKept: row.keptBytes === null ? null : { bytes: row.keptBytes, vendor: row.vendor ?? '' },
        headerKept: row.headerKept,
        seq: row.seq,
        shownMtimeMs: Math.max(row.mtimeMs, row.editedAt ?? 0),
      };
      this.#records.set(row.id, record);
      const extension = extname(row.path);
      const components = this.#template.components({
        tags: tags.get(row.id) ?? new Map(),
        stem: basename(row.path, extension),
        extension: extension.toLowerCase(),
      });
      const before = this.#entries.get(row.id)?.components;
      if (before?.length !== components.length || before.some((c, i) => c !== components[i])) reshaped = true;
      this.#entries.set(row.id, { fileId: row.id, components, mtimeMs: record.shownMtimeMs });
    }
    const touched =
      !reshaped && rows.every((row) => this.#tree.touch(row.id, this.#records.get(row.id)!.shownMtimeMs));
    if (!touched) {
      this.#tree = VirtualTree.build(this.#entries.values(), this.#inodes);
      this.#shape++;
    }
    return rows.map((r) => r.id);
  }

  /** Effective tags (lower-case keys) of these files, for their paths. */
  #tagsOf(ids: readonly number[]): Map<number, Map<string, string[]>> {
    const out = new Map<number, Map<string, string[]>>();
    for (const [id, tags] of tagsFor(this.#db, ids)) {
      out.set(id, new Map(Object.entries(tags).map(([key, values]) => [key.toLowerCase(), values])));
    }
    return out;
  }
}
