// The protocol's objects made of the catalog's: a song (Child), an album (AlbumID3), an artist
// (ArtistID3), with OpenSubsonic's fields — every artist and genre of a multi-valued field, sort names,
// the credits as `contributors`, the served ReplayGain as `replayGain`. Only fields that have a value are
// written. A song's `path` is made up — its path under the server's template, else album artist/album/
// track title.suffix: clients name cached files with it; the library's own paths never leave the machine.
import type { CatalogAlbum, CatalogArtist, CatalogTrack } from '../../core/library/catalog-groups.ts';
import { CREDIT_KEYS, rolesOf } from '../../core/library/catalog-groups.ts';
import { mimeTypeOf } from '../../core/media/sniff.ts';
import { sanitizeComponent } from '../../core/served/path-template.ts';
import { formatRow } from '../../shared/format-table.ts';
import { performerParts } from '../../shared/performer-credit.ts';
import { UNKNOWN_ALBUM, UNKNOWN_ARTIST } from '../../shared/unknown-names.ts';
import { templatePlace } from './folders.ts';
import { albumId, artistId, trackId } from './ids.ts';
import type { AlbumID3, ArtistID3, Child, Contributor, ItemDate, ReplayGain } from './opensubsonic-types.ts';
import type { View } from './view.ts';

export const suffixOf = (format: string | null): string => formatRow(format)?.suffix ?? 'bin';

/** A time as the protocol gives it (ISO 8601). */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

const iso = (ms: number | null | undefined): string | undefined =>
  ms === null || ms === undefined ? undefined : isoTime(ms);

/** The songs of `fileIds` still in the library's view, in order (one no longer shown is left out). */
export const presentSongs = (view: View, fileIds: readonly number[]): Child[] =>
  fileIds.flatMap((id) => {
    const t = view.track(id);
    return t ? [song(t, view)] : [];
  });

const int = (text: string | undefined): number | undefined => {
  const n = Number.parseInt(text ?? '', 10);
  return Number.isFinite(n) ? n : undefined;
};

/** "-5.12 dB" → -5.12. */
const decibels = (text: string | undefined): number | undefined => {
  const n = Number.parseFloat(text ?? '');
  return Number.isFinite(n) ? n : undefined;
};

/** RFC 7845's R128 gain (Q7.8 toward -23 LUFS) as a ReplayGain 2.0 gain (toward -18, 5 dB quieter). */
const r128 = (text: string | undefined): number | undefined => {
  const q = int(text);
  return q === undefined ? undefined : Math.round((q / 256 + 5) * 100) / 100;
};

/** A ReplayGain 2.0 gain as RFC 7845's R128 gain: the Q7.8 integer R128_*_GAIN holds. */
export const r128Text = (gain: number): string =>
  String(Math.max(-32768, Math.min(32767, Math.round((gain - 5) * 256))));

/** The gain the mount serves: ReplayGain fields (the file's or the measured), else an Opus file's R128. */
export function replayGain(t: CatalogTrack): ReplayGain | undefined {
  const g = t.tags;
  const gain = {
    trackGain: decibels(g.replaygain_track_gain?.[0]) ?? r128(g.r128_track_gain?.[0]),
    trackPeak: decibels(g.replaygain_track_peak?.[0]),
    albumGain: decibels(g.replaygain_album_gain?.[0]) ?? r128(g.r128_album_gain?.[0]),
    albumPeak: decibels(g.replaygain_album_peak?.[0]),
  };
  return Object.values(gain).some((v) => v !== undefined) ? gain : undefined;
}

/** An artist as the specification has it, and the user's rating of it, as Navidrome sends it (clients
 *  that rate artists read it back). */
type ArtistWithRating = ArtistID3 & { userRating?: number };

const artistRef = (name: string): ArtistID3 => ({ id: artistId(name), name });

/** The credits, as OpenSubsonic's contributors: a role each, a performer's instrument as its subRole. */
function contributors(t: CatalogTrack): Contributor[] {
  return CREDIT_KEYS.flatMap((role) =>
    (t.tags[role] ?? []).map((value) => {
      if (role !== 'performer') return { role, artist: artistRef(value) };
      const { name, role: instrument } = performerParts(value);
      return { role, subRole: instrument ?? undefined, artist: artistRef(name) };
    }),
  );
}

const joined = (values: readonly string[] | undefined): string | undefined =>
  values && values.length > 0 ? values.join('; ') : undefined;

/** A name safe as one path segment, as the mount makes it (no "/", no "..", no control characters): a
 *  client that caches a song under its path never writes outside its folder. */
const segment = (name: string, fallback: string, room = 255): string =>
  sanitizeComponent(name === '' ? fallback : name, room);

/** A song's path under the default template, as the mount's default names it (path-template.ts): album
 *  artist/album/[disc-]track title.suffix, the disc's number wherever the track has one on an album of
 *  more than one disc. */
function defaultPath(t: CatalogTrack, album: CatalogAlbum | undefined, suffix: string): string {
  const track = int(t.tags.tracknumber?.[0]);
  const disc = t.album !== '' && (album?.discs ?? 0) > 1 ? int(t.tags.discnumber?.[0]) : undefined;
  const number =
    track === undefined ? '' : `${disc === undefined ? '' : `${disc}-`}${String(track).padStart(2, '0')} `;
  const file = segment(`${number}${songTitle(t)}`, '_', 255 - Buffer.byteLength(`.${suffix}`));
  return `${segment(t.albumArtist, UNKNOWN_ARTIST)}/${segment(t.album, UNKNOWN_ALBUM)}/${file}.${suffix}`;
}

/** A song's title as clients show it: the catalog's, so an untitled one is named by its file as the app
 *  and the mount name it, not left blank. */
export const songTitle = (t: CatalogTrack): string => t.title;

export function song(t: CatalogTrack, view: View): Child {
  const g = t.tags;
  const album = view.groups.albumOf.get(t.id);
  const marks = view.marks.tracks.get(t.id);
  const suffix = suffixOf(t.format);
  const title = songTitle(t);
  const track = int(g.tracknumber?.[0]);
  const albumArtists = album?.artists ?? (t.albumArtist === '' ? [] : [t.albumArtist]);
  const place = templatePlace(t);
  // The artist tag as written ("A feat. B"), else the artists the catalog files it under (the album
  // artists, or the unknown artist: what its artistId opens).
  const shownArtist = joined(g.artist) ?? joined(t.artists);
  return {
    id: trackId(t.id),
    parent: place?.parent ?? (album && albumId(album.key)),
    isDir: false,
    title,
    album: t.album,
    artist: shownArtist,
    track,
    year: t.year ?? undefined,
    genre: g.genre?.[0],
    coverArt: t.hasArt ? trackId(t.id) : album?.artTrack && albumId(album.key),
    size: t.size,
    contentType: mimeTypeOf(t.format),
    suffix,
    duration: t.duration === null ? undefined : Math.round(t.duration),
    bitRate: t.bitrate === null ? undefined : Math.round(t.bitrate / 1000),
    bitDepth: t.bitDepth ?? undefined,
    samplingRate: t.sampleRate ?? undefined,
    channelCount: t.channels ?? undefined,
    path: place?.path ?? defaultPath(t, album, suffix),
    isVideo: false,
    userRating: marks?.rating ?? undefined,
    playCount: marks?.plays ?? 0,
    played: iso(marks?.playedAt),
    discNumber: int(g.discnumber?.[0]),
    created: iso(t.addedAt),
    starred: iso(marks?.starredAt),
    albumId: album && albumId(album.key),
    artistId: t.artists[0] === undefined ? undefined : artistId(t.artists[0]),
    type: 'music',
    mediaType: 'song',
    bpm: int(g.bpm?.[0]),
    comment: g.comment?.[0],
    sortName: g.titlesort?.[0],
    musicBrainzId: g.musicbrainz_recordingid?.[0],
    isrc: [...(g.isrc ?? [])],
    genres: (g.genre ?? []).map((name) => ({ name })),
    artists: t.artists.map(artistRef),
    displayArtist: shownArtist ?? '',
    albumArtists: albumArtists.map(artistRef),
    displayAlbumArtist: albumArtists.join('; '),
    contributors: contributors(t),
    displayComposer: joined(g.composer),
    moods: [...(g.mood ?? [])],
    replayGain: replayGain(t),
    works: (g.work ?? []).map((name, i) => ({ name, musicBrainzId: g.musicbrainz_workid?.[i] })),
    groupings: [...(g.grouping ?? [])],
  };
}

/** A date tag ("2001-05-17", "2001") as OpenSubsonic's ItemDate: as much of it as it says. */
function itemDate(text: string | undefined): ItemDate | undefined {
  const m = text?.match(/^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/);
  if (!m) return undefined;
  return {
    year: Number(m[1]),
    month: m[2] === undefined ? undefined : Number(m[2]),
    day: m[3] === undefined ? undefined : Number(m[3]),
  };
}

/** Earlier first; of one year (or month), a date that names its month (or day) first. */
const byDate = (x: ItemDate, y: ItemDate) =>
  (x.year ?? 0) - (y.year ?? 0) || (x.month ?? 13) - (y.month ?? 13) || (x.day ?? 32) - (y.day ?? 32);

/** The earliest of the album's tracks' dates in `field`, as its year is its earliest track's year. */
function earliest(a: CatalogAlbum, field: 'date' | 'originaldate'): ItemDate | undefined {
  let first: ItemDate | undefined;
  for (const t of a.tracks) {
    const date = itemDate(t.tags[field]?.[0]);
    if (date && (!first || byDate(date, first) < 0)) first = date;
  }
  return first;
}

export function album(a: CatalogAlbum, view: View): AlbumID3 {
  const first = a.tracks[0]!.tags;
  const marks = view.marks.albums.get(a.key);
  const { plays, playedAt } = view.albumPlays(a);
  const discTitles = new Map<number, string>();
  for (const t of a.tracks) {
    const disc = int(t.tags.discnumber?.[0]);
    const title = t.tags.discsubtitle?.[0];
    if (disc !== undefined && title && !discTitles.has(disc)) discTitles.set(disc, title);
  }
  return {
    id: albumId(a.key),
    name: a.name,
    artist: a.artists.join('; '),
    artistId: a.artist === '' ? undefined : artistId(a.artist),
    coverArt: a.artTrack && albumId(a.key),
    songCount: a.tracks.length,
    duration: Math.round(a.duration),
    playCount: plays,
    played: iso(playedAt),
    created: new Date(a.addedAt).toISOString(),
    starred: iso(marks?.starredAt),
    userRating: marks?.rating ?? undefined,
    year: a.year ?? undefined,
    genre: a.genres[0],
    genres: a.genres.map((name) => ({ name })),
    artists: a.artists.map(artistRef),
    displayArtist: a.artists.join('; '),
    recordLabels: (first.label ?? []).map((name) => ({ name })),
    musicBrainzId: first.musicbrainz_albumid?.[0],
    releaseTypes: [...(first.releasetype ?? [])],
    moods: [...new Set(a.tracks.flatMap((t) => t.tags.mood ?? []))],
    sortName: first.albumsort?.[0],
    isCompilation: first.compilation?.[0] === '1',
    releaseDate: earliest(a, 'date'),
    originalReleaseDate: earliest(a, 'originaldate'),
    discTitles: [...discTitles].map(([disc, title]) => ({ disc, title })),
  };
}

/** An artist's albums; for one who is no album's artist (a guest, a composer), the albums they appear on. */
export const artistAlbums = (a: CatalogArtist): readonly CatalogAlbum[] =>
  a.albums.length > 0 ? a.albums : a.appearsOn;

export function artist(a: CatalogArtist, view: View): ArtistWithRating {
  const marks = view.marks.artists.get(a.name);
  const cover = a.albums.find((al) => al.artTrack) ?? a.appearsOn.find((al) => al.artTrack);
  return {
    id: artistId(a.name),
    name: a.name,
    coverArt: cover && albumId(cover.key),
    // The albums getArtist lists: a guest's are those they appear on, never "0 albums".
    albumCount: artistAlbums(a).length,
    starred: iso(marks?.starredAt),
    userRating: marks?.rating ?? undefined,
    sortName: a.sortName ?? undefined,
    roles: rolesOf(a),
  };
}

/** An album as a folder of the browsing by folder (a Child, isDir): under its album artist's folder, as
 *  the mount's default template files it ($albumartist/$album). */
export function albumFolder(a: CatalogAlbum, view: View): Child {
  const marks = view.marks.albums.get(a.key);
  const { plays, playedAt } = view.albumPlays(a);
  return {
    id: albumId(a.key),
    parent: a.artist === '' ? undefined : artistId(a.artist),
    isDir: true,
    title: a.name,
    album: a.name,
    artist: a.artists.join('; '),
    year: a.year ?? undefined,
    genre: a.genres[0],
    coverArt: a.artTrack && albumId(a.key),
    duration: Math.round(a.duration),
    playCount: plays,
    played: iso(playedAt),
    created: iso(a.addedAt),
    starred: iso(marks?.starredAt),
    userRating: marks?.rating ?? undefined,
    albumId: albumId(a.key),
    artistId: a.artist === '' ? undefined : artistId(a.artist),
    mediaType: 'album',
  };
}

/** An artist as a folder of the music folder (a Child, isDir). */
export function artistFolder(a: CatalogArtist, view: View): Child {
  const marks = view.marks.artists.get(a.name);
  return {
    id: artistId(a.name),
    isDir: true,
    title: a.name,
    artist: a.name,
    starred: iso(marks?.starredAt),
    userRating: marks?.rating ?? undefined,
    mediaType: 'artist',
  };
}
