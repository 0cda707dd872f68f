// Segment files whose tables an owner's engines have checksummed, shared by the threads they run on. A
// segment is immutable once written, and opening one checksums its tables (file-segment.ts; its blocks
// are checked a page at a time as searches read them): about 290 MB of the index's 2.7 GB at a million
// tracks. A long-lived owner whose scans each open the engine for a moment (the app's scan thread, a
// watcher: each keeps one registry, KeptScanWorkers) would check them again for every album it takes in.
// With this registry it checks each file's once, as `sleeve index serve` and a kept engine do for their
// whole lives: a file is taken for the one verified while its device, inode, size and change times are
// the same (a segment is written to a temporary file and renamed: a new one is a new inode). Its tables'
// bytes going bad later (nothing rewrote them) are found by the next owner, not by this one. A
// SharedArrayBuffer, so the engine's worker threads, started one per scan, see what those before them
// verified.
import type { Stats } from 'node:fs';

/** Files remembered: far more than an index holds (48 file segments at most); the oldest go first. */
const SLOTS = 1024;
/** A file's identity: device, inode, size, modification and change times (ms, with their fraction). */
const FIELDS = 5;

const identity = (s: Stats): number[] => [s.dev, s.ino, s.size, s.mtimeMs, s.ctimeMs];

export class VerifiedSegments {
  readonly buffer: SharedArrayBuffer;
  /** [0]: entries ever added (the next slot is that modulo SLOTS). */
  readonly #added: Int32Array;
  readonly #keys: Float64Array;

  /** A new registry, or the view of one another thread made (its `buffer`). */
  constructor(buffer = new SharedArrayBuffer(8 + SLOTS * FIELDS * 8)) {
    this.buffer = buffer;
    this.#added = new Int32Array(buffer, 0, 1);
    this.#keys = new Float64Array(buffer, 8, SLOTS * FIELDS);
  }

  has(stats: Stats): boolean {
    const key = identity(stats);
    const used = Math.min(Atomics.load(this.#added, 0), SLOTS);
    for (let slot = 0; slot < used; slot++)
      if (key.every((v, i) => this.#keys[slot * FIELDS + i] === v)) return true;
    return false;
  }

  add(stats: Stats): void {
    const slot = (Atomics.add(this.#added, 0, 1) % SLOTS) * FIELDS;
    this.#keys.set(identity(stats), slot);
  }
}
