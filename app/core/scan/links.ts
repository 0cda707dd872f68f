// Where a library folder's links lead, and which of them a pass follows: the scan's walk and the watcher's
// looks decide by this one rule, so both make the same library. Each real folder (device:inode) is walked
// once per pass. A link out of the library is followed (music kept on another disk), and what only links
// reach is one row however many lead there. Not followed, and named with why: a link to the library folder
// or to a folder holding it (`ln -s .. up`, a link to /: a circle that walks the library, or the whole
// machine, again and again), a link into a place the library already has without it (its own folders,
// another library folder, an outside place an earlier link leads to), and one into a place off limits.
// A link's real path is resolved once; a plain file or folder costs nothing more than its stat. Each is
// asked in a file lane (kit/file-lanes.ts): of the mount the link leads to, where it says.
import { dirname, join, sep } from 'node:path';
import type { FileInfo, FileLanes } from '../../../kit/file-lanes.ts';
import { isCandidate } from './candidates.ts';
import { fileKey, keyOffLimits, type OffLimits, whyOffLimits } from './off-limits.ts';

/** A link a pass followed out of the library: where it is, and where it leads. */
interface Followed {
  readonly path: string;
  /** The link's path as the file system knows it (its bytes, for a name that is not UTF-8). */
  readonly disk: string | Buffer;
  readonly real: string;
  readonly key: string;
  readonly folder: boolean;
}

/**
 * The outside places a library folder's links lead to, by real path, kept from one pass to the next: a
 * watcher's look at one folder then knows that another link already leads where a new one does.
 */
export class FollowedLinks {
  readonly #byReal = new Map<string, Followed>();

  get(real: string): Followed | undefined {
    return this.#byReal.get(real);
  }

  set(link: Followed): void {
    this.#byReal.set(link.real, link);
  }

  delete(real: string): void {
    this.#byReal.delete(real);
  }

  /** A pass over the whole folder decides afresh. */
  clear(): void {
    this.#byReal.clear();
  }

  /** The links followed to folders (the watcher watches them where the library has them). */
  async folders(files: FileLanes): Promise<string[]> {
    const out: string[] = [];
    for (const f of this.#byReal.values()) {
      const s = f.folder ? await stat(files, f.disk, f.real) : undefined;
      if (s && fileKey(s) === f.key) out.push(f.path);
    }
    return out;
  }
}

export interface LinkRuleOptions {
  /** The library folder of this pass. */
  readonly root: string;
  /** Every library folder (as the library has them): a link into one, or to a folder holding one, is not
   *  followed either. */
  readonly libraryFolders: readonly string[];
  readonly includeHidden: boolean;
  readonly ignore: ReadonlySet<string>;
  readonly offLimits: OffLimits;
  /** What earlier passes followed (a watcher's, for its looks); a fresh one otherwise. */
  readonly followed?: FollowedLinks;
  readonly files: FileLanes;
}

const CIRCLE = 'following it would go round in a circle';

/** One pass's rule: the real folders it entered, and whether to follow each link it meets. */
export class LinkRule {
  readonly #options: LinkRuleOptions;
  #rootKey: string | undefined;
  /** The library folder and the folders holding it, really and as named: device:inode → path. */
  readonly #holders = new Map<string, string>();
  /** The places the library has without links: this folder's real path, and every library folder's path
   *  as the library has it (another one is never asked: a share that stopped answering would hold the
   *  pass), → their paths. */
  readonly #folders = new Map<string, string>();
  readonly #followed: FollowedLinks;
  /** Real folders entered in this pass. */
  readonly #entered = new Set<string>();

  private constructor(options: LinkRuleOptions) {
    this.#options = options;
    this.#followed = options.followed ?? new FollowedLinks();
  }

  static async make(options: LinkRuleOptions): Promise<LinkRule> {
    const rule = new LinkRule(options);
    const { files, root } = options;
    const rootReal = await real(files, root);
    const rootStat = await stat(files, root);
    rule.#rootKey = rootStat && fileKey(rootStat);
    for (const start of [root, rootReal])
      for (let p = start; p !== undefined; p = p === sep ? undefined : dirname(p)) {
        const s = await stat(files, p);
        if (s) rule.#holders.set(fileKey(s), p);
      }
    for (const folder of options.libraryFolders) rule.#folders.set(folder, folder);
    rule.#folders.set(root, root);
    if (rootReal !== undefined) rule.#folders.set(rootReal, root);
    return rule;
  }

  /** Whether the folder `key` is entered for the first time in this pass (and now is). */
  enter(key: string): boolean {
    if (this.#entered.has(key)) return false;
    this.#entered.add(key);
    return true;
  }

  /**
   * Why a pass does not walk the folder at `path` (`s` its stat) that a link leads to or a watcher's look
   * starts at, or undefined to walk it (entered from now on). `via`: where the link leads, as it says.
   */
  async folder(path: string, disk: string | Buffer, s: FileInfo, via?: string): Promise<string | undefined> {
    const key = fileKey(s);
    const to = path === this.#options.root ? undefined : await real(this.#options.files, disk, via);
    const why = to === undefined ? undefined : await this.#judge(path, disk, to, key, true);
    if (why !== undefined) return why;
    return this.enter(key) ? undefined : `a link to ${to ?? path}, a folder this scan walked already`;
  }

  /** Why a pass skips the file a link at `path` leads to (`s` its stat), or undefined to read it. */
  async file(path: string, disk: string | Buffer, s: FileInfo, via?: string): Promise<string | undefined> {
    const to = await real(this.#options.files, disk, via);
    return to === undefined ? undefined : this.#judge(path, disk, to, fileKey(s), false);
  }

  async #judge(
    path: string,
    disk: string | Buffer,
    to: string,
    key: string,
    folder: boolean,
  ): Promise<string | undefined> {
    const limits = this.#options.offLimits;
    if (limits.files.has(key)) return `a link to ${to}: the library's own database`;
    const off = whyOffLimits(to, limits);
    if (off !== undefined || keyOffLimits(key, limits)) return `a link to ${to}: ${off ?? 'off limits'}`;
    const at = await this.#reachedAt(to, folder);
    if (at === path) return undefined; // the place itself, found through no link (or the link followed)
    if (folder && this.#holders.has(key))
      return key === this.#rootKey
        ? `a link to ${to}, this library folder: ${CIRCLE}`
        : `a link to ${to}, which holds this library folder: ${CIRCLE}`;
    if (at !== undefined) return `a link to ${to}, which the library has at ${at}`;
    const below = to === sep ? sep : `${to}${sep}`;
    const holds = folder ? this.#options.libraryFolders.find((f) => f.startsWith(below)) : undefined;
    if (holds !== undefined) return `a link to ${to}, which holds the library folder ${holds}`;
    // Out of the library: from now on the library has that place here.
    this.#followed.set({ path, disk, real: to, key, folder });
    return undefined;
  }

  /**
   * Where the library has the real place `to` without this link: in one of its folders, or past a link
   * followed before (in this pass or, for a watcher, an earlier one, while it still leads there). A place
   * in a hidden or ignored folder, or a file that is not a candidate, the walk does not find there.
   */
  async #reachedAt(to: string, folder: boolean): Promise<string | undefined> {
    for (let r = to; ; r = dirname(r)) {
      const base = this.#folders.get(r) ?? (await this.#stillFollowed(r, r === to));
      if (base !== undefined) {
        const rest = to.slice(r === sep ? 0 : r.length);
        if (this.#shown(rest, folder)) return rest === '' ? base : join(base, rest);
      }
      if (r === sep) return undefined;
    }
  }

  /** The path of the link followed to `real`, if it still leads there; a file's only for that file. */
  async #stillFollowed(real: string, exact: boolean): Promise<string | undefined> {
    const link = this.#followed.get(real);
    if (link === undefined || (!exact && !link.folder)) return undefined;
    const s = await stat(this.#options.files, link.disk, link.real);
    if (s && fileKey(s) === link.key) return link.path;
    this.#followed.delete(real); // removed since, or it leads elsewhere now
    return undefined;
  }

  /** Whether a walk from a place it walks finds `rest` below it: no hidden or ignored folder on the
   *  way, and for a file, a name it reads. */
  #shown(rest: string, folder: boolean): boolean {
    const names = rest.split(sep).filter((n) => n !== '');
    const { includeHidden, ignore } = this.#options;
    return names.every(
      (n, i) =>
        (includeHidden || !n.startsWith('.')) &&
        !ignore.has(n) &&
        (folder || i < names.length - 1 || isCandidate(n)),
    );
  }
}

/** The real path, or undefined (none, or no answer), asked in the lane of `via` (where a link leads). */
async function real(files: FileLanes, path: string | Buffer, via?: string): Promise<string | undefined> {
  return files.realpath(path, via).catch(() => undefined);
}

async function stat(files: FileLanes, path: string | Buffer, via?: string): Promise<FileInfo | undefined> {
  return files.stat(path, { via }).catch(() => undefined);
}
