// The names Picard gives fields that have no frame or atom of their own: ID3's TXXX descriptions and
// MP4's freeform `----:com.apple.iTunes:` atoms are the same names (docs/tag-formats.md: Tag mapping).
// Sleeve's reader matches them case-insensitively; other players may not, hence Picard's spelling.

const NAMES: Record<string, string> = {
  musicbrainz_albumid: 'MusicBrainz Album Id',
  musicbrainz_artistid: 'MusicBrainz Artist Id',
  musicbrainz_albumartistid: 'MusicBrainz Album Artist Id',
  musicbrainz_releasegroupid: 'MusicBrainz Release Group Id',
  musicbrainz_trackid: 'MusicBrainz Release Track Id',
  musicbrainz_workid: 'MusicBrainz Work Id',
  musicbrainz_discid: 'MusicBrainz Disc Id',
  releasestatus: 'MusicBrainz Album Status',
  releasetype: 'MusicBrainz Album Type',
  releasecountry: 'MusicBrainz Album Release Country',
  acoustid_id: 'Acoustid Id',
  acoustid_fingerprint: 'Acoustid Fingerprint',
};
/** Written upper-cased, as Picard does. */
const UPPER = new Set(['artists', 'catalognumber', 'barcode', 'script', 'license', 'originalyear', 'asin']);

/** The TXXX description or freeform atom name for a library key; other keys are written as they are. */
export function freeformName(key: string): string {
  const lower = key.toLowerCase();
  if (UPPER.has(lower) || lower.startsWith('replaygain_')) return key.toUpperCase();
  return NAMES[lower] ?? key;
}
