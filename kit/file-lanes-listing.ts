// A folder's listing as a lane's thread sends it (file-lanes-worker.ts) and as its caller gets it.

/** A stat as the lanes answer it. */
export interface FileInfo {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly kind: 'file' | 'folder' | 'link' | 'other';
}

/** One entry of a folder's listing. */
export interface Listed {
  /** Its name; bytes (a name that is not valid UTF-8, or every name of a folder that has one) when
   *  listed as bytes. */
  readonly name: string | Uint8Array;
  readonly kind: 'file' | 'folder' | 'link' | 'other';
  /** A file's, or a subfolder's (not a mount point's, nor an ignored or hidden one's) stat, or the code
   *  of why it has none. */
  readonly stat?: FileInfo | { readonly code: string };
  /** Where a link leads (as it is written). */
  readonly target?: string | Uint8Array;
}

/** A listing as the thread sends it, numbers packed (a folder's stats cloned as objects cost both threads
 *  more than the calls): per entry KINDS.indexOf its kind, and STAT_FIELDS numbers (kind + 1, dev, ino,
 *  size, mtimeMs; kind 0: not looked at). */
export interface Listing {
  readonly names: ReadonlyArray<string | Uint8Array>;
  readonly kinds: Uint8Array;
  readonly stats: Float64Array;
  /** Entries that could not be looked at: index and code. */
  readonly failed: ReadonlyArray<readonly [number, string]>;
  /** Links: index and target. */
  readonly targets: ReadonlyArray<readonly [number, string | Uint8Array]>;
}
export const KINDS: ReadonlyArray<FileInfo['kind']> = ['file', 'folder', 'link', 'other'];
export const STAT_FIELDS = 5;

/** The listing as entries. */
export function unpacked(l: Listing): Listed[] {
  const failed = new Map(l.failed);
  const targets = new Map(l.targets);
  return l.names.map((name, i) => {
    const at = i * STAT_FIELDS;
    const k = l.stats[at]!;
    const code = failed.get(i);
    const stat =
      code !== undefined
        ? { code }
        : k > 0
          ? {
              kind: KINDS[k - 1]!,
              dev: l.stats[at + 1]!,
              ino: l.stats[at + 2]!,
              size: l.stats[at + 3]!,
              mtimeMs: l.stats[at + 4]!,
            }
          : undefined;
    return { name, kind: KINDS[l.kinds[i]!]!, stat, target: targets.get(i) };
  });
}
