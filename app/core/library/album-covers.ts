// The album grid's covers. Listing every album names, for each, its first track that may show a picture
// (pictures of its own, or an edit that gave it some): exact for a whole library would cost each track's
// newest picture edit (6 % of a listing at 60k tracks). A page's albums are checked exactly instead: when
// the newest edit of the track named took its pictures away, the album shows its next track's that has any.
import type { Grouped } from './albums.ts';
import { type ArtStore, PICTURE_TYPES, type PictureInfo } from './art.ts';

/** The hash of the picture an album shows: its front cover, else its first picture; null for none. */
export function albumCover(
  art: ArtStore,
  album: Grouped<{ readonly artFileId: number | null }>,
): string | null {
  const named = album.entry.artFileId;
  if (named === null) return null;
  let pictures = art.pictures(named);
  if (pictures.length === 0) pictures = firstWithPictures(art, album.members, named);
  return (pictures.find((p) => p.type === PICTURE_TYPES.front) ?? pictures[0])?.hash ?? null;
}

/** The pictures of the first of `members` (by id, as the listing names them) other than `named` that
 *  shows any. */
function firstWithPictures(art: ArtStore, members: Int32Array, named: number): PictureInfo[] {
  const others = members.filter((id) => id !== named).sort();
  const found = art.picturesOf([...others]);
  for (const id of others) {
    const pictures = found.get(id);
    if (pictures) return pictures;
  }
  return [];
}
