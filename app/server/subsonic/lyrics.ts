// Lyrics (the songLyrics extension): getLyricsBySongId gives every set a song has — its tags', its .lrc's
// — synced where they are (app/core/library/lyrics.ts); getLyrics, the protocol's first, finds a song by
// artist and title and gives its first set as plain text.
import type { FileLanes } from '../../../kit/file-lanes.ts';
import type { Db } from '../../core/db/database.ts';
import { fold } from '../../core/db/fold.ts';
import type { CatalogTrack } from '../../core/library/catalog-groups.ts';
import { lyricsOf } from '../../core/library/lyrics.ts';
import { findTrack } from './browse.ts';
import type { Params } from './params.ts';
import type { Fields } from './response.ts';
import type { View } from './view.ts';

const titleOf = (t: CatalogTrack) => t.title;
const artistOf = (t: CatalogTrack) => (t.tags.artist ?? []).join('; ');

export async function getLyricsBySongId(db: Db, files: FileLanes, view: View, p: Params): Promise<Fields> {
  const track = findTrack(view, p.required('id'));
  const all = await lyricsOf(db, files, track.id);
  return {
    lyricsList: {
      structuredLyrics: all.map((l) => ({
        displayArtist: artistOf(track),
        displayTitle: titleOf(track),
        // Neither a tag nor an .lrc says the language of its words.
        lang: 'und',
        offset: l.offset,
        synced: l.synced,
        line: l.lines.map((x) =>
          x.start === undefined ? { value: x.value } : { start: x.start, value: x.value },
        ),
      })),
    },
  };
}

export async function getLyrics(db: Db, files: FileLanes, view: View, p: Params): Promise<Fields> {
  const artist = fold(p.get('artist') ?? '');
  const title = fold(p.get('title') ?? '');
  // None found: an empty value (the description requires one).
  if (title === '') return { lyrics: { value: '' } };
  for (const t of view.groups.tracks) {
    if (fold(titleOf(t)) !== title) continue;
    if (artist !== '' && !t.artists.some((a) => fold(a) === artist) && fold(artistOf(t)) !== artist) continue;
    const [first] = await lyricsOf(db, files, t.id);
    if (!first) continue;
    return {
      lyrics: { artist: artistOf(t), title: titleOf(t), value: first.lines.map((l) => l.value).join('\n') },
    };
  }
  return { lyrics: { value: '' } };
}
