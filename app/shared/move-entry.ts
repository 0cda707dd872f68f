// A list's entries with one moved: what reordering a playlist is, by buttons, keys, a drag or the CLI.

/** `entries` with the one at `from` moved to `to` (both 0-based; `to` is where it ends up, clamped). */
export function moveEntry<T>(entries: readonly T[], from: number, to: number): T[] {
  const out = [...entries];
  if (from < 0 || from >= out.length) return out;
  const [moved] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(to, out.length)), 0, moved!);
  return out;
}
