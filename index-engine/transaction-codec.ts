// Binary form of a transaction in the write-ahead log, all fields 4-byte aligned so hash lists copy in
// one go: f64 version, u32 change count, then per change a u32 kind and its fields — insert: id, count,
// hashes; delete: id; set_metadata: key and value as u32 length + UTF-8 padded to 4. Little-endian.
import type { Change, Transaction } from './transaction.ts';

const INSERT = 1;
const DELETE = 2;
const SET_METADATA = 3;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });
const pad4 = (n: number) => (n + 3) & ~3;

export function encodeTransaction(tx: Transaction): Uint8Array {
  let size = 12;
  const strings: Uint8Array[] = [];
  for (const c of tx.changes) {
    if (c.op === 'insert') size += 12 + 4 * c.hashes.length;
    else if (c.op === 'delete') size += 8;
    else {
      const k = utf8.encode(c.key);
      const v = utf8.encode(c.value);
      strings.push(k, v);
      size += 12 + pad4(k.length) + pad4(v.length);
    }
  }
  const out = new Uint8Array(size);
  const words = new Uint32Array(out.buffer);
  new DataView(out.buffer).setFloat64(0, tx.version, true);
  words[2] = tx.changes.length;
  let w = 3;
  let s = 0;
  for (const c of tx.changes) {
    if (c.op === 'insert') {
      words[w] = INSERT;
      words[w + 1] = c.id;
      words[w + 2] = c.hashes.length;
      words.set(c.hashes, w + 3);
      w += 3 + c.hashes.length;
    } else if (c.op === 'delete') {
      words[w] = DELETE;
      words[w + 1] = c.id;
      w += 2;
    } else {
      words[w++] = SET_METADATA;
      for (const bytes of [strings[s++]!, strings[s++]!]) {
        words[w] = bytes.length;
        out.set(bytes, (w + 1) * 4);
        w += 1 + pad4(bytes.length) / 4;
      }
    }
  }
  return out;
}

/** Decodes a record payload; throws RangeError/TypeError on malformed bytes (the record CRC guards those). */
export function decodeTransaction(bytes: Uint8Array): Transaction {
  if (bytes.length % 4 !== 0 || bytes.length < 12) throw new RangeError('transaction size');
  // Copy to a fresh, aligned buffer (a Buffer's slice() would share its pool) to view the words in place.
  const words = new Uint32Array(new Uint8Array(bytes).buffer);
  const version = new DataView(words.buffer).getFloat64(0, true);
  const n = words[2]!;
  const changes: Change[] = [];
  let w = 3;
  const word = (i: number) => {
    if (i >= words.length) throw new RangeError('truncated transaction');
    return words[i]!;
  };
  const str = () => {
    const len = word(w);
    const start = (w + 1) * 4;
    if (start + len > bytes.length) throw new RangeError('truncated transaction');
    w += 1 + pad4(len) / 4;
    return fromUtf8.decode(bytes.subarray(start, start + len));
  };
  for (let i = 0; i < n; i++) {
    const kind = word(w);
    if (kind === INSERT) {
      const id = word(w + 1);
      const count = word(w + 2);
      if (w + 3 + count > words.length) throw new RangeError('truncated transaction');
      changes.push({ op: 'insert', id, hashes: Array.from(words.subarray(w + 3, w + 3 + count)) });
      w += 3 + count;
    } else if (kind === DELETE) {
      changes.push({ op: 'delete', id: word(w + 1) });
      w += 2;
    } else if (kind === SET_METADATA) {
      w++;
      const key = str();
      changes.push({ op: 'setMetadata', key, value: str() });
    } else throw new RangeError(`unknown change kind ${kind}`);
  }
  if (w !== words.length) throw new RangeError('trailing bytes in transaction');
  return { version, changes };
}
