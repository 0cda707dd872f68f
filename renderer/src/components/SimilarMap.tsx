// The library map beside "More like this": every analysed track placed by how it sounds, coloured by a
// field, the seed and its neighbours marked; a click on a track makes it the seed.
import { MAP_COLOR_FIELDS } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount, formatNumber, trackTitle } from '../format.ts';
import type { SimilarSeed } from '../similar-search.ts';
import { type MapColor, useMapPoints } from '../use-map-points.ts';
import { LibraryMap, PALETTE } from './LibraryMap.tsx';

interface Props {
  readonly seed: SimilarSeed | null;
  /** The neighbours shown. */
  readonly marked: readonly number[];
  onSeed(seed: SimilarSeed): void;
}

export function SimilarMap({ seed, marked, onSeed }: Props) {
  const { backend, fail } = useApp();
  const { color, setColor, map } = useMapPoints();
  const selected = seed?.seeds.kind === 'ids' && seed.seeds.ids.length === 1 ? seed.seeds.ids[0]! : null;
  const kept = map ? map.explained[0] + map.explained[1] : 0;
  return (
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
            title={`The map keeps about ${Math.round(kept * 100)} % of how your tracks differ in sound; the rest does not fit on a flat picture, so two tracks far apart here may still share something.`}
          >
            {formatCount(map.count, 'track')} · tracks that sound alike lie close together
            {kept < 0.3 ? ' (a rough picture: your music varies in many ways)' : ''}
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
            marked={marked}
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
  );
}
