// What a playlist may be called and how long a smart one may grow, declared once: the library refuses
// past them (app/core/library/playlists.ts), the contract bounds its requests by them, and the app's forms
// say the same words before a request is made. DOM-safe.
import { controlCharacter } from './control-characters.ts';

/** Longest name, in characters (the mount shortens its file name further if it must). */
export const MAX_PLAYLIST_NAME = 200;
/** Most entries in one list: far beyond any player's queue, small enough to keep in memory. */
export const MAX_PLAYLIST_ENTRIES = 100_000;

/** Why a playlist cannot have this name (trimmed); null when it can. */
export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'a playlist needs a name';
  const control = controlCharacter(trimmed);
  if (control)
    return `a playlist name cannot contain control characters (${control.code} at character ${control.index + 1})`;
  if ([...trimmed].length > MAX_PLAYLIST_NAME)
    return `a playlist name has at most ${MAX_PLAYLIST_NAME} characters`;
  return null;
}

/** Why a smart playlist cannot keep at most `limit` tracks (null: all of them); null when it can. */
export function limitProblem(limit: number | null): string | null {
  return limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > MAX_PLAYLIST_ENTRIES)
    ? `a playlist's limit is a whole number from 1 to ${MAX_PLAYLIST_ENTRIES}`
    : null;
}
