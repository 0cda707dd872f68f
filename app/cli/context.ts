// What every command needs: the home, its config and the library database, opened on first use.
import { type Config, loadConfig } from '../core/config.ts';
import { type Db, openDatabase, openLibraryReadOnly } from '../core/db/database.ts';
import { stablePlansProblem } from '../core/db/stable-plans.ts';
import { ensureHome, type Home, homeReadOnly, isWriteRefused, resolveHome } from '../core/home.ts';
import { catchUp, derivationLag } from '../core/library/derivation.ts';
import { keepBounded, upkeepDue } from '../core/library/upkeep.ts';
import type { KeptScanWorkers } from '../core/scan/kept-scan-workers.ts';
import { CliError } from './errors.ts';

export interface Output {
  readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export class Context {
  readonly home: Home;
  readonly io: Output;
  readonly #indexUrl: string | undefined;
  #config: Config | undefined;
  #db: Db | undefined;
  /** Why the library was opened read-only (its folder cannot be written); undefined: it was not. */
  #readOnly: string | undefined;
  /** Whether opening and closing the library finish what edits left to derive (derivation.ts); the backend
   *  (`serve`) leaves it to its writer thread, so that it starts, and stops, at once. */
  derives = true;

  /** What a caller running command after command in one process keeps for their scans (main's). */
  readonly scanWorkers: KeptScanWorkers | undefined;

  /** `indexUrl`: --index-url, over config.json's index.url. */
  constructor(homeFlag: string | undefined, io: Output, indexUrl?: string, scanWorkers?: KeptScanWorkers) {
    this.home = resolveHome(homeFlag);
    this.io = io;
    this.#indexUrl = indexUrl;
    this.scanWorkers = scanWorkers;
  }

  get config(): Config {
    if (!this.#config) {
      const config = loadConfig(this.home.config);
      this.#config = this.#indexUrl ? { ...config, index: { ...config.index, url: this.#indexUrl } } : config;
    }
    return this.#config;
  }

  get db(): Db {
    if (!this.#db) {
      void this.config; // a bad config fails before anything is created
      const readOnly = homeReadOnly(this.home);
      if (readOnly) {
        this.#readOnly = readOnly;
        this.#db = openLibraryReadOnly(this.home.database, `${this.home.dir} is ${readOnly}`);
      } else {
        ensureHome(this.home);
        this.#db = openDatabase(this.home.database, { onMigrate: (message) => this.warn(`${message}…`) });
      }
      const slower = stablePlansProblem();
      if (slower) this.warn(slower);
      // What an edit left to derive (a large one another command or the app made, cut short) is finished
      // first: what this command reads or plans is then what the library holds.
      if (this.derives && !readOnly) catchUp(this.#db);
    }
    return this.#db;
  }

  /** Derives what this command's own edits queued, does the library's upkeep if it is due (the history
   *  pruned, pictures collected, free pages given back, the WAL truncated: upkeep.ts), then closes the
   *  library. Nothing waits on this process: it may convert a large library made before pages were given
   *  back (vacuum.ts). */
  async close(): Promise<void> {
    const db = this.#db;
    if (!db) return;
    if (!this.derives || this.#readOnly) {
      db.close();
      return;
    }
    try {
      const lag = this.io.err.isTTY ? derivationLag(db) : 0;
      if (lag > 0) this.warn(`updating what ${lag} edited tracks show (search, the mount)…`);
      catchUp(db);
      if (upkeepDue(db, this.config.history))
        await keepBounded(db, this.config.history, { holding: (what) => this.warn(what) });
    } catch (err) {
      this.warn(
        `sleeve: the library is still being updated (${(err as Error).message}); the next command goes on`,
      );
    } finally {
      db.close();
    }
  }

  /** Why the library can only be read (its folder cannot be written), or undefined: it opens it. */
  get readOnly(): string | undefined {
    void this.db;
    return this.#readOnly;
  }

  /** Refuses, before it starts, a command that writes the home (a mount, a watch) when the home can
   *  only be read. */
  requireWritable(): void {
    const why = this.readOnly;
    if (why) throw new CliError(readOnlyRefusal(this.home, why));
  }

  /** What to tell the user of `err` when it is a write the home's folder refused (a read-only home):
   *  reading commands work there, and one that writes says why it cannot. Undefined for other errors. */
  refusal(err: unknown): string | undefined {
    if (!isWriteRefused(err)) return undefined;
    const why = this.#readOnly ?? homeReadOnly(this.home);
    return why && readOnlyRefusal(this.home, why);
  }

  print(line = ''): void {
    this.io.out.write(`${inert(line)}\n`);
  }

  warn(line: string): void {
    this.io.err.write(`${inert(line)}\n`);
  }
}

const readOnlyRefusal = (home: Home, why: string) =>
  `the library can only be read: ${home.dir} is ${why} (this command writes there)`;

/**
 * Text from files (tags, names) as printed: control characters (an escape sequence in a tag could retitle
 * the terminal or hide lines) and bidirectional overrides are shown as \u001B, \u202E. Newlines and tabs
 * stay. The same escape inside a JSON string means the same character, so JSON output parses unchanged.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is neutralized
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function inert(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
