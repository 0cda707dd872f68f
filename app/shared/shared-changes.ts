// Of an album's proposals, the changes every one of them makes alike (album, album artist, date, label…):
// shown once for the album rather than once per track, by the CLI and the app.

interface Change {
  readonly key: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/** A change as one comparable line. */
export const changeLine = (c: Change): string => JSON.stringify([c.key, c.before, c.after]);

/** The lines (changeLine) of the changes all of `proposals` make; empty for fewer than two. */
export function sharedChanges(
  proposals: ReadonlyArray<{ readonly changes: readonly Change[] }>,
): Set<string> {
  if (proposals.length < 2) return new Set();
  const [first, ...rest] = proposals.map((p) => new Set(p.changes.map(changeLine)));
  return new Set([...first!].filter((line) => rest.every((r) => r.has(line))));
}
