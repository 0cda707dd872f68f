// What a track without an artist or an album is filed under: one name each for the app's artist list and
// album grid, the mount's folders ($albumartist, $artist, $album) and the Subsonic server's artists and
// albums, so a phone and the mount show an untagged file in the same place.
export const UNKNOWN_ARTIST = 'Unknown Artist';
export const UNKNOWN_ALBUM = 'Unknown Album';
