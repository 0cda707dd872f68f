// Each field's name in each tag format, declared once (docs/tag-formats.md: Picard's field names; Tag
// mapping): the reader (normalize.ts) maps every name listed for a field to it, the writers (app/core/served)
// write a field under its first name, so the library reads back what it serves. As beets' mediafile
// declares a field once for reading and writing every format. A field a table does not list is read and
// written under its own name (Vorbis: upper-cased; ID3 and MP4: a TXXX or freeform item).

/** [field, the name written, other names read as the field]. */
type Names = readonly [field: string, written: string, ...alsoRead: string[]];

/** ID3v2 frames: the v2.4 frame written, then v2.3's and v2.2's ids read as it. */
const ID3: readonly Names[] = [
  ['grouping', 'TIT1', 'TT1'],
  ['title', 'TIT2', 'TT2'],
  ['subtitle', 'TIT3', 'TT3'],
  ['artist', 'TPE1', 'TP1'],
  ['albumartist', 'TPE2', 'TP2'],
  ['conductor', 'TPE3', 'TP3'],
  ['remixer', 'TPE4', 'TP4'],
  ['album', 'TALB', 'TAL'],
  ['composer', 'TCOM', 'TCM'],
  ['lyricist', 'TEXT', 'TXT'],
  ['genre', 'TCON', 'TCO'],
  ['date', 'TDRC'],
  ['originaldate', 'TDOR', 'TORY', 'TOR'],
  ['bpm', 'TBPM', 'TBP'],
  ['compilation', 'TCMP', 'TCP'],
  ['isrc', 'TSRC', 'TRC'],
  ['label', 'TPUB', 'TPB'],
  ['copyright', 'TCOP', 'TCR'],
  ['encodedby', 'TENC', 'TEN'],
  ['encodersettings', 'TSSE', 'TSS'],
  ['key', 'TKEY'],
  ['language', 'TLAN'],
  ['media', 'TMED'],
  ['mood', 'TMOO'],
  ['discsubtitle', 'TSST'],
  ['artistsort', 'TSOP'],
  ['albumsort', 'TSOA'],
  ['titlesort', 'TSOT'],
  ['albumartistsort', 'TSO2'],
  ['composersort', 'TSOC'],
  // "n/N": the reader splits number and total, the writer joins them (id3v2-writer.ts: joinTotals).
  ['tracknumber', 'TRCK', 'TRK'],
  ['discnumber', 'TPOS', 'TPA'],
  // A URL frame (no encoding byte): written only when every value is a Latin-1 URL, else as a TXXX.
  ['website', 'WOAR'],
];

/**
 * Fields without a frame or atom of their own: the TXXX description (ID3) and freeform atom name (MP4,
 * `----:com.apple.iTunes:`) Picard writes, read case-insensitively; then other taggers' spellings.
 */
const FREEFORM: readonly Names[] = [
  ['musicbrainz_albumid', 'MusicBrainz Album Id'],
  ['musicbrainz_artistid', 'MusicBrainz Artist Id'],
  ['musicbrainz_albumartistid', 'MusicBrainz Album Artist Id'],
  ['musicbrainz_releasegroupid', 'MusicBrainz Release Group Id'],
  ['musicbrainz_trackid', 'MusicBrainz Release Track Id'],
  ['musicbrainz_workid', 'MusicBrainz Work Id'],
  ['musicbrainz_discid', 'MusicBrainz Disc Id'],
  ['releasestatus', 'MusicBrainz Album Status'],
  ['releasetype', 'MusicBrainz Album Type'],
  ['releasecountry', 'MusicBrainz Album Release Country'],
  ['acoustid_id', 'Acoustid Id'],
  ['acoustid_fingerprint', 'Acoustid Fingerprint'],
  ['artists', 'ARTISTS'],
  ['catalognumber', 'CATALOGNUMBER'],
  ['barcode', 'BARCODE'],
  ['script', 'SCRIPT'],
  ['license', 'LICENSE'],
  ['originalyear', 'ORIGINALYEAR'],
  ['asin', 'ASIN'],
];
/** Fields with a frame of their own in ID3 that some taggers also write as a TXXX: read, never written. */
const FREEFORM_ALSO_READ: readonly Names[] = [
  ['label', 'label'],
  ['isrc', 'isrc'],
  ['originaldate', 'originaldate'],
];
/** MP4 names the recording id in a freeform atom; ID3 has UFID for it. */
const MP4_FREEFORM: readonly Names[] = [['musicbrainz_recordingid', 'MusicBrainz Track Id'], ...FREEFORM];

/** iTunes atoms; the numeric genre `gnre` is read, `©gen` written. trkn and disk are number pairs. */
const MP4: readonly Names[] = [
  ['title', '©nam'],
  ['artist', '©ART'],
  ['albumartist', 'aART'],
  ['album', '©alb'],
  ['composer', '©wrt'],
  ['date', '©day'],
  ['genre', '©gen', 'gnre'],
  ['comment', '©cmt'],
  ['lyrics', '©lyr'],
  ['grouping', '©grp'],
  ['encodedby', '©too'],
  ['bpm', 'tmpo'],
  ['compilation', 'cpil'],
  ['copyright', 'cprt'],
  ['artistsort', 'soar'],
  ['albumsort', 'soal'],
  ['titlesort', 'sonm'],
  ['albumartistsort', 'soaa'],
  ['composersort', 'soco'],
];

/**
 * Vorbis comment names other than the field upper-cased. Picard writes the totals twice, as TRACKTOTAL
 * and TOTALTRACKS; both read as one field, so only one spelling is written (else every total reads twice).
 */
const VORBIS: readonly Names[] = [
  ['totaltracks', 'TRACKTOTAL', 'TOTALTRACKS'],
  ['totaldiscs', 'DISCTOTAL', 'TOTALDISCS'],
  ['musicbrainz_recordingid', 'MUSICBRAINZ_TRACKID'],
  ['musicbrainz_trackid', 'MUSICBRAINZ_RELEASETRACKID'],
  ['lyrics', 'LYRICS', 'UNSYNCEDLYRICS'],
  ['albumartist', 'ALBUMARTIST', 'ALBUM ARTIST', 'ALBUM_ARTIST'],
  ['releasestatus', 'RELEASESTATUS', 'MUSICBRAINZ_ALBUMSTATUS'],
  ['releasetype', 'RELEASETYPE', 'MUSICBRAINZ_ALBUMTYPE'],
];

/** APEv2 item keys as Picard writes them after WavPack and Monkey's Audio; read case-insensitively. */
const APE: readonly Names[] = [
  ['title', 'Title'],
  ['artist', 'Artist'],
  ['album', 'Album'],
  ['albumartist', 'Album Artist', 'albumartist'],
  ['date', 'Year'],
  ['genre', 'Genre'],
  ['comment', 'Comment'],
  ['composer', 'Composer'],
  ['lyrics', 'Lyrics', 'unsyncedlyrics'],
  ['remixer', 'MixArtist'],
  ['musicbrainz_recordingid', 'MUSICBRAINZ_TRACKID'],
  ['musicbrainz_trackid', 'MUSICBRAINZ_RELEASETRACKID'],
  ['releasestatus', 'MUSICBRAINZ_ALBUMSTATUS'],
  ['releasetype', 'MUSICBRAINZ_ALBUMTYPE'],
];

/** Every name a table lists (folded by `key`) → its field. */
function readMap(table: readonly Names[], key: (name: string) => string = (n) => n): Map<string, string> {
  const map = new Map<string, string>();
  for (const [field, ...names] of table) for (const name of names) map.set(key(name), field);
  return map;
}

/** Field → the name it is written as (the first a table lists for it). */
function writeMap(
  table: readonly Names[],
  keep: (name: string) => boolean = () => true,
): Map<string, string> {
  const map = new Map<string, string>();
  for (const [field, written] of table) if (keep(written) && !map.has(field)) map.set(field, written);
  return map;
}

const lower = (name: string) => name.toLowerCase();

/** Reading: a format's name → field (lower-cased where a format compares names case-insensitively). */
export const ID3_FIELDS = readMap(ID3);
export const FREEFORM_FIELDS = readMap([...FREEFORM, ...FREEFORM_ALSO_READ], lower);
export const MP4_FREEFORM_FIELDS = readMap([...MP4_FREEFORM, ...FREEFORM_ALSO_READ], lower);
export const MP4_FIELDS = readMap(MP4);
export const VORBIS_FIELDS = readMap(VORBIS);
export const APE_FIELDS = readMap(APE, lower);

/** Writing: field → a format's name. ID3 text frames only (T…): WOAR and the rest are written apart. */
export const ID3_TEXT_FRAMES = writeMap(ID3, (frame) => frame.startsWith('T'));
export const MP4_ATOMS = writeMap(MP4);
export const VORBIS_NAMES = writeMap(VORBIS);
export const APE_NAMES = writeMap(APE);
const FREEFORM_NAMES = writeMap(FREEFORM);
const MP4_FREEFORM_NAMES = writeMap(MP4_FREEFORM);

/**
 * The TXXX description (`mp4`: the freeform atom name) a field is written under: Picard's spelling (other
 * players may not compare names case-insensitively as Sleeve does); ReplayGain as its readers look for it,
 * REPLAYGAIN_* in ID3 and replaygain_* in MP4 (foobar2000's and beets' spelling); any other key as it is.
 */
export function freeformName(key: string, format: 'id3' | 'mp4' = 'id3'): string {
  const lower = key.toLowerCase();
  if (lower.startsWith('replaygain_')) return format === 'mp4' ? lower : key.toUpperCase();
  return (format === 'mp4' ? MP4_FREEFORM_NAMES : FREEFORM_NAMES).get(lower) ?? key;
}
