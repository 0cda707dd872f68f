// Tells the media servers set up for the library (`sleeve players`: app/core/mounts/players.ts) which
// folders the mount's published changes touched, as Lidarr's "Connect" does: the folders gathered for a
// second after the last change (five at most, so a long run of edits is told as it goes), then each server
// told once, one request at a time per server. A server that is down, slow or refuses never holds the
// mount back: its reason goes to the mount's report and log, and the next change is told anyway. The
// list is read again at each round, so a player added while the mount runs is told from then on.
import { posix } from 'node:path';
import { tellPlayer } from '../app/core/mounts/player-notify.ts';
import type { Player } from '../app/core/mounts/players.ts';

const QUIET_MS = 1000;
const LONGEST_MS = 5000;
/** Folders told at most in one round; past that the whole mount is (its root). */
const MAX_FOLDERS = 256;

export class PlayerNotifier {
  readonly #mountpoint: string;
  readonly #problem: (line: string) => void;
  readonly #players: () => Player[];
  #folders = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #firstAt = 0;
  #telling: Promise<void> | undefined;

  /** `players`: the servers to tell, read at each round (players.json in the library's home). */
  constructor(mountpoint: string, problem: (line: string) => void, players: () => Player[]) {
    this.#mountpoint = mountpoint;
    this.#problem = problem;
    this.#players = players;
  }

  /** Paths inside the mount that changed (moved from, to, made, removed): their folders are told. */
  changed(paths: Iterable<string>): void {
    for (const path of paths) {
      const folder = posix.dirname(path);
      this.#folders.add(folder === '.' ? '' : folder);
    }
    if (this.#folders.size > MAX_FOLDERS) this.#folders = new Set(['']);
    if (this.#folders.size === 0) return;
    const now = Date.now();
    if (this.#timer === undefined) this.#firstAt = now;
    clearTimeout(this.#timer);
    const wait = Math.max(0, Math.min(QUIET_MS, this.#firstAt + LONGEST_MS - now));
    this.#timer = setTimeout(() => this.#round(), wait);
    this.#timer.unref();
  }

  /** Tells what is gathered; a round still under way is waited for, then this one runs. */
  #round(): void {
    this.#timer = undefined;
    const folders = [...this.#folders].sort();
    this.#folders = new Set();
    const previous = this.#telling ?? Promise.resolve();
    this.#telling = previous.then(() => this.#tell(folders));
  }

  async #tell(folders: readonly string[]): Promise<void> {
    let players: Player[];
    try {
      players = this.#players();
    } catch (err) {
      this.#problem(`cannot read the players to tell: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    await Promise.all(
      players.map((p) =>
        tellPlayer(p, folders, this.#mountpoint).catch((err: Error) => this.#problem(err.message)),
      ),
    );
  }
}
