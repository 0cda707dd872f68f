// The neighbours of "More like this" for the view's seed (similar-search.ts holds what is shown), asked
// again when the library changes.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useApp } from './app-context.tsx';
import { SimilarSearch, type SimilarSeed, type SimilarState } from './similar-search.ts';

/** Neighbours shown for a seed. */
const NEIGHBOURS = 25;

export function useSimilar(seed: SimilarSeed | null, includeCopies: boolean): SimilarState {
  const { backend, libraryVersion } = useApp();
  const [search] = useState(() => new SimilarSearch());
  const state = useSyncExternalStore(search.subscribe, () => search.state);
  // biome-ignore lint/correctness/useExhaustiveDependencies: asked again when the library changes
  useEffect(() => {
    if (!seed) return;
    search.ask({ seed, includeCopies }, (q) =>
      backend.client.call('similar.tracks', {
        seeds: q.seed.seeds,
        limit: NEIGHBOURS,
        includeDuplicates: q.includeCopies,
      }),
    );
    return () => search.drop();
  }, [backend, search, seed, includeCopies, libraryVersion]);
  return state;
}
