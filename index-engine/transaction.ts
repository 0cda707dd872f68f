// Changes, update requests and transactions: the unit of atomicity and versioning. An update's changes and
// its metadata become one transaction with the next version.
import { IndexError } from './errors.ts';

/** A document's terms; a Uint32Array crosses threads as one copy instead of a per-element clone. */
export type Hashes = readonly number[] | Uint32Array;

export type Change =
  | { readonly op: 'insert'; readonly id: number; readonly hashes: Hashes }
  | { readonly op: 'delete'; readonly id: number }
  | { readonly op: 'setMetadata'; readonly key: string; readonly value: string };

export interface UpdateRequest {
  readonly changes: readonly Change[];
  readonly metadata?: Readonly<Record<string, string>>;
  /** The index's current version as the caller last saw it; anything else is a VersionMismatch. */
  readonly expectedVersion?: number;
}

export interface Transaction {
  readonly version: number;
  readonly changes: readonly Change[];
}

const MAX_U32 = 0xffffffff;

export function isU32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_U32;
}

/** A document id: a non-zero u32. */
export function checkDocId(id: unknown): number {
  if (!isU32(id)) throw new IndexError('BadRequest', `document id must be an unsigned 32-bit integer`);
  if (id === 0) throw new IndexError('InvalidFingerprintId', 'document id 0 is reserved');
  return id;
}

/** Validates a request from an untrusted caller and folds its metadata into set-metadata changes. */
export function toChanges(req: UpdateRequest): Change[] {
  const out: Change[] = [];
  for (const c of req.changes) {
    if (c.op === 'insert') {
      checkDocId(c.id);
      if (!(c.hashes instanceof Uint32Array))
        for (const h of c.hashes)
          if (!isU32(h)) throw new IndexError('BadRequest', `hashes of document ${c.id} must be u32 values`);
      out.push(c);
    } else if (c.op === 'delete') {
      checkDocId(c.id);
      out.push(c);
    } else out.push(c);
  }
  for (const [key, value] of Object.entries(req.metadata ?? {})) out.push({ op: 'setMetadata', key, value });
  return out;
}
