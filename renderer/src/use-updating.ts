// Tracks whose views the backend is still bringing up to date after a large edit (library.updating): the
// footer says "updating…" until none are left. A reconnect starts from none: a backend that starts with
// work left says so with its first slice.
import { useEffect, useState } from 'react';
import type { Backend } from './backend.ts';

export function useUpdating(backend: Backend): number {
  const [tracks, setTracks] = useState(0);
  useEffect(() => {
    const offState = backend.client.onState((state) => {
      if (state !== 'open') setTracks(0);
    });
    const offUpdating = backend.client.on('library.updating', (e) => setTracks(e.tracks));
    return () => {
      offState();
      offUpdating();
    };
  }, [backend]);
  return tracks;
}
