// Where the mounted file system says what happened: the daemon's log, and the report `sleeve mounts` and
// the Mount view read (fuse/mount-reporter.ts).

/** Where the file system says what happened: `problem` for what the user should see (EIO, rejected writes). */
export interface FsReport {
  log(line: string): void;
  problem(line: string): void;
  /** How many accepted saves wait for the library. */
  pendingSaves(count: number): void;
  /** Layouts a listing built before their files were opened (folder-layouts.ts), this many more. */
  builtAhead(count: number): void;
}
