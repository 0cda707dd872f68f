// The fields that name which recording, and on which release, a file is — what identification proposes, as
// Picard writes them from MusicBrainz (not per-file facts such as ReplayGain, the encoder, a comment or a
// fingerprint) — each with what it belongs to. The recording's own fields are the same on every copy of it,
// whatever release it is on; the rest name a release (its album, numbers, dates, label, ids) or may come
// from one (Picard takes credits such as producer or performer from the release's relationships too), so
// a copy on a compilation or another edition has its own.

/** Whose a field is: 'recording' (every copy shares it) or 'release' (each copy's own). */
const IDENTITY = {
  title: 'recording',
  artist: 'recording',
  artists: 'recording',
  artistsort: 'recording',
  titlesort: 'recording',
  album: 'release',
  albumsort: 'release',
  albumartist: 'release',
  albumartistsort: 'release',
  tracknumber: 'release',
  totaltracks: 'release',
  discnumber: 'release',
  totaldiscs: 'release',
  discsubtitle: 'release',
  date: 'release',
  originaldate: 'release',
  originalyear: 'release',
  genre: 'release',
  // The work's credits and language: the recording's, through the work it performs.
  composer: 'recording',
  composersort: 'recording',
  lyricist: 'recording',
  writer: 'recording',
  work: 'recording',
  conductor: 'release',
  performer: 'release',
  producer: 'release',
  remixer: 'release',
  arranger: 'release',
  engineer: 'release',
  mixer: 'release',
  djmixer: 'release',
  director: 'release',
  isrc: 'recording',
  barcode: 'release',
  label: 'release',
  catalognumber: 'release',
  media: 'release',
  language: 'recording',
  script: 'release',
  releasestatus: 'release',
  releasetype: 'release',
  releasecountry: 'release',
  compilation: 'release',
  musicbrainz_recordingid: 'recording',
  musicbrainz_trackid: 'release',
  musicbrainz_albumid: 'release',
  musicbrainz_artistid: 'recording',
  musicbrainz_albumartistid: 'release',
  musicbrainz_releasegroupid: 'release',
  musicbrainz_workid: 'recording',
  acoustid_id: 'recording',
} as const satisfies Record<string, 'recording' | 'release'>;

export type IdentityField = keyof typeof IDENTITY;

/** Every field a proposal may carry, in the order diffs show them. */
export const IDENTITY_FIELDS = Object.keys(IDENTITY) as IdentityField[];

/** Whether `key` is one of the recording's own fields: what identifying a file may give its other copies. */
export const isRecordingField = (key: string): boolean =>
  Object.hasOwn(IDENTITY, key) && IDENTITY[key as IdentityField] === 'recording';
