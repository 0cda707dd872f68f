// "Did you mean": for a query that lists nothing, the same query with each value that looks mistyped put
// right as the library spells it (library.closer), asked again when the library changes (a value added).
import { useEffect, useState } from 'react';
import { useApp } from './app-context.tsx';

/** The closer query for `query`, a query that lists nothing; null while asked, or when there is none. */
export function useCloserQuery(query: string): string | null {
  const { backend, libraryVersion } = useApp();
  const [closer, setCloser] = useState<{ query: string; closer: string | null } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: asked again whenever the library changes
  useEffect(() => {
    let live = true;
    // A failure leaves the list's own "No tracks match": the suggestion is a help, not the answer.
    backend.client.call('library.closer', { query }).then(
      (r) => live && setCloser({ query, closer: r.query }),
      () => live && setCloser(null),
    );
    return () => {
      live = false;
    };
  }, [backend.client, query, libraryVersion]);
  return closer?.query === query ? closer.closer : null;
}
