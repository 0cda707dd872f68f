// "More like this" from Sleeve's embeddings: getSimilarSongs2 and getSimilarSongs (near an artist's, an
// album's or a song's sound), the similar artists of getArtistInfo2 and getArtistInfo, and OpenSubsonic's sonicSimilarity extension — getSonicSimilarTracks (with each track's
// similarity, 1 the same sound, 0 the opposite) and findSonicPath (from one song to another through
// sound). Only the tracks a player is given are answered: one per recording, its kept copy.
import { SimilarityError } from '../../core/similar/similar.ts';
import type { SimilarityService } from '../similarity-service.ts';
import { findAlbum, findArtist, findTrack } from './browse.ts';
import { ERROR, SubsonicError } from './errors.ts';
import { parseId } from './ids.ts';
import type { Params } from './params.ts';
import type { Fields } from './response.ts';
import { artist, artistAlbums, song } from './shape.ts';
import type { View } from './view.ts';

/** Most tracks one answer gives, and most seeds an artist or album averages. */
const MAX_COUNT = 500;
const MAX_SEEDS = 200;

async function protocolError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof SimilarityError) throw new SubsonicError(ERROR.notFound, err.message);
    throw err;
  }
}

/** The served tracks of an artist, an album or a song. */
function seedsOf(view: View, text: string): number[] {
  const { kind } = parseId(text, ['tr', 'al', 'ar']);
  if (kind === 'tr') return [findTrack(view, text).id];
  const albums = kind === 'al' ? [findAlbum(view, text)] : artistAlbums(findArtist(view, text));
  return albums.flatMap((a) => a.tracks.map((t) => t.id)).slice(0, MAX_SEEDS);
}

/** The nearest served tracks: asked for a few more, as some found may not be served now. None when the
 *  seeds have no vector yet (not analysed, too short): the protocol's empty list, as a server without
 *  similarity answers, not an error a client shows. */
async function nearest(similarity: SimilarityService, view: View, seeds: number[], count: number) {
  const found = await similarity
    .nearest(seeds, { limit: count + 10, includeDuplicates: false })
    .catch((err: unknown) => {
      if (err instanceof SimilarityError) return [];
      throw err;
    });
  const served = view.groups.albumOf;
  return found.filter((f) => served.has(f.fileId)).slice(0, count);
}

export async function getSimilarSongs2(
  similarity: SimilarityService,
  view: View,
  p: Params,
): Promise<Fields> {
  const count = p.int('count', 50, 1, MAX_COUNT);
  const found = await nearest(similarity, view, seedsOf(view, p.required('id')), count);
  return { similarSongs2: { song: found.map((f) => song(view.track(f.fileId)!, view)) } };
}

/** getSimilarSongs2's answer under the protocol's first name for it. */
export async function getSimilarSongs(similarity: SimilarityService, view: View, p: Params): Promise<Fields> {
  const { similarSongs2 } = (await getSimilarSongs2(similarity, view, p)) as { similarSongs2: Fields };
  return { similarSongs: similarSongs2 };
}

/** Most songs near an artist's looked at to name similar artists. */
const NEAR_FOR_ARTISTS = 200;

/**
 * What the library knows of an artist (never the web; no biography, no pictures): the artists whose songs
 * sound nearest to its own (Sleeve's embeddings), the nearest first. `v1`: artistInfo, else artistInfo2.
 */
export async function artistInfo(
  similarity: SimilarityService,
  view: View,
  p: Params,
  v1: boolean,
): Promise<Fields> {
  const a = findArtist(view, p.required('id'));
  const count = p.int('count', 20, 0, MAX_COUNT);
  const seeds = artistAlbums(a)
    .flatMap((al) => al.tracks.map((t) => t.id))
    .slice(0, MAX_SEEDS);
  const similar: string[] = [];
  if (count > 0 && seeds.length > 0) {
    // The rest of what is known of the artist is answered whatever befalls the similarity table.
    const near = await nearest(similarity, view, seeds, NEAR_FOR_ARTISTS).catch(() => []);
    for (const f of near) {
      const albumArtist = view.groups.albumOf.get(f.fileId)?.artist;
      if (albumArtist && albumArtist !== a.name && !similar.includes(albumArtist)) similar.push(albumArtist);
      if (similar.length >= count) break;
    }
  }
  const artists = similar.flatMap((name) => {
    const found = view.groups.artists.get(name);
    return found ? [artist(found, view)] : [];
  });
  return {
    [v1 ? 'artistInfo' : 'artistInfo2']: { similarArtist: artists },
  };
}

export async function getSonicSimilarTracks(
  similarity: SimilarityService,
  view: View,
  p: Params,
): Promise<Fields> {
  const count = p.int('count', 10, 1, MAX_COUNT);
  const seed = findTrack(view, p.required('id')).id;
  const found = await nearest(similarity, view, [seed], count);
  return {
    sonicMatch: found.map((f) => ({
      entry: song(view.track(f.fileId)!, view),
      similarity: Math.round((1 - f.distance / 2) * 1e4) / 1e4,
    })),
  };
}

export async function findSonicPath(similarity: SimilarityService, view: View, p: Params): Promise<Fields> {
  const start = findTrack(view, p.required('startSongId')).id;
  const end = findTrack(view, p.required('endSongId')).id;
  const count = p.int('count', 25, 2, MAX_COUNT);
  const served = view.groups.albumOf;
  const steps = await protocolError(() => similarity.path({ start, end, count }, (id) => served.has(id)));
  return {
    sonicMatch: steps.map((s) => ({
      entry: song(view.track(s.fileId)!, view),
      similarity: Math.round(s.similarity * 1e4) / 1e4,
    })),
  };
}
