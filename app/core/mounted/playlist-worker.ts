// Worker thread: renders the mount's playlists (playlist-render.ts) on its own read-only connection, for
// the daemon's playlist-files.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { serveTasks } from '../../../kit/worker-pool.ts';
import { openReader } from '../db/database.ts';
import { PlaylistRenderer, type RenderRequest } from './playlist-render.ts';

if (parentPort) {
  const db = openReader((workerData as { database: string }).database);
  // Its queries read the library once per render: a small page cache, as the daemon's own.
  db.pragma('cache_size = -4000');
  const renderer = new PlaylistRenderer(db);
  serveTasks(parentPort, async (request: RenderRequest) => renderer.answer(request));
}
