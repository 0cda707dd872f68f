// Worker thread: builds the served layouts of files about to be opened (the rest of a folder a player is
// scanning) on its own read-only connection, for the daemon's folder-layouts.ts. The same code builds
// them as an open in the main thread does (served-layout.ts, original-file.ts); only where it runs differs.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { atOnce } from '../../../kit/at-once.ts';
import { FileLanes } from '../../../kit/file-lanes.ts';
import { serveTasks } from '../../../kit/worker-pool.ts';
import { openReader } from '../db/database.ts';
import { checkOriginal, Layouts } from '../library/served-layout.ts';
import { OriginalFile } from '../served/original-file.ts';
import type { ServedRecord } from '../served/served-record.ts';
import type { LayoutWorkerData, PreparedFolder, PreparedLayout } from './folder-layouts.ts';

/** How far below the daemon's other threads this one runs (nice: 0 normal, 19 the lowest). */
const AHEAD_NICENESS = 10;
/** A folder's files whose layouts are under way at once. One at a time, each open and read waited on its
 *  lane's thread in turn, and the player overtook the worker at the start of each album (a 2,000-file
 *  cold tag scan: 100–330 first opens built on the main thread besides; 8 at once: 0–60, the scan
 *  1.82× → 1.62× the originals' time). */
const OPENS_AT_ONCE = 8;

if (parentPort) {
  // Work done ahead yields to work asked for: the player's own requests (the binding's threads) and the
  // player itself come first on a busy core. (On Linux a priority is a thread's: only this one is lowered.
  // A 1,000-file cold tag scan: 1.29 s against 1.51 s, three runs each.)
  setPriority(AHEAD_NICENESS);
  const { database, deadlineMs } = workerData as LayoutWorkerData;
  const db = openReader(database);
  // A file on a share that stopped answering is left out at the deadline: the next folder is not held up.
  const files = new FileLanes(deadlineMs);
  db.pragma('cache_size = -4000');
  // What building a layout has to say (a file served as it is, and why) goes to the daemon's log.
  let notes: string[] = [];
  // One Layouts (its statements prepared once), forgotten after each folder: its caches would only hold
  // what the binding holds from then on. (The pool hands this worker one folder at a time: inFlight 1.)
  const layouts = new Layouts(db, files, (line) => notes.push(line));
  serveTasks(parentPort, async (records: ServedRecord[]): Promise<PreparedFolder> => {
    notes = [];
    const built = await atOnce(records, OPENS_AT_ONCE, (record) => prepared(layouts, files, record));
    layouts.forget();
    return { prepared: built.filter((p) => p !== undefined), notes };
  });
}

/** A file's layout as the binding takes it; undefined when its own open must build it (a renumbered Ogg
 *  file, one changed since it was listed) or say what is wrong with it. */
async function prepared(
  layouts: Layouts,
  files: FileLanes,
  sent: ServedRecord,
): Promise<PreparedLayout | undefined> {
  // A path that is not UTF-8 crossed as a Uint8Array: the file system wants a Buffer.
  const disk = typeof sent.disk === 'string' ? sent.disk : Buffer.from(sent.disk);
  const record = { ...sent, disk };
  try {
    // A layout is never labelled with an older version than its tags are (getChecked).
    const { layout: built, current } = layouts.getChecked(record);
    const layout = await built;
    if (!current || layout.pageShift !== 0) return undefined; // renumbered Ogg pages are served through JS
    const original = await OriginalFile.open(files, disk, { readHead: layout.readsHead });
    try {
      checkOriginal(original, record);
      const { bytes, holes } = await original.pass(() => layout.holed(original));
      const { audioStart, trailerSize, size } = layout;
      return {
        fileId: record.fileId,
        version: record.seq,
        // Its own bytes: a view of the original's head read (64 KiB) is copied whole when posted
        // (a 2,000-file cold tag scan made 128 MB so; mutagen's scan 1.91 → 1.58 s).
        header: new Uint8Array(bytes),
        holes,
        audioStart,
        trailerSize,
        size,
        origDev: original.dev,
      };
    } finally {
      original.close();
    }
  } catch {
    return undefined; // its own open will build it, and say what is wrong with it
  }
}
