// The write-ahead log. Each transaction is one record — u32 payload length, u32 CRC32 of the payload, the
// payload — appended and fdatasync'd before the write is acknowledged. Files are named by the first version
// they hold and rotate at a size limit; files whose records are all checkpointed are deleted.
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { fsyncDir, truncateDurably } from '../kit/fs-durable.ts';
import { IndexError, ioError } from './errors.ts';
import type { Transaction } from './transaction.ts';
import { decodeTransaction, encodeTransaction } from './transaction-codec.ts';

const RECORD_HEADER = 8;
const NAME = /^(\d{16})\.log$/;

const fileName = (firstVersion: number) => `${String(firstVersion).padStart(16, '0')}.log`;

interface LogFile {
  readonly firstVersion: number;
  readonly path: string;
}

export interface Replay {
  readonly oplog: Oplog;
  /** Transactions after the checkpoint, in version order. */
  readonly transactions: Transaction[];
  /** What recovery had to do (torn tail cut, unreadable files set aside). */
  readonly warnings: string[];
}

/** Parses records from a file's bytes; stops at the first torn or corrupt one. */
interface ParsedFile {
  readonly transactions: Transaction[];
  /** Byte offset of each transaction's record. */
  readonly offsets: number[];
  readonly validBytes: number;
  readonly torn: boolean;
}

function parseRecords(bytes: Uint8Array): ParsedFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const transactions: Transaction[] = [];
  const offsets: number[] = [];
  const stop = (p: number, torn: boolean) => ({ transactions, offsets, validBytes: p, torn });
  let p = 0;
  while (p < bytes.length) {
    if (p + RECORD_HEADER > bytes.length) return stop(p, true);
    const len = view.getUint32(p, true);
    const end = p + RECORD_HEADER + len;
    if (end > bytes.length) return stop(p, true);
    const payload = bytes.subarray(p + RECORD_HEADER, end);
    if (crc32(payload) !== view.getUint32(p + 4, true)) return stop(p, true);
    try {
      transactions.push(decodeTransaction(payload));
    } catch {
      return stop(p, true);
    }
    offsets.push(p);
    p = end;
  }
  return stop(p, false);
}

export class Oplog {
  readonly dir: string;
  readonly maxFileBytes: number;
  #files: LogFile[];
  #fd: number | null = null;
  #size = 0;
  /** Version of the newest record in the log (the checkpoint version when empty). */
  #lastVersion: number;
  #broken: string | null = null;

  private constructor(dir: string, maxFileBytes: number, files: LogFile[], lastVersion: number) {
    this.dir = dir;
    this.maxFileBytes = maxFileBytes;
    this.#files = files;
    this.#lastVersion = lastVersion;
  }

  /** Opens the log in `dir` and returns every valid transaction after `checkpointVersion`. */
  static open(dir: string, checkpointVersion: number, maxFileBytes: number): Replay {
    mkdirSync(dir, { recursive: true });
    const files: LogFile[] = readdirSync(dir)
      .map((name) => NAME.exec(name))
      .filter((m) => m !== null)
      .map((m) => ({ firstVersion: Number(m[1]), path: join(dir, m[0]) }))
      .sort((a, b) => a.firstVersion - b.firstVersion);
    const transactions: Transaction[] = [];
    const warnings: string[] = [];
    let expected = checkpointVersion + 1;
    let kept = 0;
    for (; kept < files.length; kept++) {
      const file = files[kept]!;
      const parsed = parseRecords(readFileSync(file.path));
      let validBytes = parsed.validBytes;
      let torn = parsed.torn;
      for (const [i, tx] of parsed.transactions.entries()) {
        if (tx.version < expected) continue;
        if (tx.version !== expected) {
          // A gap means records were lost in between: nothing after it can be applied in order.
          torn = true;
          validBytes = parsed.offsets[i]!;
          break;
        }
        transactions.push(tx);
        expected++;
      }
      if (torn) {
        truncateDurably(file.path, validBytes);
        warnings.push(`write-ahead log ${file.path}: cut a torn or corrupt tail at byte ${validBytes}`);
        kept++;
        break;
      }
    }
    // Files after a torn one cannot continue the version sequence; keep them aside rather than delete data.
    for (const file of files.slice(kept)) {
      renameSync(file.path, `${file.path}.corrupt`);
      warnings.push(`write-ahead log ${file.path}: after a torn record; moved to ${file.path}.corrupt`);
    }
    const log = new Oplog(dir, maxFileBytes, files.slice(0, kept), expected - 1);
    return { oplog: log, transactions, warnings };
  }

  get lastVersion(): number {
    return this.#lastVersion;
  }

  /** Appends the transactions as one write and makes them durable; on failure nothing is appended. */
  append(transactions: readonly Transaction[]): void {
    if (this.#broken) throw new IndexError('IoError', `write-ahead log unusable: ${this.#broken}`);
    const payloads = transactions.map(encodeTransaction);
    const total = payloads.reduce((n, p) => n + RECORD_HEADER + p.length, 0);
    const buf = new Uint8Array(total);
    const view = new DataView(buf.buffer);
    let p = 0;
    for (const payload of payloads) {
      view.setUint32(p, payload.length, true);
      view.setUint32(p + 4, crc32(payload), true);
      buf.set(payload, p + RECORD_HEADER);
      p += RECORD_HEADER + payload.length;
    }
    const fd = this.#current(transactions[0]!.version);
    const before = this.#size;
    try {
      let done = 0;
      while (done < total) done += writeSync(fd, buf, done, total - done, before + done);
      fdatasyncSync(fd);
    } catch (err) {
      try {
        ftruncateSync(fd, before);
        fdatasyncSync(fd);
      } catch (undo) {
        this.#broken = String((undo as Error).message);
      }
      throw ioError(err, 'appending to the write-ahead log');
    }
    this.#size = before + total;
    this.#lastVersion = transactions[transactions.length - 1]!.version;
  }

  /** Deletes log files whose every record is at or below `version` (they are in file segments now). */
  truncate(version: number): void {
    const keep: LogFile[] = [];
    for (let i = 0; i < this.#files.length; i++) {
      const file = this.#files[i]!;
      const next = this.#files[i + 1];
      const last = next ? next.firstVersion - 1 : this.#lastVersion;
      if (last <= version) {
        if (!next) this.#closeCurrent();
        unlinkSync(file.path);
      } else keep.push(file);
    }
    this.#files = keep;
  }

  close(): void {
    this.#closeCurrent();
  }

  /** The file to append to, rotating (or creating the first one) as needed. */
  #current(nextVersion: number): number {
    if (this.#fd !== null && this.#size < this.maxFileBytes) return this.#fd;
    const last = this.#files[this.#files.length - 1];
    try {
      if (this.#fd === null && last) {
        const fd = openSync(last.path, 'r+');
        const size = fstatSync(fd).size;
        if (size < this.maxFileBytes) {
          this.#fd = fd;
          this.#size = size;
          return fd;
        }
        closeSync(fd);
      }
      this.#closeCurrent();
      const file = { firstVersion: nextVersion, path: join(this.dir, fileName(nextVersion)) };
      this.#fd = openSync(file.path, 'w');
      this.#size = 0;
      fsyncDir(this.dir);
      this.#files.push(file);
      return this.#fd;
    } catch (err) {
      throw ioError(err, 'opening the write-ahead log');
    }
  }

  #closeCurrent(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
    this.#size = 0;
  }
}
