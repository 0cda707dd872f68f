// What a writable handle shows: the served bytes with the handle's writes laid over them, in 64 KiB
// pages, so a tag edit costs the pages it touched and a tagger that moves the audio costs what it wrote.
// It is a ByteWindow, so the scanner's own parsers read the written file back.
import { type ByteWindow, HEAD_BYTES } from '../app/core/media/file-window.ts';

const PAGE = 64 * 1024;

/** Copies served bytes at `position` into `target`; returns how many there were. Synchronous. */
export type BaseReader = (
  target: Uint8Array,
  targetOffset: number,
  length: number,
  position: number,
) => number;

export class WriteOverlay implements ByteWindow {
  readonly #pages = new Map<number, Buffer>();
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
      const page = this.#page(Math.floor(at / PAGE));
      const offset = at % PAGE;
      const n = Math.min(PAGE - offset, data.length - done);
      page.set(data.subarray(done, done + n), offset);
      done += n;
    }
    this.#size = Math.max(this.#size, position + data.length);
    this.dirty = true;
  }

  truncate(size: number): void {
    if (size < this.#size) {
      const partial = Math.floor(size / PAGE);
      if (size % PAGE !== 0) this.#page(partial).fill(0, size % PAGE);
      for (const p of this.#pages.keys()) if (p * PAGE >= size) this.#pages.delete(p);
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
      if (page) page.copy(target, targetOffset + done, offset, offset + n);
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

  #page(p: number): Buffer {
    let page = this.#pages.get(p);
    if (!page) {
      page = Buffer.alloc(PAGE);
      this.#readBase(page, 0, PAGE, p * PAGE);
      this.#pages.set(p, page);
    }
    return page;
  }
}
