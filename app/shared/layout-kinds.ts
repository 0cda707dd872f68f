// A mount's layout is a template in Sleeve's language, or one brought from another tagger, told apart by
// a prefix: a Picard file naming script (`picard:` and its text) or a beets config's path formats (`beets:`
// and their JSON). Said in a line where a layout is listed (`sleeve mounts`, the app's Mount view).

export const PICARD_SCRIPT = 'picard:';
export const BEETS_PATHS = 'beets:';

/** How many formats a `beets:` layout holds, as stored (their list, or `{ formats, asciify }`; "?" for
 *  neither). */
function formatCount(layout: string): string {
  try {
    const stored: unknown = JSON.parse(layout.slice(BEETS_PATHS.length));
    const formats = Array.isArray(stored) ? stored : (stored as { formats?: unknown } | null)?.formats;
    return Array.isArray(formats) ? String(formats.length) : '?';
  } catch {
    return '?';
  }
}

/** A layout in a line: its template, or what lays it out. */
export function layoutText(layout: string): string {
  if (layout.startsWith(BEETS_PATHS)) return `a beets config's path formats (${formatCount(layout)})`;
  if (!layout.startsWith(PICARD_SCRIPT)) return layout;
  const lines = layout.split('\n').length;
  return `a Picard naming script (${lines} line${lines === 1 ? '' : 's'})`;
}
