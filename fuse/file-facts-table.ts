// The served facts of every file the tree lists (size, version, writability), in columns of numbers by
// file id (kit/id-floats.ts): as an object a file, a million of them took ~0.3 s of the mount's start to
// make and for the young generation's collections to copy (they all live on).
import { IdFloats } from '../kit/id-floats.ts';
import type { FileFacts } from './native-tree.ts';

export class FileFactsTable {
  readonly #size = new IdFloats();
  readonly #version = new IdFloats();
  /** 1 when the file takes writes through the mount, else 0. */
  readonly #writable = new IdFloats();

  get(id: number): FileFacts | undefined {
    const size = this.#size.get(id);
    if (size === undefined) return undefined;
    return { size, version: this.#version.get(id)!, writable: this.#writable.get(id) === 1 };
  }

  set(id: number, facts: FileFacts): void {
    this.#size.set(id, facts.size);
    this.#version.set(id, facts.version);
    this.#writable.set(id, facts.writable ? 1 : 0);
  }

  delete(id: number): void {
    this.#size.delete(id);
    this.#version.delete(id);
    this.#writable.delete(id);
  }

  /** The ids with facts, in id order. */
  keys(): IterableIterator<number> {
    return this.#size.keys();
  }
}
