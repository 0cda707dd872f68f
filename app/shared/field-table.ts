// The field table: every tag field declared once (docs/tag-formats.md: Picard's field names), as beets'
// mediafile declares a field once for every format. A row holds the field's kind, the app's label for it,
// whether it holds several values, its name in each tag format, and what it is to the rest of the app (a
// credit, shown to players, whose when identified). The app's fields (fields.ts: the
// editor, queries, templates, validation) and every format's readers and writers (app/core/tags/
// tag-names.ts: the scan, the mount's headers, a tagger's save read back) derive from it. A new field is
// one row, with its keys in tests/unit/tag-names.test.ts. Fields use Picard's internal names. Pure data:
// the renderer imports it.
//
// A format a row does not name is the format's default, as for any key of no row: a Vorbis comment or an
// APEv2 item of the name upper-cased (WORK), a TXXX frame described by the name (TXXX:work), a freeform
// atom of the name upper-cased (----:WORK); no RIFF INFO item (a WAV's ID3 chunk holds every field). Names
// are read in any case where the format compares them so (Vorbis, APEv2, TXXX, freeform atoms); a field's
// own name is read as the field in every key=value format. A name is one field's per format.

/** `count`: a track or disc number or its total, read as taggers write them (track-numbers.ts). */
export type FieldKind = 'text' | 'integer' | 'count' | 'number' | 'date' | 'flag' | 'id';

export interface FieldRow {
  readonly kind: FieldKind;
  /** The app's name for the field. None: not one of the app's fields yet (the editor, queries and
   *  templates do not offer it), only read and served under the names below. */
  readonly label?: string;
  readonly multi?: true;
  /** A list, each value a line of its own in the editor: the credits and the works (a choir's members,
   *  a medley's works). */
  readonly list?: true;
  /** A role a track credits people with (a composer, a performer): each value a person, listed as the
   *  track's contributors and among each person's roles (the Subsonic server). */
  readonly credit?: true;
  /** A player is shown it: the catalog the Subsonic server and the served listings read (catalog.ts;
   *  lyrics, long texts and ids no client asks for stay in the library). */
  readonly catalog?: true;
  /** A measured figure written as a number and maybe its unit ("+0.32 dB", "0.988523"): a tagger's save
   *  of the same number written its own way ("0.32 dB", "+0.320000 dB") is no change to it
   *  (app/core/mounted/write-back.ts), so the mount's measured ReplayGain, written back as beets and
   *  mutagen write it, is not taken for the user's own. */
  readonly figure?: true;
  /** A tagger that writes every field it knows writes 0 (a date 0000) for one the file has none of (beets:
   *  BPM, COMPILATION, ORIGINALDATE, DISC and the totals; not a track number, 0 for a hidden track): such a
   *  value in a save, where the served file had none, is no value (app/core/mounted/write-back.ts). Not a
   *  gain: Opus's R128 gain 0 is a gain. */
  readonly zeroIsNone?: true;
  /** Whose it is when identification proposes it (identity-fields.ts): 'recording', the same on every
   *  copy of the recording; 'release', each copy's own (its album, numbers, dates, label, ids). A field
   *  without one is not proposed: a per-file fact (ReplayGain, the encoder, a comment, a fingerprint) or
   *  one MusicBrainz does not give as Picard writes it (a subtitle, a grouping). */
  readonly identity?: 'recording' | 'release';
  /** The editor suggests the library's values of it as the user types, the most used first: names,
   *  genres, labels — fields whose values repeat across tracks (never a title, an id or a number). */
  readonly suggest?: true;
  /** The field holding its sort name (artist: artistsort), shown beside a suggestion. */
  readonly sortedAs?: string;
  /** beets' name for it where that differs (mediafile's `track`, `albumtype`; beets 2's list fields,
   *  `genres`, where beets 1 named it as Sleeve does): a beets user's path formats and queries name fields
   *  so (app/core/served/beets-paths.ts). */
  readonly beets?: string;
  /** A Vorbis comment (FLAC, Ogg). */
  readonly vorbis?: string;
  /**
   * ID3v2.4's frame, and ID3v2.3's unless `id3v23` differs: a text frame (T…), `TXXX:description`,
   * `UFID:owner`, a URL frame (W…: written only when every value is a Latin-1 URL, else as TXXX), COMM
   * and USLT, which hold a description (the library's `comment:description`), `TIPL:role`, a role in the
   * involved-people list, or `TMCL`, the musician credits list, whose roles are the values' own ("Name
   * (role)", as Vorbis comments hold performers). ID3v2.3's IPLS (v2.2's IPL) holds both lists: its
   * pairs read as TIPL's, a role no row names as a performer's (as Picard reads them).
   */
  readonly id3?: string;
  /** ID3v2.3's frame where it is not v2.4's: read (the mount writes v2.4). */
  readonly id3v23?: string;
  /** ID3v2.2's three-letter frame: read. */
  readonly id3v22?: string;
  /** ID3v1's field, as music-metadata names it: read. */
  readonly id3v1?: string;
  /** An iTunes atom (©nam), or `----:name`: a freeform atom `----:com.apple.iTunes:name`. */
  readonly mp4?: string;
  /** An APEv2 item (WavPack, Monkey's Audio). */
  readonly ape?: string;
  /** WAV's LIST/INFO item. */
  readonly riff?: string;
  /** Other taggers' spellings: read as the field, never written. */
  readonly alsoRead?: {
    /** In every key=value format: Vorbis comments, APEv2 items, TXXX descriptions, freeform atom names. */
    readonly keyValue?: readonly string[];
    readonly mp4?: readonly string[];
    /** WAV's INFO items and AIFF's text chunks (a served AIFF holds its tags in an ID3 chunk). */
    readonly iff?: readonly string[];
  };
}

/**
 * The rows, in the order the app lists its fields. "Picard": as Picard writes it with its default options;
 * foobar2000, Mp3tag and ffmpeg as they do (ffmpeg writes its own metadata keys as they are wherever a
 * format has key=value names: a Vorbis comment, an APEv2 item, a TXXX description).
 */
export const FIELD_TABLE: Readonly<Record<string, FieldRow>> = {
  title: {
    kind: 'text',
    catalog: true,
    identity: 'recording',
    label: 'Title',
    id3: 'TIT2',
    id3v22: 'TT2',
    id3v1: 'title',
    mp4: '©nam',
    ape: 'Title',
    riff: 'INAM',
    alsoRead: { iff: ['TITL', 'NAME'] },
  },
  subtitle: { kind: 'text', id3: 'TIT3', id3v22: 'TT3' },
  artist: {
    kind: 'text',
    catalog: true,
    identity: 'recording',
    suggest: true,
    sortedAs: 'artistsort',
    label: 'Artist',
    multi: true,
    id3: 'TPE1',
    id3v22: 'TP1',
    id3v1: 'artist',
    mp4: '©ART',
    ape: 'Artist',
    riff: 'IART',
    alsoRead: { iff: ['AUTH'] },
  },
  artists: {
    kind: 'text',
    catalog: true,
    identity: 'recording',
    suggest: true,
    label: 'Artists',
    multi: true,
    id3: 'TXXX:ARTISTS',
    mp4: '----:ARTISTS',
  },
  album: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    sortedAs: 'albumsort',
    label: 'Album',
    id3: 'TALB',
    id3v22: 'TAL',
    id3v1: 'album',
    mp4: '©alb',
    ape: 'Album',
    riff: 'IPRD',
    alsoRead: { iff: ['IRPD'] },
  },
  albumartist: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    sortedAs: 'albumartistsort',
    label: 'Album artist',
    multi: true,
    id3: 'TPE2',
    id3v22: 'TP2',
    mp4: 'aART',
    ape: 'Album Artist',
    // foobar2000's; ffmpeg's album_artist (some taggers' ALBUM_ARTIST: names are read in any case).
    alsoRead: { keyValue: ['ALBUM ARTIST', 'album_artist'] },
  },
  // Track and disc numbers: ID3's TRCK and TPOS, MP4's trkn and disk and APEv2's Track and Disc hold the
  // total too, as "n/N" (the writers join them: track-numbers.ts, NUMBER_TOTALS).
  tracknumber: {
    kind: 'count',
    catalog: true,
    identity: 'release',
    beets: 'track',
    label: 'Track',
    id3: 'TRCK',
    id3v22: 'TRK',
    id3v1: 'track',
    mp4: 'trkn',
    ape: 'Track',
    riff: 'ITRK',
    alsoRead: { keyValue: ['TRACK'], iff: ['IPRT'] }, // beets'; ffmpeg's
  },
  // Picard writes TRACKTOTAL and TOTALTRACKS (foobar2000's), Mp3tag TRACKTOTAL, beets (mediafile) all
  // three and TRACKC: one written, else every total would read twice. beets states each number twice
  // (TRACK, DISC, DISCC), read as the one field, and the date's year as YEAR (normalize.ts).
  totaltracks: {
    kind: 'count',
    identity: 'release',
    beets: 'tracktotal',
    label: 'Total tracks',
    vorbis: 'TRACKTOTAL',
    alsoRead: { keyValue: ['TOTALTRACKS', 'TRACKC'] },
    zeroIsNone: true,
  },
  discnumber: {
    kind: 'count',
    catalog: true,
    identity: 'release',
    beets: 'disc',
    label: 'Disc',
    id3: 'TPOS',
    id3v22: 'TPA',
    mp4: 'disk',
    ape: 'Disc',
    alsoRead: { keyValue: ['DISC'] },
    zeroIsNone: true,
  },
  totaldiscs: {
    kind: 'count',
    catalog: true,
    identity: 'release',
    beets: 'disctotal',
    label: 'Total discs',
    vorbis: 'DISCTOTAL',
    alsoRead: { keyValue: ['TOTALDISCS', 'DISCC'] },
    zeroIsNone: true,
  },
  discsubtitle: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    beets: 'disctitle',
    label: 'Disc subtitle',
    id3: 'TSST',
  },
  // ID3v2.3's date is TYER with TDAT (v2.2: TYE, TDA), which the reader joins (normalize.ts).
  date: {
    kind: 'date',
    zeroIsNone: true,
    catalog: true,
    identity: 'release',
    label: 'Date',
    id3: 'TDRC',
    id3v1: 'year',
    mp4: '©day',
    ape: 'Year',
    riff: 'ICRD',
    alsoRead: { iff: ['YEAR'] }, // a key=value format's YEAR: normalize.ts
  },
  originaldate: {
    kind: 'date',
    zeroIsNone: true,
    catalog: true,
    identity: 'release',
    label: 'Original date',
    id3: 'TDOR',
    id3v23: 'TORY',
    id3v22: 'TOR',
  },
  originalyear: {
    kind: 'integer',
    zeroIsNone: true,
    identity: 'release',
    label: 'Original year',
    id3: 'TXXX:ORIGINALYEAR',
    mp4: '----:ORIGINALYEAR',
  },
  genre: {
    kind: 'text',
    beets: 'genres',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Genre',
    multi: true,
    id3: 'TCON',
    id3v22: 'TCO',
    id3v1: 'genre',
    mp4: '©gen',
    ape: 'Genre',
    riff: 'IGNR',
    alsoRead: { mp4: ['gnre'], iff: ['GNRE'] }, // gnre: the numeric genre
  },
  // The credits, as Picard writes MusicBrainz's relationships (app/core/identify/credits.ts). ID3 holds the
  // producer, arranger, engineer and mixers in TIPL with Picard's roles, the performers in TMCL.
  composer: {
    kind: 'text',
    beets: 'composers',
    catalog: true,
    identity: 'recording',
    suggest: true,
    sortedAs: 'composersort',
    label: 'Composer',
    multi: true,
    list: true,
    credit: true,
    id3: 'TCOM',
    id3v22: 'TCM',
    mp4: '©wrt',
    ape: 'Composer',
    riff: 'IMUS',
  },
  lyricist: {
    kind: 'text',
    beets: 'lyricists',
    catalog: true,
    identity: 'recording',
    suggest: true,
    label: 'Lyricist',
    multi: true,
    list: true,
    credit: true,
    id3: 'TEXT',
    id3v22: 'TXT',
  },
  writer: {
    kind: 'text',
    catalog: true,
    identity: 'recording',
    suggest: true,
    label: 'Writer',
    multi: true,
    list: true,
    credit: true,
    id3: 'TXXX:Writer',
  },
  conductor: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Conductor',
    multi: true,
    list: true,
    credit: true,
    id3: 'TPE3',
    id3v22: 'TP3',
  },
  // "Name (role)" — "Ed Sheeran (lead vocals)", "Orchestre symphonique de Montréal (orchestra)" — or
  // "Name" alone, as Picard writes PERFORMER.
  performer: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Performers',
    multi: true,
    list: true,
    credit: true,
    id3: 'TMCL',
  },
  producer: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Producer',
    multi: true,
    list: true,
    credit: true,
    id3: 'TIPL:producer',
    alsoRead: { iff: ['IPRO'] },
  },
  remixer: {
    kind: 'text',
    beets: 'remixers',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Remixer',
    multi: true,
    list: true,
    credit: true,
    id3: 'TPE4',
    id3v22: 'TP4',
    ape: 'MixArtist',
  },
  arranger: {
    kind: 'text',
    beets: 'arrangers',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Arranger',
    multi: true,
    list: true,
    credit: true,
    id3: 'TIPL:arranger',
  },
  engineer: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Engineer',
    multi: true,
    list: true,
    credit: true,
    id3: 'TIPL:engineer',
    alsoRead: { iff: ['IENG'] },
  },
  mixer: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Mixer',
    multi: true,
    list: true,
    credit: true,
    id3: 'TIPL:mix',
  },
  djmixer: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'DJ-mixer',
    multi: true,
    list: true,
    credit: true,
    id3: 'TIPL:DJ-mix',
  },
  director: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Director',
    multi: true,
    list: true,
    credit: true,
    id3: 'TXXX:DIRECTOR',
    mp4: '©dir',
  },
  grouping: {
    kind: 'text',
    catalog: true,
    suggest: true,
    label: 'Grouping',
    id3: 'TIT1',
    id3v22: 'TT1',
    mp4: '©grp',
  },
  // The works a recording is of (a medley has several). Picard writes ID3's TIT1 for it only with its
  // iTunes-compatible grouping (TIT1 is the grouping otherwise), and reads MP4's ----:WORK too.
  work: {
    kind: 'text',
    catalog: true,
    identity: 'recording',
    suggest: true,
    label: 'Work',
    multi: true,
    list: true,
    id3: 'TXXX:WORK',
    mp4: '©wrk',
    ape: 'Work',
  },
  comment: {
    kind: 'text',
    catalog: true,
    beets: 'comments',
    label: 'Comment',
    id3: 'COMM',
    id3v22: 'COM',
    id3v1: 'comment',
    mp4: '©cmt',
    ape: 'Comment',
    riff: 'ICMT',
    // ffmpeg's (its Vorbis comment muxer), as beets writes beside COMMENT.
    alsoRead: { keyValue: ['DESCRIPTION'], iff: ['COMM', 'ANNO'] },
  },
  lyrics: {
    kind: 'text',
    label: 'Lyrics',
    id3: 'USLT',
    id3v22: 'ULT',
    mp4: '©lyr',
    ape: 'Lyrics',
    alsoRead: { keyValue: ['UNSYNCEDLYRICS'] }, // Mp3tag's
  },
  bpm: {
    kind: 'number',
    zeroIsNone: true,
    catalog: true,
    label: 'BPM',
    id3: 'TBPM',
    id3v22: 'TBP',
    mp4: 'tmpo',
  },
  key: {
    kind: 'text',
    beets: 'initial_key',
    suggest: true,
    label: 'Key',
    id3: 'TKEY',
    alsoRead: { keyValue: ['INITIALKEY'] }, // beets' (mediafile), Mp3tag's; Picard writes KEY
  },
  mood: { kind: 'text', catalog: true, suggest: true, label: 'Mood', multi: true, id3: 'TMOO' },
  compilation: {
    kind: 'flag',
    zeroIsNone: true,
    catalog: true,
    identity: 'release',
    beets: 'comp',
    label: 'Compilation',
    id3: 'TCMP',
    id3v22: 'TCP',
    mp4: 'cpil',
  },
  isrc: {
    kind: 'text',
    catalog: true,
    identity: 'recording',
    label: 'ISRC',
    multi: true,
    id3: 'TSRC',
    id3v22: 'TRC',
  },
  barcode: { kind: 'text', identity: 'release', label: 'Barcode', id3: 'TXXX:BARCODE', mp4: '----:BARCODE' },
  asin: { kind: 'text', id3: 'TXXX:ASIN', mp4: '----:ASIN' },
  label: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Label',
    multi: true,
    id3: 'TPUB',
    id3v22: 'TPB',
    alsoRead: { keyValue: ['publisher'] }, // ffmpeg's
  },
  catalognumber: {
    kind: 'text',
    identity: 'release',
    beets: 'catalognum',
    label: 'Catalog number',
    multi: true,
    id3: 'TXXX:CATALOGNUMBER',
    mp4: '----:CATALOGNUMBER',
  },
  media: {
    kind: 'text',
    identity: 'release',
    suggest: true,
    label: 'Media',
    id3: 'TMED',
    alsoRead: { iff: ['IMED'] },
  },
  // The works' languages (a medley has several; "zxx": no lyrics), ISO 639-3 as MusicBrainz gives them.
  language: {
    kind: 'text',
    identity: 'recording',
    suggest: true,
    label: 'Language',
    multi: true,
    id3: 'TLAN',
    alsoRead: { iff: ['ILNG'] },
  },
  script: { kind: 'text', identity: 'release', label: 'Script', id3: 'TXXX:SCRIPT', mp4: '----:SCRIPT' },
  copyright: {
    kind: 'text',
    label: 'Copyright',
    id3: 'TCOP',
    id3v22: 'TCR',
    mp4: 'cprt',
    riff: 'ICOP',
    alsoRead: { iff: ['(c) '] },
  },
  license: { kind: 'text', label: 'License', id3: 'TXXX:LICENSE', mp4: '----:LICENSE' },
  website: { kind: 'text', id3: 'WOAR', ape: 'Weblink' },
  encodedby: {
    kind: 'text',
    beets: 'encoder',
    label: 'Encoded by',
    id3: 'TENC',
    id3v22: 'TEN',
    mp4: '©too',
    // ffmpeg's; Picard's INFO item and ffmpeg's.
    alsoRead: { keyValue: ['encoded_by'], iff: ['IENC', 'ITCH'] },
  },
  encodersettings: {
    kind: 'text',
    label: 'Encoder settings',
    id3: 'TSSE',
    id3v22: 'TSS',
    // ffmpeg's `encoder`: the software and settings that encoded (ID3's TSSE), and its INFO item.
    alsoRead: { keyValue: ['encoder'], iff: ['ISFT'] },
  },
  // The sort names: iTunes' frames and atoms; ffmpeg's names from ID3 (album-sort) and from MP4 (sort_album).
  titlesort: {
    kind: 'text',
    catalog: true,
    identity: 'recording',
    label: 'Title sort',
    id3: 'TSOT',
    id3v22: 'TST',
    mp4: 'sonm',
    alsoRead: { keyValue: ['title-sort', 'sort_name'] },
  },
  artistsort: {
    kind: 'text',
    catalog: true,
    identity: 'recording',
    beets: 'artist_sort',
    suggest: true,
    label: 'Artist sort',
    multi: true,
    id3: 'TSOP',
    id3v22: 'TSP',
    mp4: 'soar',
    alsoRead: { keyValue: ['artist-sort', 'sort_artist'] },
  },
  albumsort: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    suggest: true,
    label: 'Album sort',
    id3: 'TSOA',
    id3v22: 'TSA',
    mp4: 'soal',
    alsoRead: { keyValue: ['album-sort', 'sort_album'] },
  },
  albumartistsort: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    beets: 'albumartist_sort',
    suggest: true,
    label: 'Album artist sort',
    multi: true,
    id3: 'TSO2',
    id3v22: 'TS2',
    mp4: 'soaa',
    alsoRead: { keyValue: ['sort_album_artist'] },
  },
  composersort: {
    kind: 'text',
    catalog: true,
    identity: 'recording',
    beets: 'composer_sort',
    suggest: true,
    label: 'Composer sort',
    multi: true,
    id3: 'TSOC',
    id3v22: 'TSC',
    mp4: 'soco',
    alsoRead: { keyValue: ['sort_composer'] },
  },
  releasestatus: {
    kind: 'text',
    identity: 'release',
    beets: 'albumstatus',
    suggest: true,
    label: 'Release status',
    id3: 'TXXX:MusicBrainz Album Status',
    mp4: '----:MusicBrainz Album Status',
    ape: 'MUSICBRAINZ_ALBUMSTATUS',
    alsoRead: { keyValue: ['MUSICBRAINZ_ALBUMSTATUS'] },
  },
  releasetype: {
    kind: 'text',
    catalog: true,
    identity: 'release',
    beets: 'albumtype',
    suggest: true,
    label: 'Release type',
    multi: true,
    id3: 'TXXX:MusicBrainz Album Type',
    mp4: '----:MusicBrainz Album Type',
    ape: 'MUSICBRAINZ_ALBUMTYPE',
    alsoRead: { keyValue: ['MUSICBRAINZ_ALBUMTYPE'] },
  },
  releasecountry: {
    kind: 'text',
    identity: 'release',
    beets: 'country',
    suggest: true,
    label: 'Release country',
    id3: 'TXXX:MusicBrainz Album Release Country',
    mp4: '----:MusicBrainz Album Release Country',
    alsoRead: { iff: ['ICNT'] },
  },
  musicbrainz_recordingid: {
    kind: 'id',
    catalog: true,
    identity: 'recording',
    beets: 'mb_trackid',
    label: 'MusicBrainz recording id',
    vorbis: 'MUSICBRAINZ_TRACKID',
    id3: 'UFID:http://musicbrainz.org',
    mp4: '----:MusicBrainz Track Id',
    ape: 'MUSICBRAINZ_TRACKID',
  },
  musicbrainz_trackid: {
    kind: 'id',
    identity: 'release',
    beets: 'mb_releasetrackid',
    label: 'MusicBrainz track id',
    vorbis: 'MUSICBRAINZ_RELEASETRACKID',
    id3: 'TXXX:MusicBrainz Release Track Id',
    mp4: '----:MusicBrainz Release Track Id',
    ape: 'MUSICBRAINZ_RELEASETRACKID',
  },
  musicbrainz_albumid: {
    kind: 'id',
    catalog: true,
    identity: 'release',
    beets: 'mb_albumid',
    label: 'MusicBrainz release id',
    id3: 'TXXX:MusicBrainz Album Id',
    mp4: '----:MusicBrainz Album Id',
  },
  musicbrainz_artistid: {
    kind: 'id',
    identity: 'recording',
    beets: 'mb_artistid',
    label: 'MusicBrainz artist id',
    multi: true,
    id3: 'TXXX:MusicBrainz Artist Id',
    mp4: '----:MusicBrainz Artist Id',
  },
  musicbrainz_albumartistid: {
    kind: 'id',
    identity: 'release',
    beets: 'mb_albumartistid',
    label: 'MusicBrainz album artist id',
    multi: true,
    id3: 'TXXX:MusicBrainz Album Artist Id',
    mp4: '----:MusicBrainz Album Artist Id',
  },
  musicbrainz_releasegroupid: {
    kind: 'id',
    identity: 'release',
    beets: 'mb_releasegroupid',
    label: 'MusicBrainz release group id',
    id3: 'TXXX:MusicBrainz Release Group Id',
    mp4: '----:MusicBrainz Release Group Id',
  },
  musicbrainz_workid: {
    kind: 'id',
    catalog: true,
    identity: 'recording',
    beets: 'mb_workid',
    label: 'MusicBrainz work id',
    multi: true,
    id3: 'TXXX:MusicBrainz Work Id',
    mp4: '----:MusicBrainz Work Id',
  },
  musicbrainz_discid: {
    kind: 'id',
    label: 'MusicBrainz disc id',
    id3: 'TXXX:MusicBrainz Disc Id',
    mp4: '----:MusicBrainz Disc Id',
  },
  acoustid_id: {
    kind: 'id',
    identity: 'recording',
    label: 'AcoustID',
    id3: 'TXXX:Acoustid Id',
    mp4: '----:Acoustid Id',
  },
  acoustid_fingerprint: {
    kind: 'text',
    label: 'AcoustID fingerprint',
    id3: 'TXXX:Acoustid Fingerprint',
    mp4: '----:Acoustid Fingerprint',
  },
  // ReplayGain as its readers look for it: REPLAYGAIN_* in a TXXX, replaygain_* in an MP4 freeform atom
  // (foobar2000's and beets' spelling; tag-names.ts: freeformName spells any other replaygain_* key so).
  replaygain_track_gain: {
    kind: 'text',
    figure: true,
    catalog: true,
    label: 'ReplayGain track gain',
    id3: 'TXXX:REPLAYGAIN_TRACK_GAIN',
    mp4: '----:replaygain_track_gain',
  },
  replaygain_track_peak: {
    kind: 'text',
    figure: true,
    catalog: true,
    label: 'ReplayGain track peak',
    id3: 'TXXX:REPLAYGAIN_TRACK_PEAK',
    mp4: '----:replaygain_track_peak',
  },
  replaygain_album_gain: {
    kind: 'text',
    figure: true,
    catalog: true,
    label: 'ReplayGain album gain',
    id3: 'TXXX:REPLAYGAIN_ALBUM_GAIN',
    mp4: '----:replaygain_album_gain',
  },
  replaygain_album_peak: {
    kind: 'text',
    figure: true,
    catalog: true,
    label: 'ReplayGain album peak',
    id3: 'TXXX:REPLAYGAIN_ALBUM_PEAK',
    mp4: '----:replaygain_album_peak',
  },
  replaygain_reference_loudness: {
    kind: 'text',
    figure: true,
    label: 'ReplayGain reference loudness',
    id3: 'TXXX:REPLAYGAIN_REFERENCE_LOUDNESS',
    mp4: '----:replaygain_reference_loudness',
  },
  // Opus's own gains (RFC 7845's Q7.8 toward -23 LUFS), R128_*_GAIN: what an Opus player applies.
  r128_track_gain: { kind: 'number', catalog: true },
  r128_album_gain: { kind: 'number', catalog: true },
};
