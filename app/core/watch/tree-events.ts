// Change events for one library folder and everything below it. On Linux one inotify watch per folder
// (fs.watch on a folder reports its entries' changes): Node's own recursive fs.watch there watches every
// file as well and keeps a stat of each, which for 100,000 tracks is 20 times the watches, and it used CPU
// while idle (`npm run bench -- watch`). macOS (FSEvents) and Windows (ReadDirectoryChangesW) watch a
// tree natively.
import { type Dirent, type FSWatcher, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';

export interface TreeEventsOptions {
  readonly includeHidden: boolean;
  readonly ignore: ReadonlySet<string>;
  /** A path below the folder changed: created, written, deleted or renamed (which one, is not said). */
  readonly onChange: (path: string) => void;
  /** Events cannot be had (ENOSPC: the system's limit on watches is reached); nothing more is reported. */
  readonly onFailure: (err: NodeJS.ErrnoException) => void;
}

export class TreeEvents {
  readonly #options: TreeEventsOptions;
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #recursive = process.platform === 'darwin' || process.platform === 'win32';
  #failed = false;

  constructor(root: string, options: TreeEventsOptions) {
    this.#options = options;
    if (this.#recursive) this.#watch(root, true);
    else this.watchBelow(root);
  }

  /** How many folders are watched (one on macOS and Windows). */
  get folders(): number {
    return this.#watchers.size;
  }

  /** Starts watching a folder that appeared (and its subfolders), where the tree is watched folder by folder. */
  watchBelow(dir: string): void {
    if (this.#recursive || this.#failed) return;
    const stack = [dir];
    while (stack.length > 0 && !this.#failed) {
      const d = stack.pop()!;
      if (this.#watchers.has(d) || !this.#watch(d, false)) continue;
      let entries: Dirent[] = [];
      try {
        entries = readdirSync(d, { withFileTypes: true });
      } catch {
        continue; // unreadable or gone: the scanner reports such folders
      }
      for (const e of entries) if (e.isDirectory() && this.#entered(e.name)) stack.push(join(d, e.name));
    }
  }

  close(): void {
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
  }

  #entered(name: string): boolean {
    return (this.#options.includeHidden || !name.startsWith('.')) && !this.#options.ignore.has(name);
  }

  #watch(dir: string, recursive: boolean): boolean {
    let w: FSWatcher;
    try {
      w = watch(dir, { recursive, persistent: false }, (_event, name) => {
        if (name === null) return this.#options.onChange(dir);
        if (!name.split(/[\\/]/).every((part) => this.#entered(part))) return;
        this.#options.onChange(join(dir, name));
      });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'ENOTDIR')
        return false;
      this.#fail(e);
      return false;
    }
    // A watched folder deleted or moved away ends its watch: the parent's event covers what it held.
    w.on('error', () => {
      w.close();
      this.#watchers.delete(dir);
    });
    this.#watchers.set(dir, w);
    return true;
  }

  #fail(err: NodeJS.ErrnoException): void {
    if (this.#failed) return;
    this.#failed = true;
    this.close();
    this.#options.onFailure(err);
  }

  /** Stops watching a folder that is gone, and everything below it. */
  forget(dir: string): void {
    for (const [d, w] of this.#watchers)
      if (d === dir || d.startsWith(`${dir}/`)) {
        w.close();
        this.#watchers.delete(d);
      }
  }
}
