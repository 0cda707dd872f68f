// Change events for one library folder and everything below it. On Linux one inotify watch per folder
// (fs.watch on a folder reports its entries' changes): Node's own recursive fs.watch there watches every
// file as well and keeps a stat of each, which for 100,000 tracks is 20 times the watches, and it used CPU
// while idle (`npm run bench -- watch`). macOS (FSEvents) and Windows (ReadDirectoryChangesW) watch a
// tree natively.
import { type Dirent, type FSWatcher, readdirSync, type Stats, statSync, watch } from 'node:fs';
import { join } from 'node:path';
import { fileKey, type OffLimits } from '../scan/off-limits.ts';

export interface TreeEventsOptions {
  readonly includeHidden: boolean;
  readonly ignore: ReadonlySet<string>;
  /** Never watched (the Sleeve home inside a library folder: its own writes must not cause looks). */
  readonly offLimits: OffLimits;
  /** A path below the folder changed: created, written, deleted or renamed (which one, is not said). */
  readonly onChange: (path: string) => void;
  /** Events cannot be had (ENOSPC: the system's limit on watches is reached); nothing more is reported. */
  readonly onFailure: (err: NodeJS.ErrnoException) => void;
}

export class TreeEvents {
  readonly #options: TreeEventsOptions;
  /** Each watched folder's watch, and which folder (device:inode) it watches. */
  readonly #watchers = new Map<string, { watcher: FSWatcher; key: string }>();
  readonly #recursive = process.platform === 'darwin' || process.platform === 'win32';
  #failed = false;

  constructor(root: string, options: TreeEventsOptions) {
    this.#options = options;
    if (this.#recursive) this.#watch(root, '', true);
    else this.watchBelow(root);
  }

  /** Whether `dir` is watched as the folder it is now (a folder moved in under its name is not). A tree
   *  watched natively cannot tell: a folder it names may have been moved in, so it is walked whole. */
  watches(dir: string, now: Stats): boolean {
    return !this.#recursive && this.#watchers.get(dir)?.key === fileKey(now);
  }

  /**
   * Starts watching a folder that appeared and its subfolders, where the tree is watched folder by folder.
   * A folder watched under that name before (another one, since) is watched anew. Links are not entered:
   * which ones a look follows, the scan's rule decides (links.ts), and those are watched (watchLinked).
   */
  watchBelow(dir: string): void {
    if (this.#recursive || this.#failed) return;
    this.forget(dir);
    const seen = new Set<string>();
    const stack = [dir];
    while (stack.length > 0 && !this.#failed) {
      const d = stack.pop()!;
      let s: Stats | undefined;
      try {
        s = statSync(d, { throwIfNoEntry: false });
      } catch {}
      if (!s?.isDirectory()) continue;
      const key = fileKey(s);
      const limits = this.#options.offLimits;
      if (seen.has(key) || limits.folders.has(key) || limits.paths.includes(d)) continue; // a link loop
      seen.add(key);
      if (this.#watchers.has(d) || !this.#watch(d, key, false)) continue;
      let entries: Dirent[] = [];
      try {
        entries = readdirSync(d, { withFileTypes: true });
      } catch {
        continue; // unreadable or gone: the scanner reports such folders
      }
      for (const e of entries) if (e.isDirectory() && this.#entered(e.name)) stack.push(join(d, e.name));
    }
  }

  /** Watches a folder a link leads to, where the library has it (a look followed the link), once. */
  watchLinked(dir: string): void {
    if (!this.#watchers.has(dir)) this.watchBelow(dir);
  }

  close(): void {
    for (const w of this.#watchers.values()) w.watcher.close();
    this.#watchers.clear();
  }

  #entered(name: string): boolean {
    return (this.#options.includeHidden || !name.startsWith('.')) && !this.#options.ignore.has(name);
  }

  #watch(dir: string, key: string, recursive: boolean): boolean {
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
    w.on('error', () => this.forget(dir));
    this.#watchers.set(dir, { watcher: w, key });
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
        w.watcher.close();
        this.#watchers.delete(d);
      }
  }
}
