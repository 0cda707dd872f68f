// The library map's points, coloured by the field chosen (genre or artist): asked again when the colour
// changes and when the library does.
import { useEffect, useState } from 'react';
import type { MAP_COLOR_FIELDS } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { decodeMap, type MapPoints } from './components/LibraryMap.tsx';

export type MapColor = (typeof MAP_COLOR_FIELDS)[number];

export function useMapPoints() {
  const { backend, fail, libraryVersion } = useApp();
  const [color, setColor] = useState<MapColor>('genre');
  const [map, setMap] = useState<MapPoints | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the library changes
  useEffect(() => {
    let live = true;
    backend.client.call('map.points', { color }).then((r) => live && setMap(decodeMap(r)), fail);
    return () => {
      live = false;
    };
  }, [backend, color, fail, libraryVersion]);
  return { color, setColor, map };
}
