// Tags taken back from text (CSV, TSV, JSON; tags-export.ts writes them): the changes a spreadsheet makes,
// merged against what the library had when its export was read. A cell that differs from the library is
// a change — unless an edit changed that field since the read: then a cell still holding what was read
// leaves the library's newer value, and a cell the user changed too is kept as a conflict (`sleeve
// conflicts`: one step takes it). Rows that name no track, fields the library does not know and invalid
// values are refused, each with its row, before anything is written. CSV and TSV are read as a stream and
// planned a chunk of rows at a time, so a million rows never sit in memory at once.
import { createReadStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { cappedSize } from '../../../kit/capped-file.ts';
import { validateFieldValue } from '../../shared/fields.ts';
import { MAX_IMPORT_BYTES, MAX_JSON_IMPORT_BYTES } from '../../shared/rpc-contract.ts';
import type { TextFormat } from '../../shared/text-formats.ts';
import { storedNumbers } from '../../shared/track-numbers.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { type BatchLabel, EditError, type PlannedChange, sameValues, validateChanges } from './edits.ts';
import { fieldsChangedSince, filesChangedSince, valuesAt } from './fields-since.ts';
import { tagsFor } from './list.ts';
import { applyPreviewed, type Previewed, refuseIfChanged } from './previewed.ts';
import { type NewConflict, recordConflicts } from './save-conflicts.ts';
import { cellText, cellValues, ID, PATH, READ_AT } from './tags-export.ts';

/** Rows planned at a time. */
const CHUNK = 2000;
/** Problems listed in a refusal; the rest are counted. */
const LISTED = 10;

/** One row of an import: where it is in the file, which track it names, and its cells by field. */
export interface ImportRow {
  /** Its line (CSV, TSV) or place in the list (JSON), for messages. */
  readonly line: number;
  readonly id: number | undefined;
  readonly path: string | undefined;
  /** When its export was read (ms); null when the file does not say. */
  readonly readAt: number | null;
  /** Each field's cell: text (CSV, TSV) or values (JSON). */
  readonly cells: ReadonlyMap<string, string | readonly string[]>;
}

export interface OpenedImport {
  /** The field columns, as the file names them. */
  readonly fields: readonly string[];
  readonly rows: AsyncIterable<ImportRow>;
}

const readTime = (text: string | undefined): number | null => {
  if (text === undefined || text.trim() === '') return null;
  const ms = /^\d+$/.test(text.trim()) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new EditError(`${READ_AT} must be a time, got "${text}"`);
  return ms;
};

const idOf = (text: string | number | undefined, line: number): number | undefined => {
  if (text === undefined || text === '') return undefined;
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new EditError(`row ${line}: id must be a track's number, got "${text}"`);
  return id;
};

/** Opens an import (`sleeve import`'s file, or one the app sent): its size checked, its header read; its
 *  rows follow as they are read. */
export async function openImport(path: string, format: TextFormat): Promise<OpenedImport> {
  cappedSize(
    path,
    format === 'json' ? MAX_JSON_IMPORT_BYTES : MAX_IMPORT_BYTES,
    `a ${format.toUpperCase()} import`,
  );
  return format === 'json' ? openJson(readFileSync(path, 'utf8')) : openTable(createReadStream(path), format);
}

async function openTable(input: Readable, format: 'csv' | 'tsv'): Promise<OpenedImport> {
  const parser = input.pipe(
    parse({ delimiter: format === 'tsv' ? '\t' : ',', bom: true, info: true, skip_empty_lines: true }),
  );
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  const said = (err: unknown) =>
    new EditError(`not readable as ${format.toUpperCase()}: ${(err as Error).message}`);
  const head = await records.next().catch((err) => {
    throw said(err);
  });
  if (head.done) throw new EditError('the file is empty: it needs a header row (id or path, then fields)');
  const columns = head.value.record.map((c) => c.trim());
  const at = (name: string) => columns.findIndex((c) => c.toLowerCase() === name);
  const [idAt, pathAt, readAtAt] = [at(ID), at(PATH), at(READ_AT)];
  if (idAt < 0 && pathAt < 0)
    throw new EditError(`the header names neither "${ID}" nor "${PATH}": rows could name no track`);
  const fieldAt = columns.flatMap((_, i) => (i === idAt || i === pathAt || i === readAtAt ? [] : [i]));
  async function* rows(): AsyncGenerator<ImportRow> {
    for (;;) {
      const next = await records.next().catch((err) => {
        throw said(err);
      });
      if (next.done) return;
      const { record, info } = next.value;
      yield {
        line: info.lines,
        id: idOf(record[idAt], info.lines),
        path: pathAt >= 0 ? record[pathAt] || undefined : undefined,
        readAt: readAtAt >= 0 ? readTime(record[readAtAt]) : null,
        cells: new Map(fieldAt.map((i) => [columns[i]!, record[i] ?? ''])),
      };
    }
  }
  return { fields: fieldAt.map((i) => columns[i]!), rows: rows() };
}

function openJson(text: string): OpenedImport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new EditError(`not readable as JSON: ${(err as Error).message}`);
  }
  const tracks = (doc as { tracks?: unknown })?.tracks;
  if (!Array.isArray(tracks))
    throw new EditError('a JSON import is {"readAt": …, "tracks": [{"id" or "path", "tags": {…}}]}');
  const readAt = readTime((doc as { readAt?: string }).readAt);
  const fields = new Set<string>();
  const rows = tracks.map((t: unknown, i): ImportRow => {
    const track = t as { id?: number; path?: string; tags?: Record<string, unknown> };
    const cells = new Map<string, readonly string[]>();
    for (const [key, values] of Object.entries(track?.tags ?? {})) {
      if (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))
        throw new EditError(`track ${i + 1}: ${key} must be a list of text values`);
      cells.set(key, values as string[]);
      fields.add(key);
    }
    return { line: i + 1, id: idOf(track?.id, i + 1), path: track?.path, readAt, cells };
  });
  return {
    fields: [...fields],
    rows: (async function* () {
      yield* rows;
    })(),
  };
}

/** What an import would do: the tracks it names, its changes, the conflicts it keeps, and its warnings;
 *  imported into a selection, the rows naming tracks outside it, left as they are. */
export interface ImportPlan {
  readonly ids: readonly number[];
  readonly plan: readonly PlannedChange[];
  readonly conflicts: readonly NewConflict[];
  readonly warnings: readonly string[];
  readonly outside: { readonly count: number; readonly paths: readonly string[] };
}

/** Paths of tracks outside the selection an import names. */
const OUTSIDE_NAMED = 5;

/** Problems found, the first LISTED said and the rest counted; refused all at once. */
class Problems {
  readonly #said: string[] = [];
  #more = 0;
  add(problem: string): void {
    if (this.#said.length < LISTED) this.#said.push(problem);
    else this.#more++;
  }
  refuse(): void {
    if (this.#said.length === 0) return;
    const more = this.#more > 0 ? `; and ${this.#more} more` : '';
    throw new EditError(`nothing imported: ${this.#said.join('; ')}${more}`);
  }
}

async function* chunks<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** The changes an import's rows make, merged against what the library had when the export was read;
 *  with `within` (the app's selection), only to those tracks. */
export async function planImport(
  db: Db,
  opened: OpenedImport,
  within?: ReadonlySet<number>,
): Promise<ImportPlan> {
  // The fields as the library names them; an unknown one refuses the import, as `sleeve set` does.
  const keys = validateChanges(
    db,
    opened.fields.map((key) => ({ key, values: [] })),
  ).map((c) => c.key);
  const named = new Map(opened.fields.map((f, i) => [f, keys[i]!]));
  const match = matcher(db);
  const problems = new Problems();
  const out = {
    ids: [] as number[],
    plan: [] as PlannedChange[],
    conflicts: [] as NewConflict[],
    warnings: [] as string[],
    outside: { count: 0, paths: [] as string[] },
  };
  let read: { at: number | null; touched: Set<number> } | undefined;
  for await (const rows of chunks(opened.rows, CHUNK)) {
    read ??= {
      at: rows[0]!.readAt,
      // Which fields changed since the read is asked only of the files an edit touched since.
      touched: rows[0]!.readAt === null ? new Set() : filesChangedSince(db, rows[0]!.readAt),
    };
    const matched = rows.flatMap((row) => {
      if (row.readAt !== read!.at)
        problems.add(`row ${row.line} was exported at another time: one export at a time`);
      const file = match(row, problems);
      if (file && within && !within.has(file.id)) {
        if (out.outside.count++ < OUTSIDE_NAMED) out.outside.paths.push(file.path);
        return [];
      }
      return file ? [{ row, file }] : [];
    });
    const tags = tagsFor(
      db,
      matched.map((m) => m.file.id),
      keys,
    );
    for (const { row, file } of matched) {
      out.ids.push(file.id);
      const now = new Map(Object.entries(tags.get(file.id) ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      planRow(db, { row, file, now, named, read, problems }, out);
    }
  }
  problems.refuse();
  if (read?.at === null)
    out.warnings.push(
      `the file does not say when it was exported (${READ_AT}): each cell is compared with the library now, so an edit made since the export is taken back where the file differs`,
    );
  return out;
}

/** Finds each row's track (by id, else by path), each once. */
function matcher(db: Db) {
  const byId = db.prepare('SELECT id, path FROM files WHERE id = ?');
  const byPath = db.prepare('SELECT id, path FROM files WHERE path = ?');
  const seen = new Map<number, number>();
  return (row: ImportRow, problems: Problems): { id: number; path: string } | undefined => {
    const found = (row.id !== undefined ? byId.get(row.id) : row.path ? byPath.get(row.path) : undefined) as
      | { id: number; path: string }
      | undefined;
    if (!found) {
      const named =
        row.id !== undefined ? `id ${row.id}` : row.path ? `path ${row.path}` : 'neither id nor path';
      problems.add(`row ${row.line} names no track (${named})`);
      return undefined;
    }
    const twice = seen.get(found.id);
    if (twice !== undefined)
      problems.add(`rows ${twice} and ${row.line} name the same track (${found.path})`);
    seen.set(found.id, row.line);
    return found;
  };
}

interface RowContext {
  readonly row: ImportRow;
  readonly file: { readonly id: number; readonly path: string };
  /** The track's values now, by lower-cased key. */
  readonly now: ReadonlyMap<string, readonly string[]>;
  /** The library's name of each column. */
  readonly named: ReadonlyMap<string, string>;
  readonly read: { readonly at: number | null; readonly touched: ReadonlySet<number> };
  readonly problems: Problems;
}

/** One row's changes (and conflicts) added to `out`. */
function planRow(
  db: Db,
  r: RowContext,
  out: { plan: PlannedChange[]; conflicts: NewConflict[]; warnings: string[] },
) {
  const cells: Array<{ key: string; values: string[] }> = [];
  for (const [column, cell] of r.row.cells) {
    const key = r.named.get(column)!;
    const before = r.now.get(key.toLowerCase()) ?? [];
    // Unchanged as text: a field of several values not split on import stays as it is.
    if (typeof cell === 'string' ? cell.trim() === cellText(before) : sameValues(cell, before)) continue;
    const values = typeof cell === 'string' ? cellValues(key, cell) : [...cell];
    for (const v of values) {
      const problem = validateFieldValue(key, v);
      if (problem) r.problems.add(`row ${r.row.line}: ${problem}`);
    }
    cells.push({ key, values });
  }
  if (cells.length === 0) return;
  const numbers = storedNumbers(cells);
  out.warnings.push(...numbers.warnings.map((w) => `row ${r.row.line}: ${w}`));
  const changed =
    r.read.at !== null && r.read.touched.has(r.file.id)
      ? fieldsChangedSince(db, r.file.id, r.read.at, [])
      : new Set<string>();
  for (const { key, values } of numbers.fields) {
    const before = r.now.get(key.toLowerCase()) ?? [];
    if (sameValues(values, before)) continue;
    if (!changed.has(key.toLowerCase())) {
      out.plan.push({ fileId: r.file.id, key, before, after: values });
      continue;
    }
    const was = valuesAt(db, r.file.id, [key.toLowerCase()], r.read.at!).get(key.toLowerCase())!;
    // The cell still holds what was read: the user left it, and the library's newer value stays.
    if (!sameValues(values, was))
      out.conflicts.push({
        fileId: r.file.id,
        key,
        path: r.file.path,
        library: before,
        tagger: values,
        read: was,
        source: 'import',
      });
  }
}

/** Saves a previewed import: its changes as one edit batch and its conflicts, tied to that batch, in the
 *  transaction that makes the batch count — or nothing, when a file changed since the preview. The batch
 *  id, undefined when only conflicts were kept. */
export function saveImport(
  db: Db,
  previewed: Previewed,
  { plan, conflicts }: Pick<ImportPlan, 'plan' | 'conflicts'>,
  label: BatchLabel,
): number | undefined {
  const keep = (batch: number | undefined) => {
    if (conflicts.length > 0) recordConflicts(db, conflicts, Date.now(), batch);
  };
  if (plan.length > 0) return applyPreviewed(db, previewed, plan, label, [], keep);
  writeTransaction(db, () => {
    refuseIfChanged(db, previewed);
    keep(undefined);
  });
  return undefined;
}
