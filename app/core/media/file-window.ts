import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { adviseProbes } from '../../../kit/read-advice.ts';

/** Reads past the head come a chunk at a time: a FLAC block header, an ID3v1 tail, a file's last Ogg page.
 *  Small, since a scan reads only what tags and its checks need (a large read, a picture, goes whole). */
const CHUNK_BYTES = 16 * 1024;

/** Synchronous random access to a file's bytes: a file on disk, or another view such as written data. */
export interface ByteWindow {
  readonly size: number;
  /** The first bytes (up to HEAD_BYTES), always in memory: enough to tell the format. */
  readonly head: Buffer;
  /** Copies up to `length` bytes at `position` into `target`; returns how many were available. */
  readInto(target: Uint8Array, targetOffset: number, length: number, position: number): number;
  /** Returns `length` bytes at `position` (fewer at the end) as a new buffer. */
  read(position: number, length: number): Buffer;
}

/** The first read of every file: the format's signature and, mostly, its tags (a larger tag is read as
 *  its size says). A slow disk or a NAS pays for every byte of it, for every file of a library. */
export const HEAD_BYTES = 16 * 1024;

/**
 * Bounded, synchronous random access to one file (meant for worker threads, where sync reads are the
 * cheapest). The head is read once; other reads go through a one-chunk cache. `bytesRead` shows
 * how much of the file a parse really touched.
 */
export class FileWindow implements ByteWindow {
  readonly size: number;
  bytesRead = 0;
  readonly #fd: number;
  readonly #owned: boolean;
  readonly #head: Buffer;
  #chunk: Buffer = Buffer.alloc(0);
  #chunkStart = 0;

  private constructor(fd: number, size: number, owned = true) {
    this.#fd = fd;
    this.#owned = owned;
    this.size = size;
    this.#head = Buffer.allocUnsafe(Math.min(size, HEAD_BYTES));
    this.#readRaw(this.#head, 0, this.#head.length, 0);
  }

  /** Opens a file to probe: its reads bring no readahead (read-advice.ts). */
  static open(path: string | Buffer): FileWindow {
    const fd = openSync(path, 'r');
    try {
      adviseProbes(fd);
      return new FileWindow(fd, fstatSync(fd).size);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** A window on a file opened elsewhere: its owner closes it (close() here does not). */
  static borrow(fd: number): FileWindow {
    return new FileWindow(fd, fstatSync(fd).size, false);
  }

  get head(): Buffer {
    return this.#head;
  }

  close(): void {
    if (this.#owned) closeSync(this.#fd);
  }

  /** Copies up to `length` bytes at `position` into `target`; returns how many were available. */
  readInto(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    const available = Math.max(0, Math.min(length, this.size - position));
    if (available === 0) return 0;
    if (position + available <= this.#head.length) {
      this.#head.copy(target, targetOffset, position, position + available);
      return available;
    }
    if (available > CHUNK_BYTES) return this.#readRaw(target, targetOffset, available, position);
    if (position < this.#chunkStart || position + available > this.#chunkStart + this.#chunk.length) {
      const start = Math.max(0, Math.min(position, this.size - CHUNK_BYTES));
      if (this.#chunk.length !== CHUNK_BYTES) this.#chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = this.#readRaw(this.#chunk, 0, Math.min(CHUNK_BYTES, this.size - start), start);
      this.#chunk = this.#chunk.subarray(0, n);
      this.#chunkStart = start;
    }
    const from = position - this.#chunkStart;
    this.#chunk.copy(target, targetOffset, from, from + available);
    return available;
  }

  /** Returns `length` bytes at `position` (fewer at the end of the file) as a new buffer. */
  read(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.size - position)));
    this.readInto(buf, 0, buf.length, position);
    return buf;
  }

  #readRaw(target: Uint8Array, offset: number, length: number, position: number): number {
    let done = 0;
    while (done < length) {
      const n = readSync(this.#fd, target, offset + done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    this.bytesRead += done;
    return done;
  }
}

/** `window` with `bytes` in place of its own at `position` (the same size; nothing is written). */
export function withBytes(window: ByteWindow, position: number, bytes: Uint8Array): ByteWindow {
  const end = position + bytes.length;
  const readInto = (target: Uint8Array, offset: number, length: number, at: number): number => {
    const n = window.readInto(target, offset, length, at);
    const from = Math.max(at, position);
    const to = Math.min(at + n, end);
    if (from < to) target.set(bytes.subarray(from - position, to - position), offset + from - at);
    return n;
  };
  const head = Buffer.from(window.head);
  readInto(head, 0, head.length, 0);
  return {
    size: window.size,
    head,
    readInto,
    read(at, length) {
      const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, window.size - at)));
      readInto(out, 0, out.length, at);
      return out;
    },
  };
}

/** Bytes already in memory as a ByteWindow. */
export function bufferWindow(bytes: Buffer): ByteWindow {
  return {
    size: bytes.length,
    head: bytes.subarray(0, HEAD_BYTES),
    readInto: (target, targetOffset, length, position) =>
      bytes.copy(target, targetOffset, position, Math.min(bytes.length, position + Math.max(0, length))),
    read: (position, length) => Buffer.from(bytes.subarray(position, position + Math.max(0, length))),
  };
}

/** The tails fromTail looks at, smallest first, each twice the last (only the new part is read): the
 *  first (one chunk, so a second look at it is cached) holds two FLAC frames or the last Ogg page of most
 *  files; the next ones a FLAC frame larger than that (dense or high-resolution audio: 16–40 KiB), and the
 *  last a FLAC frame header after any frame's body, or a last Ogg page (up to 64 KiB) behind another
 *  stream's. A file needing a 32 KiB tail reads 32, not 256. */
const TAILS = [CHUNK_BYTES, 2 * CHUNK_BYTES, 4 * CHUNK_BYTES, 8 * CHUNK_BYTES, 256 * 1024] as const;

/** The first answer `look` gives over the window's last bytes before `end` (from `start` on), read in
 *  growing tails so that most files cost one small read; undefined when none holds one. */
export function fromTail<T>(
  window: ByteWindow,
  start: number,
  end: number,
  look: (tail: Buffer) => T | undefined,
): T | undefined {
  let tail: Buffer = Buffer.alloc(0);
  let from = end;
  for (const size of TAILS) {
    const next = Math.max(start, end - size);
    tail =
      tail.length === 0
        ? window.read(next, from - next)
        : Buffer.concat([window.read(next, from - next), tail]);
    from = next;
    const found = look(tail);
    if (found !== undefined || from === start) return found;
  }
  return undefined;
}
