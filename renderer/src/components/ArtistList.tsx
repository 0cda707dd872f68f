// Artists of the current query with their track and album counts, virtualized.
import { useState } from 'react';
import { exactTerm } from '../../../app/shared/query.ts';
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { UNKNOWN_ARTIST } from '../../../app/shared/unknown-names.ts';
import { useApp, useWindowStore } from '../app-context.tsx';
import { formatCount, withFiles } from '../format.ts';
import { useViewport } from '../use-viewport.ts';

type Artist = Result<'library.artists'>['artists'][number];
const ROW = 36;
/** An artist's tracks album by album, oldest first, each in play order (by path, an album whose kept
 *  copies sit in two folders was split). */
const ARTIST_ORDER = 'date+ album+ tracknumber+';

export function ArtistList({
  query,
  onePerRecording,
  onOpen,
}: {
  query: string;
  /** Counted over each recording's kept copy (else over every file), as the Tracks view lists them. */
  onePerRecording: boolean;
  onOpen(query: string): void;
}) {
  const { backend } = useApp();
  const store = useWindowStore<Artist>(`artists:${onePerRecording}:${query}`, (offset, limit) =>
    backend.client
      .call('library.artists', { query, offset, limit, onePerRecording })
      .then((r) => ({ total: r.total, items: r.artists })),
  );
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const total = store.total ?? 0;
  const view = useViewport(scroller, ROW, store);
  if (store.total === 0)
    return (
      <div className="empty">No artists {query ? 'match this query' : 'yet: add a folder in Scan'}.</div>
    );
  const rows = [];
  for (let i = view.first; i <= view.last; i++) {
    const a = store.get(i);
    rows.push(
      <button
        type="button"
        key={i}
        className="artist-row"
        style={{ top: i * ROW }}
        disabled={!a}
        onClick={() => a && onOpen(a.name ? `${exactTerm('artist', a.name)} ${ARTIST_ORDER}` : '^artist:')}
      >
        <span className={`artist-name${a?.name === '' ? ' unknown' : ''}`}>
          {a ? a.name || UNKNOWN_ARTIST : '…'}
        </span>
        <span className="artist-counts">
          {a ? `${formatCount(a.albums, 'album')} · ${withFiles(a.tracks, a.files)}` : ''}
        </span>
      </button>,
    );
  }
  return (
    <section ref={setScroller} className="artist-list" aria-label="Artists">
      <div style={{ height: total * ROW }} />
      {rows}
    </section>
  );
}
