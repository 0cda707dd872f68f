// Many named indexes in one data directory, one subdirectory each. Existing indexes load in the
// background at start; until one is loaded it answers IndexNotReady.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { IndexError } from './errors.ts';
import { FingerprintIndex, type IndexHost } from './fingerprint-index.ts';
import type { IndexOptions } from './index-options.ts';
import { MANIFEST_FILE } from './manifest-file.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function checkIndexName(name: string): void {
  if (!NAME.test(name))
    throw new IndexError(
      'InvalidIndexName',
      'index names are 1-64 characters of A-Z a-z 0-9 _ -, starting with a letter or digit',
    );
}

type Slot =
  | { state: 'loading' }
  | { state: 'ready'; index: FingerprintIndex }
  | { state: 'failed'; error: IndexError };

export class IndexDirectory {
  readonly root: string;
  readonly options: IndexOptions;
  readonly #host: IndexHost;
  readonly #slots = new Map<string, Slot>();

  constructor(root: string, options: IndexOptions, host: IndexHost) {
    this.root = root;
    this.options = options;
    this.#host = host;
  }

  /**
   * Loads every index found on disk, one per event-loop turn so the engine answers meanwhile. They are
   * marked loading before the first turn; one that fails to load keeps its error and is reported.
   */
  async loadAll(): Promise<void> {
    const names = readdirSync(this.root, { withFileTypes: true })
      .filter(
        (e) => e.isDirectory() && NAME.test(e.name) && existsSync(join(this.root, e.name, MANIFEST_FILE)),
      )
      .map((e) => e.name);
    for (const name of names) this.#slots.set(name, { state: 'loading' });
    for (const name of names) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#slots.get(name)?.state !== 'loading') continue; // deleted meanwhile
      try {
        const index = FingerprintIndex.open(join(this.root, name), this.options, this.#hostFor(name));
        this.#slots.set(name, { state: 'ready', index });
      } catch (err) {
        const error = err instanceof IndexError ? err : new IndexError('IoError', String(err));
        this.#slots.set(name, { state: 'failed', error });
        this.#host.warn(`index ${name}: not loaded: ${error.message}`);
      }
    }
  }

  /** The host as one index sees it: its warnings name it. */
  #hostFor(name: string): IndexHost {
    return {
      merge: (task) => this.#host.merge(task),
      warn: (message) => this.#host.warn(`index ${name}: ${message}`),
      verified: this.#host.verified,
      damaged: (error) => this.setAside(name, error),
    };
  }

  /** 'absent', 'loading', 'ready' or 'failed'. */
  state(name: string): Slot['state'] | 'absent' {
    return this.#slots.get(name)?.state ?? 'absent';
  }

  get(name: string): FingerprintIndex {
    const slot = this.#slots.get(name);
    if (!slot) throw new IndexError('IndexNotFound', `no index named "${name}"`);
    if (slot.state === 'loading') throw new IndexError('IndexNotReady', `index "${name}" is still loading`);
    if (slot.state === 'failed') throw slot.error;
    return slot.index;
  }

  /** Sets a loaded index aside as failed (a search or a merge found a segment damaged): it answers with
   *  `error` from now on, as one that failed to load does, until it is deleted and made again. */
  setAside(name: string, error: IndexError): void {
    const slot = this.#slots.get(name);
    if (slot?.state !== 'ready') return;
    this.#slots.set(name, { state: 'failed', error });
    this.#host.warn(`index ${name}: set aside: ${error.message}`);
    slot.index.close();
  }

  /** Creates the index, or returns the existing one (PUT is idempotent). */
  create(name: string): FingerprintIndex {
    checkIndexName(name);
    if (this.#slots.has(name)) return this.get(name);
    const index = FingerprintIndex.create(join(this.root, name), this.options, this.#hostFor(name));
    this.#slots.set(name, { state: 'ready', index });
    return index;
  }

  /** Deletes the index and its files; false when there was none. */
  delete(name: string): boolean {
    checkIndexName(name);
    const slot = this.#slots.get(name);
    if (!slot) return false;
    if (slot.state === 'ready') slot.index.close();
    this.#slots.delete(name);
    rmSync(join(this.root, name), { recursive: true, force: true });
    return true;
  }

  ready(): [string, FingerprintIndex][] {
    const out: [string, FingerprintIndex][] = [];
    for (const [name, slot] of this.#slots) if (slot.state === 'ready') out.push([name, slot.index]);
    return out;
  }

  /** Checkpoints (so a restart replays nothing) and closes every loaded index. */
  close(): void {
    for (const [, index] of this.ready()) {
      try {
        index.checkpoint();
      } catch {
        // The log still holds everything; the next open replays it.
      }
      index.close();
    }
    this.#slots.clear();
  }
}
