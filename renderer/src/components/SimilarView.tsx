// "More like this" beside the library map: the nearest tracks to a seed (a track, the selection, an
// album) with their distances and a play button; the map shows where they are, and a click on the map
// makes that track the seed.
import { useState } from 'react';
import { useApp } from '../app-context.tsx';
import { playNow, type Queue, type QueueItem, startRadio } from '../queue.ts';
import { queueItem } from '../queue-items.ts';
import { radioSeedIds, type SimilarSeed } from '../similar-search.ts';
import { useSimilar } from '../use-similar.ts';
import { NeighbourList } from './NeighbourList.tsx';
import { SimilarMap } from './SimilarMap.tsx';

interface Props {
  readonly seed: SimilarSeed | null;
  onSeed(seed: SimilarSeed): void;
  onPlay(item: QueueItem): void;
  onQueue(update: (q: Queue) => Queue): void;
}

/** Nearest neighbours a radio starts with; it asks for more (like the last tracks played) as it goes. */
const RADIO_START = 5;

export function SimilarView({ seed, onSeed, onPlay, onQueue }: Props) {
  const { backend, fail } = useApp();
  const [includeCopies, setIncludeCopies] = useState(false);
  const { found, problem, loading } = useSimilar(seed, includeCopies);
  const neighbours = found?.tracks.map((t) => queueItem(t.track)) ?? [];
  /** The seed tracks, then their neighbours; it refills with recordings like the last ones played. */
  const playRadio = async () => {
    if (!seed) return;
    const ids = radioSeedIds(seed);
    const rows = ids.length > 0 ? (await backend.client.call('library.rows', { ids: [...ids] })).rows : [];
    onQueue((q) => startRadio(q, seed.label, [...rows.map(queueItem), ...neighbours.slice(0, RADIO_START)]));
  };
  return (
    <section className="similar-view" aria-label="Similar">
      <div className="similar-list">
        <div className="view-toolbar">
          <h2>{seed ? `More like ${seed.label}` : 'More like this'}</h2>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={includeCopies}
              onChange={(e) => setIncludeCopies(e.target.checked)}
            />
            Include other copies of the same recording
          </label>
          <button
            type="button"
            className="primary"
            disabled={!found || found.tracks.length === 0}
            title="Plays these and keeps adding recordings like the last ones played"
            onClick={() => void playRadio().catch(fail)}
          >
            Play as radio
          </button>
          <button
            type="button"
            disabled={neighbours.length === 0}
            onClick={() => onQueue((q) => playNow(q, neighbours))}
          >
            Play all
          </button>
        </div>
        {!seed && (
          <div className="empty">
            Pick a track on the map, or select tracks or an album and choose “More like this”.
          </div>
        )}
        {seed && loading && (
          <div className="loading" aria-busy="true">
            Finding similar tracks… (the first search after a scan brings the similarity index up to date)
          </div>
        )}
        {seed && problem && <div className="problem">{problem}</div>}
        {seed && !problem && found?.tracks.length === 0 && (
          <div className="empty">No similar tracks found.</div>
        )}
        {seed && !problem && found && found.tracks.length > 0 && (
          <NeighbourList tracks={found.tracks} onPlay={onPlay} onSeed={onSeed} />
        )}
      </div>
      <SimilarMap seed={seed} marked={found?.tracks.map((t) => t.track.id) ?? []} onSeed={onSeed} />
    </section>
  );
}
