// "Did you mean": for a query that lists nothing, the same query with each value that looks mistyped put
// right as the library spells it (library.closer), asked again when the library changes (a value added).
import { useEffect, useState } from 'react';
import { useApp } from './app-context.tsx';

/** How long the query must stay as typed before the closer one is asked for. */
const ASK_AFTER_MS = 300;

/** The closer query for `query`, a query that lists nothing; null while asked, or when there is none. */
export function useCloserQuery(query: string): string | null {
  const { backend, libraryVersion } = useApp();
  const [closer, setCloser] = useState<{ query: string; closer: string | null } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: asked again whenever the library changes
  useEffect(() => {
    let live = true;
    // Asked once the typing pauses: each query typed that lists nothing would otherwise queue a pass over
    // a field's values (up to 0.1 s at 100,000) on the counts' reader, ahead of the counts.
    const asking = setTimeout(() => {
      // A failure leaves the list's own "No tracks match": the suggestion is a help, not the answer.
      backend.client.call('library.closer', { query }).then(
        (r) => live && setCloser({ query, closer: r.query }),
        () => live && setCloser(null),
      );
    }, ASK_AFTER_MS);
    return () => {
      live = false;
      clearTimeout(asking);
    };
  }, [backend.client, query, libraryVersion]);
  return closer?.query === query ? closer.closer : null;
}
