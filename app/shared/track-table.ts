// What the track table shows of a track, as the backend sends a page's rows and the app lays out its
// columns: plain constants, so a thread that builds rows (the backend's reader) loads none of the RPC
// contract's schemas for them.

/** Tags the track table shows; a page row carries only these (multi-values joined by MULTI_SEPARATOR). */
export const TABLE_TAGS = [
  'title',
  'artist',
  'album',
  'albumartist',
  'tracknumber',
  'discnumber',
  'date',
  'genre',
  'composer',
  // What players read of loudness (the file's own, else measured): the player applies them.
  'replaygain_track_gain',
  'replaygain_track_peak',
  'replaygain_album_gain',
  'replaygain_album_peak',
] as const;
/** How the UI shows and types several values of one field ("Rock; Pop"), as Picard does. */
export const MULTI_SEPARATOR = '; ';
