// A file as a player is served it: what the scan recorded of it (ServedFacts), where its original is, and
// which version of it (change_seq) a header was built for. The mount's view and the served file's readers
// (the Subsonic server's, the app's) build one per file.
import type { ServedFacts } from './served-plan.ts';

export interface ServedRecord extends ServedFacts {
  readonly fileId: number;
  /** The original file, as the library shows it (for messages). */
  readonly path: string;
  /** ... and as the file system knows it: the same, or its bytes when they are not valid UTF-8. */
  readonly disk: string | Buffer;
  readonly mtimeMs: number;
  /** The file's change_seq: a header built for one value is stale for any other. */
  readonly seq: number;
  /** What the mount shows as mtime: the original's, or the newest edit to the file's tags. */
  readonly shownMtimeMs: number;
  /** The served size the scan or the last edit recorded for this version; null: not known. */
  readonly servedSize: number | null;
}
