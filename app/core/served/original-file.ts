// An original opened to be served, read without ever waiting for its disk on the thread that serves
// everyone: its open, stat and reads go to its mount's file lane with a deadline (kit/file-lanes.ts), so a
// file on a share whose server is away fails alone while every other request is answered.
// What builds a header or checks a save reads synchronously, through this ByteWindow (the originals'
// readers, the scanner's parsers). It runs as a pass over the pages read so far: a read of a page not
// read yet is noted and fails; the pass ends, the pages noted are read, and it runs again, until it ran
// with everything it read at hand. A pass that caught the failure itself (a parser reading around
// damage) runs again all the same: only a pass that missed nothing counts.

import { type FileLanes, type OpenFile, StalledError } from '../../../kit/file-lanes.ts';
import { UserError } from '../../../kit/user-error.ts';
import { type ByteWindow, HEAD_BYTES } from '../media/file-window.ts';

const PAGE = 64 * 1024;
/** What an open reads of a file whose header is built from it: where most such headers end (a FLAC's
 *  blocks but its pictures, an Ogg file's first pages). A header that goes on reads its first page whole;
 *  a whole page at every open had taken twice the disk's bytes of a player's tag scan. */
const HEAD_READ = 16 * 1024;
/** Pages kept between passes (a handle's next read is most often near its last). */
const KEEP_PAGES = 16;
/** Pages read past a miss that goes on from the last pages read (a handle JS serves, read in order). */
const AHEAD_PAGES = 4;
/** Pages one pass may hold (64 MiB): an Ogg file's headers are read whole, a cover among them. */
const MAX_PAGES = 1024;

/** A read of bytes not read yet, inside a pass: the pass runs again once they are. */
class NotRead extends Error {
  override name = 'NotRead';
}

/** The lane's error, naming the operation and the original; a stalled share said as such. */
function named(what: string, path: string | Buffer, err: unknown): unknown {
  if (!(err instanceof StalledError)) return err;
  const said = new UserError(
    'unavailable',
    `${what} ${path}: ${err.message} (a network share or disk that stopped answering?)`,
  );
  said.cause = err; // for an outlet that words it its own way (app/server/media.ts)
  return said;
}

export class OriginalFile implements ByteWindow {
  readonly size: number;
  readonly mtimeMs: number;
  /** Its file system's device number (st_dev). */
  readonly dev: number;
  /** Its inode number there (st_ino). */
  readonly ino: number;
  readonly path: string | Buffer;
  readonly #file: OpenFile;
  /** Closed, or its descriptor handed over. */
  #gone = false;
  /** Pages read, least recently used first. */
  readonly #pages = new Map<number, Buffer>();
  readonly #missed = new Set<number>();
  /** The page after the last ones read. */
  #next = -1;
  /** Page 0's length while it holds only what the open read (HEAD_READ), else 0. */
  #shortHead = 0;
  #passing = false;
  /** Passes run one after another, in the order asked. */
  #turn: Promise<unknown> = Promise.resolve();

  private constructor(file: OpenFile, path: string | Buffer) {
    this.#file = file;
    this.path = path;
    this.size = file.size;
    this.mtimeMs = file.mtimeMs;
    this.dev = file.dev;
    this.ino = file.ino;
    // The start of the first page, when it came whole with the open (a short read is read again when
    // needed); the rest of the page is read once a pass reaches it.
    if (file.head.length > 0 && file.head.length === Math.min(HEAD_READ, file.size)) {
      this.#pages.set(0, file.head);
      this.#next = 1;
      if (file.head.length < Math.min(PAGE, file.size)) this.#shortHead = file.head.length;
    }
  }

  /**
   * Opens `path` read-only and stats it, in its mount's lane; a share that does not answer is said so.
   * `readHead`: its first 16 KiB are read in the same call (a header built from the original starts
   * there). Its reads bring no readahead unless it is to be `streamed` whole (to a client, the app's
   * player): a header's blocks are read where they are, and a player's tag scan through the mount reads a
   * file's head and end, where the disk's readahead (8 MiB here) pulled in audio nobody read, about
   * 120 KiB a file; the mount gives readahead back to a file its player streams (read_path.c, note_read).
   */
  static async open(
    lanes: FileLanes,
    path: string | Buffer,
    { readHead = false, streamed = false } = {},
  ): Promise<OriginalFile> {
    try {
      const head = readHead ? HEAD_READ : 0;
      return new OriginalFile(await lanes.open(path, { head, probe: !streamed }), path);
    } catch (err) {
      throw named('open', path, err);
    }
  }

  get fd(): number {
    if (this.#gone) throw new Error(`${this.path} is closed`);
    return this.#file.fd;
  }

  /** The descriptor, now someone else's to close. */
  handOver(): number {
    if (this.#gone) throw new Error(`${this.path} is closed`);
    this.#gone = true;
    return this.#file.handOver();
  }

  /** Closes it in its lane (a close can hang too); a no-op once handed over or closed. */
  close(): void {
    if (!this.#gone) this.#file.close();
    this.#gone = true;
    this.#pages.clear();
  }

  get head(): Buffer {
    return this.read(0, HEAD_BYTES);
  }

  readInto(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    if (!this.#passing) throw new Error(`${this.path} read outside a pass`);
    const end = Math.min(this.size, position + Math.max(0, length));
    if (position >= end) return 0;
    const first = Math.floor(position / PAGE);
    for (let p = first; p * PAGE < end; p++)
      if (!this.#pages.has(p) || (p === 0 && this.#shortHead > 0 && end > this.#shortHead))
        this.#missed.add(p);
    if (this.#missed.size > 0) throw new NotRead(`${this.path}: bytes ${position}–${end} not read yet`);
    let at = position;
    for (let p = first; at < end; p++) {
      const page = this.#pages.get(p)!;
      this.#pages.delete(p); // used last: kept longest
      this.#pages.set(p, page);
      const from = at - p * PAGE;
      const n = Math.min(page.length - from, end - at);
      if (n <= 0) break; // the original ended early (it shrank since it was opened)
      page.copy(target, targetOffset + at - position, from, from + n);
      at += n;
    }
    return at - position;
  }

  read(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.size - position)));
    return buf.subarray(0, this.readInto(buf, 0, buf.length, position));
  }

  /** Reads straight into `target`, up to `length` bytes (fewer at the end): for comparisons that keep
   *  nothing. */
  async readFully(target: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    const bytes = await this.#read(position, length);
    target.set(bytes, offset);
    return bytes.length;
  }

  /** `length` bytes at `position` (fewer at its end), in its lane. */
  async #read(position: number, length: number): Promise<Buffer> {
    try {
      const first = await this.#file.read(position, length);
      if (first.length === length || first.length === 0) return first;
      // A short read before the end (some network file systems): the rest asked for.
      const parts = [first];
      for (let done = first.length; done < length; ) {
        const more = await this.#file.read(position + done, length - done);
        if (more.length === 0) break;
        parts.push(more);
        done += more.length;
      }
      return Buffer.concat(parts);
    } catch (err) {
      throw named('read', this.path, err);
    }
  }

  /** Runs `run` until it ran without reading a page not read yet, reading those it missed in between. */
  pass<T>(run: () => T | Promise<T>): Promise<T> {
    const turn = this.#turn.then(() => this.#rounds(run));
    this.#turn = turn.catch(() => {});
    return turn;
  }

  async #rounds<T>(run: () => T | Promise<T>): Promise<T> {
    try {
      for (;;) {
        this.#missed.clear();
        this.#passing = true;
        let outcome: { value: T } | { error: unknown };
        try {
          outcome = { value: await run() };
        } catch (error) {
          outcome = { error };
        } finally {
          this.#passing = false;
        }
        if (this.#missed.size === 0) {
          if ('error' in outcome) throw outcome.error;
          return outcome.value;
        }
        const missed = [...this.#missed].sort((a, b) => a - b);
        const last = missed.at(-1)!;
        if (missed[0] === this.#next)
          for (let p = last + 1; p <= last + AHEAD_PAGES && p * PAGE < this.size; p++)
            if (!this.#pages.has(p)) missed.push(p);
        await this.#readPages(missed);
      }
    } finally {
      this.#missed.clear();
      for (const p of this.#pages.keys()) {
        if (this.#pages.size <= KEEP_PAGES) break;
        this.#pages.delete(p);
      }
    }
  }

  /** Reads the pages, each run of consecutive ones with one read. */
  async #readPages(pages: readonly number[]): Promise<void> {
    if (this.#pages.size + pages.length > MAX_PAGES)
      throw new Error(`${this.path}: reading it needs more than ${(MAX_PAGES * PAGE) >> 20} MiB at once`);
    for (let i = 0; i < pages.length; ) {
      let j = i + 1;
      while (j < pages.length && pages[j] === pages[j - 1]! + 1) j++;
      const start = pages[i]! * PAGE;
      const buf = await this.#read(start, Math.min(this.size, pages[j - 1]! * PAGE + PAGE) - start);
      for (let k = i; k < j; k++) {
        const from = Math.min(buf.length, (pages[k]! - pages[i]!) * PAGE);
        this.#pages.set(pages[k]!, buf.subarray(from, Math.min(buf.length, from + PAGE)));
        if (pages[k] === 0) this.#shortHead = 0;
      }
      this.#next = pages[j - 1]! + 1;
      i = j;
    }
  }
}
