// The app's Subsonic server (the Mount view's start and stop): `sleeve subsonic` inside the backend,
// sharing its library connection, similarity service, scans, file lanes and transcoder (so its ffmpeg
// processes count against the same cap). At most one at a time; stopped with the backend.
import { isIP } from 'node:net';
import { UserError } from '../../kit/user-error.ts';
import { loadConfig } from '../core/config.ts';
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { checkedPathTemplate } from '../core/library/checked-template.ts';
import type { SubsonicStatus } from '../shared/rpc-contract.ts';
import type { MediaServices } from './media.ts';
import type { Handlers } from './rpc-hub.ts';
import type { ScanRunner } from './scan-runner.ts';
import type { SimilarityService } from './similarity-service.ts';
import { announced } from './subsonic/announce.ts';
import { type RunningSubsonic, startSubsonic } from './subsonic/server.ts';
import { readUsers, usersPath } from './subsonic/users.ts';

export interface SubsonicHostDeps {
  readonly db: Db;
  readonly home: Home;
  readonly similarity: SimilarityService;
  readonly scans: ScanRunner;
  readonly media: MediaServices;
  readonly log: (line: string) => void;
}

export class SubsonicHost {
  readonly #deps: SubsonicHostDeps;
  #running: RunningSubsonic | null = null;
  /** While a start binds its port: a second start is refused, a stop waits. (The library is read after,
   *  the server answering logins meanwhile; a stop gives that read up.) */
  #starting: Promise<RunningSubsonic> | null = null;

  constructor(deps: SubsonicHostDeps) {
    this.#deps = deps;
  }

  status(): SubsonicStatus {
    const running = this.#running;
    const host = running?.address.includes(':') ? `[${running.address}]` : running?.address;
    return {
      running: running && {
        url: `http://${host}:${running.port}/rest/`,
        listen: running.address,
        port: running.port,
      },
      elsewhere: announced(this.#deps.home) ?? null,
      users: Object.keys(readUsers(usersPath(this.#deps.home))).sort(),
    };
  }

  /** `template`: the path template browsing by folder follows (a bad one is refused with its position). */
  async start(listen: string, port: number, template?: string): Promise<SubsonicStatus> {
    if (this.#running)
      throw new UserError(
        'conflict',
        `the Subsonic server is running already: ${this.status().running!.url}`,
      );
    if (this.#starting) throw new UserError('conflict', 'the Subsonic server is starting already');
    if (isIP(listen) === 0)
      throw new UserError('bad_request', `"${listen}" is not an IP address (like 127.0.0.1 or 0.0.0.0)`);
    const { db, home, similarity, scans, media, log } = this.#deps;
    const paths = checkedPathTemplate(db, template);
    // config.json read at each start, as `sleeve subsonic` reads it: a setting changed (passwordLogins for
    // a client that sends its password) counts at the next Start, not only at the app's next launch.
    const { passwordLogins, corsOrigins } = loadConfig(home.config).subsonic;
    const options = {
      db,
      home,
      port,
      listen,
      similarity,
      scans,
      media,
      passwordLogins,
      corsOrigins,
      log,
      template: paths,
    };
    this.#starting = startSubsonic(options);
    try {
      this.#running = await this.#starting;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UserError('conflict', `port ${port} is in use: choose another`);
      if (code === 'EADDRNOTAVAIL')
        throw new UserError('bad_request', `${listen} is not an address of this machine`);
      if (code === 'EACCES')
        throw new UserError('bad_request', `port ${port} is reserved: choose one above 1023`);
      throw err;
    } finally {
      this.#starting = null;
    }
    return this.status();
  }

  async stop(): Promise<SubsonicStatus> {
    await this.#starting?.catch(() => {});
    const running = this.#running;
    this.#running = null;
    await running?.close();
    return this.status();
  }

  handlers(): Pick<Handlers, 'subsonic.status' | 'subsonic.start' | 'subsonic.stop'> {
    return {
      'subsonic.status': () => this.status(),
      'subsonic.start': ({ listen, port, template }) => this.start(listen, port, template),
      'subsonic.stop': () => this.stop(),
    };
  }
}
