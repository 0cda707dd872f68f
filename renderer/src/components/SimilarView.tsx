// "More like this" beside the library map: the nearest tracks to a seed (a track, the selection, an
// album) with their distances and a play button; the map shows where they are, and a click on the map
// makes that track the seed.
import { useEffect, useRef, useState } from 'react';
import { MAP_COLOR_FIELDS, type Params, type Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount, formatDuration, formatNumber, trackTitle } from '../format.ts';
import { playNow, type Queue, type QueueItem, startRadio } from '../queue.ts';
import { queueItem } from '../queue-items.ts';
import { type MapColor, useMapPoints } from '../use-map-points.ts';
import { LibraryMap, PALETTE } from './LibraryMap.tsx';

export interface SimilarSeed {
  readonly label: string;
  readonly seeds: Params<'similar.tracks'>['seeds'];
}

const NEIGHBOURS = 25;

interface Props {
  readonly seed: SimilarSeed | null;
  onSeed(seed: SimilarSeed): void;
  onPlay(item: QueueItem): void;
  onQueue(update: (q: Queue) => Queue): void;
}

/** Seeds a radio starts with (a larger selection starts with its neighbours only). */
const MAX_RADIO_SEEDS = 20;
/** Nearest neighbours a radio starts with; it asks for more (like the last tracks played) as it goes. */
const RADIO_START = 5;

/** 1 for the same sound, 0 for nothing in common (cosine distances run 0–2; unrelated music sits near 1). */
const closeness = (distance: number): number => Math.max(0, Math.min(1, 1 - distance));

/** How alike two tracks sound, in words: the distance a listener would not read. */
function alikeWords(distance: number): string {
  if (distance < 0.1) return 'the same sound';
  if (distance < 0.45) return 'very alike';
  if (distance < 0.75) return 'alike';
  return 'a little alike';
}

export function SimilarView({ seed, onSeed, onPlay, onQueue }: Props) {
  const { backend, fail, libraryVersion } = useApp();
  const [includeCopies, setIncludeCopies] = useState(false);
  const [found, setFound] = useState<Result<'similar.tracks'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const { color, setColor, map } = useMapPoints();

  /** The question the shown neighbours answer: a library change asks it again, a new seed asks another. */
  const asked = useRef<{ seed: SimilarSeed; includeCopies: boolean } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the library changes
  useEffect(() => {
    if (!seed) return;
    let live = true;
    setProblem(null);
    if (asked.current?.seed !== seed || asked.current.includeCopies !== includeCopies) {
      // Never the last seed's neighbours under this one's heading; the same question asked again (the
      // library changed, as during a scan) keeps its answer on screen until the new one comes.
      setLoading(true);
      setFound(null);
    }
    asked.current = { seed, includeCopies };
    backend.client
      .call('similar.tracks', { seeds: seed.seeds, limit: NEIGHBOURS, includeDuplicates: includeCopies })
      .then(
        (r) => live && setFound(r),
        (err: Error) => {
          if (!live) return;
          setFound(null);
          setProblem(err.message);
        },
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [backend, seed, includeCopies, libraryVersion]);

  const selected = seed?.seeds.kind === 'ids' && seed.seeds.ids.length === 1 ? seed.seeds.ids[0]! : null;
  const neighbours = found?.tracks.map((t) => queueItem(t.track)) ?? [];
  /** The seed tracks, then their neighbours; it refills with recordings like the last ones played. */
  const playRadio = async () => {
    if (!seed) return;
    const ids = seed.seeds.kind === 'ids' && seed.seeds.ids.length <= MAX_RADIO_SEEDS ? seed.seeds.ids : [];
    const rows = ids.length > 0 ? (await backend.client.call('library.rows', { ids })).rows : [];
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
          <ol className="neighbours" aria-label="Similar tracks">
            {found.tracks.map(({ track, distance, sameRecording }) => {
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
                    <span
                      className="alike-bar"
                      style={{ width: `${Math.round(closeness(distance) * 100)}%` }}
                    />
                    <span className="alike-words">{alikeWords(distance)}</span>
                  </span>
                  <span className="neighbour-title">
                    {title}
                    <span className="dim">
                      {' '}
                      · {[track.tags.artist, track.tags.album].filter(Boolean).join(' · ')}
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
        )}
      </div>
      <div className="map-panel">
        <div className="view-toolbar">
          <label>
            Colour by{' '}
            <select value={color} onChange={(e) => setColor(e.target.value as MapColor)}>
              {MAP_COLOR_FIELDS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
          {map && map.count > 0 && (
            <span
              className="dim"
              title={`The map keeps about ${Math.round((map.explained[0] + map.explained[1]) * 100)} % of how your tracks differ in sound; the rest does not fit on a flat picture, so two tracks far apart here may still share something.`}
            >
              {formatCount(map.count, 'track')} · tracks that sound alike lie close together
              {map.explained[0] + map.explained[1] < 0.3
                ? ' (a rough picture: your music varies in many ways)'
                : ''}
            </span>
          )}
        </div>
        {map && map.count === 0 && (
          <div className="empty">No analysed tracks yet: a scan analyses each track’s sound for the map.</div>
        )}
        {map && map.count > 0 && (
          <>
            <LibraryMap
              points={map}
              selected={selected}
              marked={found?.tracks.map((t) => t.track.id) ?? []}
              onPick={(id) =>
                backend.client.call('library.rows', { ids: [id] }).then((r) => {
                  const row = r.rows[0];
                  const title = row && trackTitle(row);
                  onSeed({ label: title ? `“${title}”` : `track ${id}`, seeds: { kind: 'ids', ids: [id] } });
                }, fail)
              }
            />
            <ul className="map-legend" aria-label="Legend">
              {map.categories.map((c, i) => (
                <li key={c.name}>
                  <span className="swatch" style={{ background: PALETTE[i] }} />
                  {c.name} <span className="dim">{formatNumber(c.tracks)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
