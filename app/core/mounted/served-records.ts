// The view's served records, by file id, kept in columns: a file's numbers side by side in one
// Float64Array, its path and its shape (kind, FLAC kept blocks, kept header) in arrays by id, a shape
// shared by the many files alike. As an object a file (thirteen fields, its times each a number object
// of its own), a million records took ~1 s of the mount's start to make and for the young generation's
// collections to copy, and 190 MB. A record is made when asked for, of the strings and shared objects
// its row gave. Ids past DENSE_LIMIT keep their records whole (a database given huge ids).
import { DENSE_LIMIT, IdTable } from '../../../kit/id-table.ts';
import type { FlacKept } from '../media/fast-readers.ts';
import type { ServeKind } from '../served/served-plan.ts';
import type { ServedRecord } from '../served/served-record.ts';

/** A file's numbers, in this order, STRIDE a file; a NaN seq marks no record. servedSize NaN: null. */
const [SIZE, MTIME, SHOWN, AUDIO_START, AUDIO_END, SERVED_SIZE, SEQ, STRIDE] = [0, 1, 2, 3, 4, 5, 6, 7];

interface Shape {
  readonly kind: ServeKind;
  readonly flacKept: FlacKept | null;
  readonly headerKept: string | null;
}

export class ServedRecords {
  #numbers = new Float64Array(0);
  readonly #paths = new IdTable<string>();
  readonly #shapes = new IdTable<Shape>();
  /** The path's bytes, where they are not valid UTF-8 (rare). */
  readonly #diskBytes = new Map<number, Buffer>();
  /** Shapes without a kept header, by kind and FLAC kept blocks (themselves shared by the view). */
  readonly #shared = new Map<ServeKind, Map<FlacKept | null, Shape>>();
  readonly #sparse = new Map<number, ServedRecord>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(id: number): ServedRecord | undefined {
    if (id >= DENSE_LIMIT) return this.#sparse.get(id);
    const n = this.#numbers;
    const at = id * STRIDE;
    if (!(at < n.length) || Number.isNaN(n[at + SEQ]!)) return undefined;
    const path = this.#paths.get(id)!;
    const { kind, flacKept, headerKept } = this.#shapes.get(id)!;
    const servedSize = n[at + SERVED_SIZE]!;
    return {
      fileId: id,
      path,
      disk: this.#diskBytes.get(id) ?? path,
      size: n[at + SIZE]!,
      mtimeMs: n[at + MTIME]!,
      kind,
      audioStart: n[at + AUDIO_START]!,
      audioEnd: n[at + AUDIO_END]!,
      flacKept,
      headerKept,
      seq: n[at + SEQ]!,
      shownMtimeMs: n[at + SHOWN]!,
      servedSize: Number.isNaN(servedSize) ? null : servedSize,
    };
  }

  /** The time the file shows (its record's shownMtimeMs), without making its record. */
  shownTime(id: number): number | undefined {
    if (id >= DENSE_LIMIT) return this.#sparse.get(id)?.shownMtimeMs;
    const at = id * STRIDE;
    const seq = this.#numbers[at + SEQ];
    return seq === undefined || Number.isNaN(seq) ? undefined : this.#numbers[at + SHOWN];
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(record: ServedRecord): void {
    const id = record.fileId;
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`not a row id: ${id}`);
    if (id >= DENSE_LIMIT) {
      if (!this.#sparse.has(id)) this.#size++;
      this.#sparse.set(id, record);
      return;
    }
    const at = id * STRIDE;
    // Grown by half at least (reserve makes the room at once).
    if (at >= this.#numbers.length)
      this.reserve(Math.max(id, Math.ceil((this.#numbers.length / STRIDE) * 1.5)));
    const n = this.#numbers;
    if (Number.isNaN(n[at + SEQ]!)) this.#size++;
    n[at + SIZE] = record.size;
    n[at + MTIME] = record.mtimeMs;
    n[at + SHOWN] = record.shownMtimeMs;
    n[at + AUDIO_START] = record.audioStart;
    n[at + AUDIO_END] = record.audioEnd;
    n[at + SERVED_SIZE] = record.servedSize ?? Number.NaN;
    n[at + SEQ] = record.seq;
    this.#paths.set(id, record.path);
    this.#shapes.set(id, this.#shape(record));
    if (typeof record.disk === 'string') this.#diskBytes.delete(id);
    else this.#diskBytes.set(id, record.disk);
  }

  delete(id: number): boolean {
    if (id >= DENSE_LIMIT) {
      if (!this.#sparse.delete(id)) return false;
    } else {
      if (!this.has(id)) return false;
      this.#numbers[id * STRIDE + SEQ] = Number.NaN;
      this.#paths.delete(id);
      this.#shapes.delete(id);
      this.#diskBytes.delete(id);
    }
    this.#size--;
    return true;
  }

  /** Every record, in file-id order (the sparse ones last). */
  *values(): IterableIterator<ServedRecord> {
    for (const id of this.#paths.keys()) if (id < DENSE_LIMIT) yield this.get(id)!;
    yield* [...this.#sparse].sort((a, b) => a[0] - b[0]).map(([, record]) => record);
  }

  #shape({ kind, flacKept, headerKept }: ServedRecord): Shape {
    if (headerKept !== null) return { kind, flacKept, headerKept };
    const byKept = this.#shared.get(kind) ?? new Map<FlacKept | null, Shape>();
    this.#shared.set(kind, byKept);
    const shape = byKept.get(flacKept) ?? { kind, flacKept, headerKept };
    byKept.set(flacKept, shape);
    return shape;
  }

  /** Room for ids up to `maxId` (those in the dense range), made at once: at a million files, growing
   *  the numbers by half at a time took 0.7 s of the mount's start. New slots hold no record. */
  reserve(maxId: number): void {
    const length = Math.min(maxId + 1, DENSE_LIMIT) * STRIDE;
    if (length <= this.#numbers.length) return;
    const grown = new Float64Array(length);
    grown.fill(Number.NaN, this.#numbers.length);
    grown.set(this.#numbers);
    this.#numbers = grown;
    this.#paths.reserve(maxId);
    this.#shapes.reserve(maxId);
  }
}
