// Change events for one library folder and everything below it. On Linux one inotify watch per folder
// (fs.watch on a folder reports its entries' changes): Node's own recursive fs.watch there watches every
// file as well and keeps a stat of each, which for 100,000 tracks is 20 times the watches, and it used CPU
// while idle (`npm run bench -- watch`). macOS (FSEvents) and Windows (ReadDirectoryChangesW) watch a
// tree natively. Folders are listed through the file lanes (kit/file-lanes.ts), never on the caller's
// thread: a folder on a share that stopped answering is reported (onUnanswered), not waited for, and a
// folder is watched only once its stat answered.
import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import { type FileInfo, type FileLanes, StalledError } from '../../../kit/file-lanes.ts';
import { mountPointsIn } from '../../../kit/mount-table.ts';
import { fileKey, keyOffLimits, type OffLimits } from '../scan/off-limits.ts';
import { reason } from '../scan/walk.ts';

export interface TreeEventsOptions {
  readonly includeHidden: boolean;
  readonly ignore: ReadonlySet<string>;
  /** Never watched (the Sleeve home inside a library folder: its own writes must not cause looks). */
  readonly offLimits: OffLimits;
  readonly files: FileLanes;
  /** A path below the folder changed: created, written, deleted or renamed (which one, is not said). */
  readonly onChange: (path: string) => void;
  /** Events cannot be had (ENOSPC: the system's limit on watches is reached); nothing more is reported. */
  readonly onFailure: (err: NodeJS.ErrnoException) => void;
  /** A folder did not answer by the lanes' deadline (a share that stopped answering): not watched. */
  readonly onUnanswered: (path: string, reason: string) => void;
}

export class TreeEvents {
  readonly #options: TreeEventsOptions;
  /** Each watched folder's watch, and which folder (device:inode) it watches. */
  readonly #watchers = new Map<string, { watcher: FSWatcher; key: string }>();
  readonly #recursive = process.platform === 'darwin' || process.platform === 'win32';
  #failed = false;
  #closed = false;

  constructor(root: string, options: TreeEventsOptions) {
    this.#options = options;
    if (this.#recursive) this.#watch(root, '', true);
    else void this.watchBelow(root);
  }

  /** Whether `dir` is watched as the folder it is now (a folder moved in under its name is not). A tree
   *  watched natively cannot tell: a folder it names may have been moved in, so it is walked whole. */
  watches(dir: string, now: FileInfo): boolean {
    return !this.#recursive && this.#watchers.get(dir)?.key === fileKey(now);
  }

  /**
   * Starts watching a folder that appeared and its subfolders, where the tree is watched folder by folder.
   * A folder watched under that name before (another one, since) is watched anew. Links are not entered:
   * which ones a look follows, the scan's rule decides (links.ts), and those are watched (watchLinked).
   * False when a folder did not answer (named to onUnanswered).
   */
  async watchBelow(dir: string): Promise<boolean> {
    if (this.#recursive || this.#failed || this.#closed) return true;
    let answered = true;
    this.forget(dir);
    const { files, offLimits: limits } = this.#options;
    const pick = { ignore: [...this.#options.ignore], hidden: this.#options.includeHidden };
    const seen = new Set<string>();
    const stack: Array<{ path: string; stat?: FileInfo }> = [{ path: dir }];
    while (stack.length > 0 && !this.#failed && !this.#closed) {
      const d = stack.pop()!;
      let s = d.stat;
      let entries: Awaited<ReturnType<FileLanes['list']>> = [];
      try {
        s ??= await files.stat(d.path);
        if (s?.kind !== 'folder') continue;
        const key = fileKey(s);
        if (seen.has(key) || keyOffLimits(key, limits) || limits.paths.includes(d.path)) continue; // a link loop
        seen.add(key);
        // Watched before it is listed, so nothing made meanwhile is missed; only once its stat answered
        // (the kernel then has its entry, which the watch's lookup finds without asking the share).
        if (this.#closed || this.#watchers.has(d.path) || !this.#watch(d.path, key, false)) continue;
        entries = await files.list(d.path, { ...pick, mountPoints: mountPointsIn(d.path) });
      } catch (err) {
        if (err instanceof StalledError) {
          answered = false;
          this.#options.onUnanswered(d.path, reason(err));
        }
        continue; // unreadable or gone: the scanner reports such folders
      }
      for (const e of entries)
        if (e.kind === 'folder' && typeof e.name === 'string' && this.#entered(e.name)) {
          // A subfolder's stat came with the listing, but a mount point's (asked in its own lane).
          const stat = e.stat && !('code' in e.stat) ? e.stat : undefined;
          if (stat || e.stat === undefined) stack.push({ path: join(d.path, e.name), stat });
        }
    }
    return answered;
  }

  /** Watches a folder a link leads to, where the library has it (a look followed the link), once. */
  async watchLinked(dir: string): Promise<void> {
    if (!this.#watchers.has(dir)) await this.watchBelow(dir);
  }

  close(): void {
    this.#closed = true;
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
