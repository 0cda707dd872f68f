// Albums of the current query as a grid of covers, virtualized by rows of tiles; the arrow keys move
// between tiles (a tile not drawn yet is scrolled to, then focused), Enter opens one.
import { type KeyboardEvent, useState } from 'react';
import { exactTerm } from '../../../app/shared/query.ts';
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { UNKNOWN_ALBUM, UNKNOWN_ARTIST } from '../../../app/shared/unknown-names.ts';
import { useApp, useWindowStore } from '../app-context.tsx';
import { focusWhenShown } from '../focus-when-shown.ts';
import { withFiles } from '../format.ts';
import { gridMovedTo } from '../table-keys.ts';
import { scrollIntoView, useViewport } from '../use-viewport.ts';

type Album = Result<'library.albums'>['albums'][number];

/** The query that lists an album's tracks in play order (disc, then track: by path, an album whose kept
 *  copies sit in two folders listed one folder's first); the tracks without an album or artist are found
 *  by absence, in path order. */
function albumQuery(album: Album): string {
  const title = album.album ? exactTerm('album', album.album) : '^album:';
  const artist = album.albumartist
    ? exactTerm(album.artistField, album.albumartist)
    : '^albumartist: ^artist:';
  return album.album ? `${title} ${artist} tracknumber+` : `${title} ${artist}`;
}

const TILE_WIDTH = 184;
const TILE_HEIGHT = 236;

export function AlbumGrid({
  query,
  onePerRecording,
  onOpen,
}: {
  query: string;
  /** Albums of each recording's kept copy (else of every file), as the Tracks view lists them. */
  onePerRecording: boolean;
  onOpen(query: string): void;
}) {
  const { backend } = useApp();
  const store = useWindowStore<Album>(
    `albums:${onePerRecording}:${query}`,
    (offset, limit) =>
      backend.client
        .call('library.albums', { query, offset, limit, onePerRecording })
        .then((r) => ({ total: r.total, items: r.albums })),
    60,
  );
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const { first, last, perRow, rowCount } = useViewport(scroller, TILE_HEIGHT, store, {
    itemWidth: TILE_WIDTH,
    overscan: 2,
  });
  const total = store.total ?? 0;
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const at = Number((e.target as HTMLElement).dataset.index);
    const to = Number.isInteger(at) ? gridMovedTo(e.key, at, perRow, total) : undefined;
    if (to === undefined) return;
    e.preventDefault();
    scrollIntoView(scroller, Math.floor(to / perRow), TILE_HEIGHT);
    focusWhenShown(e.currentTarget.ownerDocument, `.album-grid [data-index="${to}"]`);
  };

  if (store.total === 0)
    return <div className="empty">No albums {query ? 'match this query' : 'yet: add a folder in Scan'}.</div>;
  const tiles = [];
  for (let r = first; r <= last; r++) {
    for (let c = 0; c < perRow; c++) {
      const i = r * perRow + c;
      if (i >= total) break;
      const album = store.get(i);
      tiles.push(
        <button
          type="button"
          key={i}
          data-index={i}
          className="album-tile"
          style={{ top: r * TILE_HEIGHT, left: c * TILE_WIDTH }}
          disabled={!album}
          onClick={() => album && onOpen(albumQuery(album))}
        >
          <div className="cover">
            {album?.art ? (
              <img src={backend.artUrl(album.art)} alt="" loading="lazy" />
            ) : (
              <span className="no-cover">♪</span>
            )}
          </div>
          <div className={`album-title${album?.album === '' ? ' unknown' : ''}`} title={album?.album}>
            {album ? album.album || UNKNOWN_ALBUM : '…'}
          </div>
          <div className="album-artist" title={album?.albumartist}>
            {album ? `${album.albumartist || UNKNOWN_ARTIST}${album.year ? ` · ${album.year}` : ''}` : ''}
          </div>
          <div className="album-count">{album ? withFiles(album.tracks, album.files) : ''}</div>
        </button>,
      );
    }
  }
  return (
    <section ref={setScroller} className="album-grid" aria-label="Albums" onKeyDown={onKeyDown}>
      <div style={{ height: rowCount * TILE_HEIGHT }} />
      {tiles}
    </section>
  );
}
