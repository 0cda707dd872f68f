// Tells the media servers set up for the library (`sleeve players`: app/core/mounts/players.ts) which
// folders the mount's published changes touched, as Lidarr's "Connect" does: the folders gathered for a
// second after the last change (five at most, so a long run of edits is told as it goes), then told to
// each server. Each server has its own queue of one: while it is being told, what changes gathers for
// its next request (at most 256 folders, past that the mount's root), so a server that hangs or refuses
// holds back neither the mount nor the other servers, and costs no more memory the longer it hangs. Its
// reason goes to the mount's report and log. The list is read again at each round, so a player added
// while the mount runs is told from then on.
import { posix } from 'node:path';
import { tellPlayer } from './player-notify.ts';
import type { Player } from './players.ts';

const QUIET_MS = 1000;
const LONGEST_MS = 5000;
/** Folders told at most in one request; past that the whole mount is (its root). */
const MAX_FOLDERS = 256;

/** Adds `folders` to `into`, which becomes the root alone past MAX_FOLDERS. */
function gather(into: Set<string>, folders: Iterable<string>): Set<string> {
  if (into.has('')) return into;
  for (const f of folders) into.add(f);
  return into.size > MAX_FOLDERS || into.has('') ? new Set(['']) : into;
}

/** One server's queue: whether it is being told, and what it is to be told next. */
interface Queue {
  busy: boolean;
  next: Set<string>;
}

export class PlayerNotifier {
  readonly #mountpoint: string;
  readonly #problem: (line: string) => void;
  readonly #players: () => Player[];
  #folders = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #firstAt = 0;
  /** By the server's settings (a server edited is a new one). */
  readonly #queues = new Map<string, Queue>();

  /** `players`: the servers to tell, read at each round (players.json in the library's home). */
  constructor(mountpoint: string, problem: (line: string) => void, players: () => Player[]) {
    this.#mountpoint = mountpoint;
    this.#problem = problem;
    this.#players = players;
  }

  /** Paths inside the mount that changed (moved from, to, made, removed): their folders are told. */
  changed(paths: Iterable<string>): void {
    const folders = [...paths].map((path) => posix.dirname(path)).map((f) => (f === '.' ? '' : f));
    this.#folders = gather(this.#folders, folders);
    if (this.#folders.size === 0) return;
    const now = Date.now();
    if (this.#timer === undefined) this.#firstAt = now;
    clearTimeout(this.#timer);
    const wait = Math.max(0, Math.min(QUIET_MS, this.#firstAt + LONGEST_MS - now));
    this.#timer = setTimeout(() => this.#round(), wait);
    this.#timer.unref();
  }

  /** Hands what is gathered to each server's queue. */
  #round(): void {
    this.#timer = undefined;
    const folders = this.#folders;
    this.#folders = new Set();
    let players: Player[];
    try {
      players = this.#players();
    } catch (err) {
      this.#problem(`cannot read the players to tell: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const keys = new Set<string>();
    for (const player of players) {
      const key = JSON.stringify(player);
      keys.add(key);
      const queue = this.#queues.get(key) ?? { busy: false, next: new Set<string>() };
      this.#queues.set(key, queue);
      queue.next = gather(queue.next, folders);
      if (!queue.busy) void this.#drain(player, queue);
    }
    // A server removed from the list is forgotten once it is no longer being told.
    for (const [key, queue] of this.#queues) if (!keys.has(key) && !queue.busy) this.#queues.delete(key);
  }

  async #drain(player: Player, queue: Queue): Promise<void> {
    queue.busy = true;
    while (queue.next.size > 0) {
      const folders = [...queue.next].sort();
      queue.next = new Set();
      await tellPlayer(player, folders, this.#mountpoint).catch((err: Error) => this.#problem(err.message));
    }
    queue.busy = false;
  }
}
