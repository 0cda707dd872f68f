// What a writable handle shows: the served bytes with the handle's writes laid over them, in 64 KiB
// pages, so a tag edit costs the pages it touched and a tagger that moves the audio costs what it wrote.
// Past MEMORY_PAGES a handle's further pages go to a temporary file (deleted as soon as it is opened), so
// a writer of gigabytes costs the daemon disk, not memory. It is a ByteWindow, so the scanner's own
// parsers read the written file back.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ByteWindow, HEAD_BYTES } from '../media/file-window.ts';

const PAGE = 64 * 1024;
/** Pages one handle keeps in memory (16 MiB): a tag rewrite of any common file fits. */
export const MEMORY_PAGES = 256;
/** A page that lives in the spill file, at its own offset (the file mirrors the written file's layout). */
const SPILLED = 'spilled';

let spills = 0;

/** Copies served bytes at `position` into `target`; returns how many there were. Synchronous. */
export type BaseReader = (
  target: Uint8Array,
  targetOffset: number,
  length: number,
  position: number,
) => number;

export class WriteOverlay implements ByteWindow {
  readonly #pages = new Map<number, Buffer | typeof SPILLED>();
  #inMemory = 0;
  #spill: number | undefined;
  readonly #base: BaseReader;
  /** Base bytes show below this offset only: after a truncation, regrown bytes are zeros. */
  #baseLimit: number;
  #size: number;
  /** Written since the last commit. */
  dirty = false;

  constructor(base: BaseReader, baseSize: number) {
    this.#base = base;
    this.#baseLimit = baseSize;
    this.#size = baseSize;
  }

  get size(): number {
    return this.#size;
  }

  get head(): Buffer {
    return this.read(0, HEAD_BYTES);
  }

  /** Whether any byte in [start, end) was written (or zeroed by a truncation). */
  touched(start: number, end: number): boolean {
    for (let p = Math.floor(start / PAGE); p * PAGE < end; p++) if (this.#pages.has(p)) return true;
    return end > this.#baseLimit;
  }

  write(data: Uint8Array, position: number): void {
    let done = 0;
    while (done < data.length) {
      const at = position + done;
      const p = Math.floor(at / PAGE);
      const offset = at % PAGE;
      const n = Math.min(PAGE - offset, data.length - done);
      const page = this.#page(p);
      if (page === SPILLED) writeAll(this.#spill!, data.subarray(done, done + n), at);
      else page.set(data.subarray(done, done + n), offset);
      done += n;
    }
    this.#size = Math.max(this.#size, position + data.length);
    this.dirty = true;
  }

  truncate(size: number): void {
    if (size < this.#size) {
      const partial = Math.floor(size / PAGE);
      if (size % PAGE !== 0) {
        const page = this.#page(partial);
        if (page === SPILLED) writeAll(this.#spill!, Buffer.alloc(PAGE - (size % PAGE)), size);
        else page.fill(0, size % PAGE);
      }
      for (const [p, page] of this.#pages)
        if (p * PAGE >= size) {
          this.#pages.delete(p);
          if (page !== SPILLED) this.#inMemory--;
        }
      this.#baseLimit = Math.min(this.#baseLimit, size);
    }
    this.#size = size;
    this.dirty = true;
  }

  readInto(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    const available = Math.max(0, Math.min(length, this.#size - position));
    let done = 0;
    while (done < available) {
      const at = position + done;
      const p = Math.floor(at / PAGE);
      const offset = at % PAGE;
      const n = Math.min(PAGE - offset, available - done);
      const page = this.#pages.get(p);
      if (page === SPILLED) readAll(this.#spill!, target, targetOffset + done, n, at);
      else if (page) page.copy(target, targetOffset + done, offset, offset + n);
      else this.#readBase(target, targetOffset + done, n, at);
      done += n;
    }
    return available;
  }

  read(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.#size - position)));
    this.readInto(buf, 0, buf.length, position);
    return buf;
  }

  #readBase(target: Uint8Array, targetOffset: number, length: number, position: number): void {
    const fromBase = Math.max(0, Math.min(length, this.#baseLimit - position));
    const got = fromBase > 0 ? this.#base(target, targetOffset, fromBase, position) : 0;
    target.fill(0, targetOffset + got, targetOffset + length);
  }

  /** Frees the spill file, if any. The overlay must not be used afterwards. */
  close(): void {
    if (this.#spill !== undefined) closeSync(this.#spill);
    this.#spill = undefined;
    this.#pages.clear();
    this.#inMemory = 0;
  }

  /** Page `p`, made writable: copied from the served bytes into memory, or into the spill file. */
  #page(p: number): Buffer | typeof SPILLED {
    const existing = this.#pages.get(p);
    if (existing) return existing;
    const page = Buffer.alloc(PAGE);
    this.#readBase(page, 0, PAGE, p * PAGE);
    if (this.#inMemory < MEMORY_PAGES) {
      this.#pages.set(p, page);
      this.#inMemory++;
      return page;
    }
    this.#spill ??= openSpill();
    writeAll(this.#spill, page, p * PAGE);
    this.#pages.set(p, SPILLED);
    return SPILLED;
  }
}

/** A temporary file only this process can reach: unlinked at once, gone when its descriptor closes. */
function openSpill(): number {
  const path = join(tmpdir(), `sleeve-overlay-${process.pid}-${++spills}`);
  const fd = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  return fd;
}

function writeAll(fd: number, data: Uint8Array, position: number): void {
  for (let done = 0; done < data.length; )
    done += writeSync(fd, data, done, data.length - done, position + done);
}

function readAll(fd: number, target: Uint8Array, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const got = readSync(fd, target, offset + done, length - done, position + done);
    if (got === 0) break;
    done += got;
  }
  target.fill(0, offset + done, offset + length); // a sparse spill file's unwritten tail reads as zeros
}
