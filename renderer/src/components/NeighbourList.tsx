// A seed's nearest tracks, nearest first: how alike each sounds, in a bar and in words, and buttons to
// play it or look for more like it.
import { formatName } from '../../../app/shared/format-names.ts';
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { formatDuration, trackTitle } from '../format.ts';
import type { QueueItem } from '../queue.ts';
import { queueItem } from '../queue-items.ts';
import { alikeWords, closeness, type SimilarSeed } from '../similar-search.ts';

interface Props {
  readonly tracks: Result<'similar.tracks'>['tracks'];
  onPlay(item: QueueItem): void;
  onSeed(seed: SimilarSeed): void;
}

export function NeighbourList({ tracks, onPlay, onSeed }: Props) {
  return (
    <ol className="neighbours" aria-label="Similar tracks">
      {tracks.map(({ track, distance, sameRecording }) => {
        const title = trackTitle(track);
        return (
          <li key={track.id}>
            <button type="button" aria-label={`Play ${title}`} onClick={() => onPlay(queueItem(track))}>
              ▶
            </button>
            <span
              className="alike"
              title={`How alike they sound, from each track’s analysed sound (distance ${distance.toFixed(3)})`}
            >
              <span className="alike-bar" style={{ width: `${Math.round(closeness(distance) * 100)}%` }} />
              <span className="alike-words">{alikeWords(distance)}</span>
            </span>
            {/* The format and the path name the copy: copies of a recording (listed when asked for) share
                the rest. */}
            <span className="neighbour-title" title={track.path}>
              {title}
              <span className="dim">
                {' '}
                ·{' '}
                {[track.tags.artist, track.tags.album, formatName(track.format, track.codec)]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
              {sameRecording && <span className="badge">same recording</span>}
            </span>
            <span className="dim">{formatDuration(track.duration)}</span>
            <button
              type="button"
              className="link"
              onClick={() => onSeed({ label: `“${title}”`, seeds: { kind: 'ids', ids: [track.id] } })}
            >
              more like this
            </button>
          </li>
        );
      })}
    </ol>
  );
}
