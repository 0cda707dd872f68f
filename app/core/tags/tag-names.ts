// Each field's name in each tag format, declared once (docs/tag-formats.md: Picard's field names; Tag
// mapping): the reader (normalize.ts) maps every name listed for a field to it, the writers (app/core/served)
// write a field under its first name, so the library reads back what it serves. As beets' mediafile
// declares a field once for reading and writing every format. A field a table does not list is read and
// written under its own name (Vorbis: upper-cased; ID3 and MP4: a TXXX or freeform item). Other taggers'
// spellings (foobar2000's, Mp3tag's, ffmpeg's) are listed here too, read and never written, each once:
// tests/unit/tag-names.test.ts lists, per format, the keys real taggers write and the field each reads as.

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
  // iTunes' sort frames; ID3v2.2's three-letter ids as iTunes writes them.
  ['artistsort', 'TSOP', 'TSP'],
  ['albumsort', 'TSOA', 'TSA'],
  ['titlesort', 'TSOT', 'TST'],
  ['albumartistsort', 'TSO2', 'TS2'],
  ['composersort', 'TSOC', 'TSC'],
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
 * foobar2000 writes ALBUM ARTIST, and TOTALTRACKS and TOTALDISCS; Mp3tag, TRACKTOTAL and DISCTOTAL. These
 * names are also how other formats' free-form keys are read (KEY_VALUE_FIELDS): taggers and ffmpeg copy
 * them into APEv2 items, TXXX frames and MP4 freeform atoms.
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
  // ffmpeg writes a comment as DESCRIPTION (its Vorbis comment muxer), as beets does beside COMMENT.
  ['comment', 'COMMENT', 'DESCRIPTION'],
];

/**
 * ffmpeg's names for fields (its own metadata keys), which it writes as they are wherever a format has free-
 * form keys: a Vorbis comment (ALBUMARTIST aside), an APEv2 item (a WavPack's `album_artist`), a TXXX frame
 * (`sort_album` from an MP4's soal). Read as the field in every key=value format; never written.
 */
const FFMPEG: readonly Names[] = [
  ['albumartist', 'album_artist'],
  // Its `track` and `disc` ("n/N") are APEv2's Track and Disc; elsewhere it writes each format's own.
  ['label', 'publisher'],
  ['encodedby', 'encoded_by'],
  // ffmpeg's `encoder` is ID3's TSSE (Picard's encodersettings): the software and settings that encoded.
  ['encodersettings', 'encoder'],
  // From ID3 (TSOA, TSOP, TSOT) and from MP4 (soal, soar, sonm, soaa, soco).
  ['albumsort', 'album-sort', 'sort_album'],
  ['artistsort', 'artist-sort', 'sort_artist'],
  ['titlesort', 'title-sort', 'sort_name'],
  ['albumartistsort', 'sort_album_artist'],
  ['composersort', 'sort_composer'],
];

/**
 * APEv2 item keys as Picard writes them after WavPack and Monkey's Audio (foobar2000 and Mp3tag write the
 * same: `Album Artist`, `Year`, `Track` and `Disc` as "n/N"); read case-insensitively. A key no table here
 * names reads as a Vorbis comment's name would (KEY_VALUE_FIELDS: TRACKTOTAL, ffmpeg's album_artist), else as
 * itself lower-cased (ALBUMARTISTSORT is albumartistsort).
 */
const APE: readonly Names[] = [
  ['title', 'Title'],
  ['artist', 'Artist'],
  ['album', 'Album'],
  ['albumartist', 'Album Artist', 'albumartist'],
  ['date', 'Year'],
  // "n/N": the reader splits number and total, the writer joins them (apev2-writer.ts).
  ['tracknumber', 'Track'],
  ['discnumber', 'Disc'],
  ['website', 'Weblink'],
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

/**
 * WAV's RIFF INFO items: the id written (app/core/served/iff-header.ts), then ids others write (ffmpeg's
 * IPRT). INFO has no item for an album artist or a disc: a WAV tagged with them carries an ID3 tag too.
 */
const RIFF_INFO: readonly Names[] = [
  ['title', 'INAM', 'TITL'],
  ['artist', 'IART'],
  ['album', 'IPRD', 'IRPD'],
  ['date', 'ICRD', 'YEAR'],
  ['tracknumber', 'ITRK', 'IPRT'],
  ['genre', 'IGNR', 'GNRE'],
  ['comment', 'ICMT', 'COMM'],
  ['copyright', 'ICOP'],
  ['composer', 'IMUS'],
];
/** Read, never written: the INFO items Picard writes beyond those, ffmpeg's (ISFT its `encoder`, ITCH its
 *  `encoded_by`), and AIFF's text chunks (a served AIFF carries its tags in an ID3 chunk). */
const IFF_ALSO_READ: readonly Names[] = [
  ['releasecountry', 'ICNT'],
  ['encodedby', 'IENC', 'ITCH'],
  ['encodersettings', 'ISFT'],
  ['engineer', 'IENG'],
  ['language', 'ILNG'],
  ['media', 'IMED'],
  ['producer', 'IPRO'],
  ['title', 'NAME'],
  ['artist', 'AUTH'],
  ['copyright', '(c) '],
  ['comment', 'ANNO'],
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
export const APE_FIELDS = readMap(APE, lower);
export const IFF_FIELDS = readMap([...RIFF_INFO, ...IFF_ALSO_READ]);
/** Vorbis comment names and ffmpeg's, lower-cased: what a name in any key=value format (a Vorbis comment,
 *  an APEv2 item, a TXXX description, an MP4 freeform name) reads as when its own table does not name it. */
export const KEY_VALUE_FIELDS = readMap([...VORBIS, ...FFMPEG], lower);

/** Writing: field → a format's name. ID3 text frames only (T…): WOAR and the rest are written apart. */
export const ID3_TEXT_FRAMES = writeMap(ID3, (frame) => frame.startsWith('T'));
export const MP4_ATOMS = writeMap(MP4);
export const VORBIS_NAMES = writeMap(VORBIS);
export const APE_NAMES = writeMap(APE);
export const RIFF_INFO_ITEMS = writeMap(RIFF_INFO);
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
