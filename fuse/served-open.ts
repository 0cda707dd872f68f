// Opening a served file: its layout (checked against the size the tree lists), its original opened in the
// mount's file lane and checked to be the file scanned, and the bytes to serve before the original's —
// with holes for pictures the binding streams from the library when it serves the file alone (read-only,
// no Ogg pages to renumber), or whole when JS serves it (a writer, a renumbered Ogg file).

import { checkOriginal, type Layout, type Layouts } from '../app/core/library/served-layout.ts';
import { OriginalFile } from '../app/core/served/original-file.ts';
import type { ServedRecord } from '../app/core/served/served-record.ts';
import type { FileLanes } from '../kit/file-lanes.ts';
import type { FuseBinding, OpenReply } from './native-binding.ts';
import type { FileFacts } from './native-tree.ts';

export interface ServedOpenDeps {
  readonly layouts: Layouts;
  readonly files: FileLanes;
  readonly fuse: FuseBinding;
  /** The served size the tree lists for a file's version. */
  readonly facts: (fileId: number) => FileFacts | undefined;
  /** The file's record once the mount has published a version other than `seq` (undefined: gone, or
   *  none came in time). */
  readonly caughtUp: (fileId: number, seq: number) => Promise<ServedRecord | undefined>;
}

export interface ServedOpen {
  /** Whether the binding serves it alone (it takes the original's fd with the reply). */
  readonly native: boolean;
  readonly layout: Layout;
  /** The original, open; the caller closes it unless the binding took it. */
  readonly original: OriginalFile;
  /** What the binding is told, but the handle number. */
  readonly reply: OpenReply;
}

export async function openServed(
  d: ServedOpenDeps,
  ino: number,
  record: ServedRecord,
  path: string,
  writing: boolean,
): Promise<ServedOpen> {
  let built = d.layouts.getChecked(record);
  if (!built.current) {
    // The library moved on since the tree listed this version (a change the daemon is about to publish):
    // the layout would be the newer version's, sized apart from what the tree lists. Open that version
    // once the mount serves it.
    const newer = await d.caughtUp(record.fileId, record.seq);
    if (newer) {
      record = newer;
      built = d.layouts.getChecked(record);
    }
  }
  const layout = await built.layout;
  const listed = d.facts(record.fileId);
  if (listed?.version === record.seq && listed.size !== layout.size) {
    // The size the library recorded is not the one built here: serving it would give wrong bytes.
    throw new Error(
      `served size ${layout.size} differs from the ${listed.size} the library recorded; rescan it`,
    );
  }
  const original = await OriginalFile.open(d.files, record.disk, { readHead: layout.readsHead });
  try {
    checkOriginal(original, record);
    const native = !writing && layout.pageShift === 0;
    const served = await original.pass(async () =>
      native ? layout.holed(original) : { bytes: await layout.header(original), holes: [] },
    );
    const reply: OpenReply = {
      ino,
      fd: original.fd,
      header: served.bytes,
      holes: served.holes,
      audioStart: layout.audioStart,
      trailerSize: layout.trailerSize,
      size: layout.size,
      origSize: record.size,
      origMtimeMs: record.mtimeMs,
      origDev: original.dev,
      origPath: record.disk,
      path,
      version: record.seq,
    };
    return { native, layout, original, reply };
  } catch (err) {
    original.close();
    throw err;
  }
}
