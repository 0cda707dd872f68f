// The folders a walk lists next, asked of their file lanes ahead of it: the lane's thread lists them
// while the walk sorts what it listed, and hands them back a few to a message (FileLanes.listMany).
import type { FileLanes, Listed, ListPick } from '../../../kit/file-lanes.ts';
import { mountPointsIn } from '../../../kit/mount-table.ts';

/** Folders asked for ahead at most (32: as fast as the calls made on one thread were, on a busy 2-core
 *  machine). A folder's deadline counts its wait in the lane, so on a slow share fewer are asked: as many
 *  as a quarter of the deadline lists. */
const AHEAD = 32;

export class ListingsAhead<P extends { readonly disk: string | Buffer }> {
  readonly #files: FileLanes;
  readonly #pick: ListPick;
  readonly #asked = new Map<P, Promise<readonly Listed[]>>();
  /** Milliseconds per folder listed, smoothed, and when the last listing came. */
  #each = 0;
  #last = performance.now();

  constructor(files: FileLanes, pick: ListPick) {
    this.#files = files;
    this.#pick = pick;
  }

  /** Asks for the folders on top of the walk's stack (the next walked last), those not asked yet. */
  ahead(stack: readonly P[]): void {
    const many = Math.floor(this.#files.deadlineMs / 4 / Math.max(this.#each, 1e-3));
    const fresh = stack
      .slice(-Math.max(1, Math.min(AHEAD, many)))
      .reverse() // the next first: listed first, in the first call
      .filter((p) => !this.#asked.has(p));
    if (fresh.length === 0) return;
    const folders = fresh.map((p) => ({
      path: p.disk,
      mountPoints: typeof p.disk === 'string' ? mountPointsIn(p.disk) : [],
    }));
    this.#files.listMany(folders, this.#pick).forEach((listing, i) => {
      listing.catch(() => {}); // its error is the walk's when it gets there
      this.#asked.set(fresh[i]!, listing);
    });
  }

  /** The listing of a folder the walk took from its stack (asked now if it was not). */
  async listing(place: P): Promise<readonly Listed[]> {
    if (!this.#asked.has(place)) this.ahead([place]);
    try {
      const listed = await this.#asked.get(place)!;
      const now = performance.now();
      // The first as it is: a slow share asks few ahead from the start.
      this.#each = this.#each === 0 ? now - this.#last : 0.8 * this.#each + 0.2 * (now - this.#last);
      this.#last = now;
      return listed;
    } finally {
      this.#asked.delete(place);
    }
  }
}
