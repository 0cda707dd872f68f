// The app's views, in the order of their tabs (and of the keys 1–9 that open them).
export const VIEWS = [
  ['tracks', 'Tracks'],
  ['albums', 'Albums'],
  ['artists', 'Artists'],
  ['duplicates', 'Duplicates'],
  ['similar', 'Similar'],
  ['playlists', 'Playlists'],
  ['mount', 'Mount'],
  ['scan', 'Scan'],
  ['history', 'History'],
] as const;
export type View = (typeof VIEWS)[number][0];

export function viewNamed(name: string | null): View | undefined {
  return VIEWS.find(([v]) => v === name)?.[0];
}
