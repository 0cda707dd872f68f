// What every command needs: the home, its config and the library database, opened on first use.
import { type Config, loadConfig } from '../core/config.ts';
import { type Db, openDatabase } from '../core/db/database.ts';
import { ensureHome, type Home, resolveHome } from '../core/home.ts';

export interface Output {
  readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export class Context {
  readonly home: Home;
  readonly io: Output;
  #config: Config | undefined;
  #db: Db | undefined;

  constructor(homeFlag: string | undefined, io: Output) {
    this.home = resolveHome(homeFlag);
    this.io = io;
  }

  get config(): Config {
    this.#config ??= loadConfig(this.home.config);
    return this.#config;
  }

  get db(): Db {
    if (!this.#db) {
      void this.config; // a bad config fails before anything is created
      ensureHome(this.home);
      this.#db = openDatabase(this.home.database);
    }
    return this.#db;
  }

  close(): void {
    this.#db?.close();
  }

  print(line = ''): void {
    this.io.out.write(`${line}\n`);
  }

  warn(line: string): void {
    this.io.err.write(`${line}\n`);
  }
}
