// What a file's full-text entries (the trigram index `search`, search_folded) hold of its path: the part
// within its library folder. The folder's own path is the same in every file under it, so its trigrams were
// words of every file: at 100,000 tracks under a 64-character folder they held 64 % of the index's
// postings, and FTS5 writes a word's whole list of files in one merge step, which held the write lock up to
// 0.6 s at a million tracks (BENCHMARKS.md, million). A free word still finds a folder or file name below
// the library folder; `path:` matches the whole path (files.path). Also the SQL function searched_path()
// (database.ts), so both sides write the same text.

/** `path` within the library folder `folder` (its file's root), without the folder or its separator; the
 *  whole path if it is not under the folder (or the folder is unknown). */
export function searchedPath(path: string, folder: string | null | undefined): string {
  if (!folder) return path;
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** searchedPath in SQL for the `files` row aliased `file`. */
export const searchedPathSql = (file: string): string =>
  `searched_path(${file}.path, (SELECT path FROM roots WHERE id = ${file}.root_id))`;
