// A Subsonic server started from the command line says where it runs, in the home (subsonic-server.json:
// its process, address and port), so the app's Mount view shows it too, and offers no second one on its
// port. Gone with the process: a record whose process no longer runs is not believed (and removed).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFileAtomically } from '../../../kit/fs-durable.ts';
import { processAlive } from '../../../kit/process-alive.ts';
import type { Home } from '../../core/home.ts';

const FILE = 'subsonic-server.json';
const Announced = z.object({
  pid: z.number().int().positive(),
  url: z.string(),
  listen: z.string(),
  port: z.number().int(),
});
export type AnnouncedServer = z.infer<typeof Announced>;

const pathOf = (home: Home) => join(home.dir, FILE);

/** Says the server runs; the returned function takes it back (when the server stops). */
export function announce(home: Home, server: Omit<AnnouncedServer, 'pid'>): () => void {
  // Worth nothing after a crash (its process is gone with it): not waited on the disk for.
  replaceFileAtomically(pathOf(home), JSON.stringify({ pid: process.pid, ...server }), false);
  return () => {
    if (announced(home)?.pid === process.pid) rmSync(pathOf(home), { force: true });
  };
}

/** The server another process runs over this home, if one says so and its process runs. */
export function announced(home: Home): AnnouncedServer | undefined {
  let record: AnnouncedServer;
  try {
    record = Announced.parse(JSON.parse(readFileSync(pathOf(home), 'utf8')));
  } catch {
    return undefined;
  }
  if (processAlive(record.pid)) return record;
  rmSync(pathOf(home), { force: true });
  return undefined;
}
