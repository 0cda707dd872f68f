// Recordings holding part of another (an extended version and the track inside it): not copies, so both
// are listed everywhere; this says how they relate, below the Duplicates view's groups.
import { useEffect, useState } from 'react';
import { relationSentence } from '../../../app/shared/relation-words.ts';
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';

const SHOWN = 50;

const named = (f: { title: string | null; path: string }) =>
  `“${f.title ?? f.path.slice(f.path.lastIndexOf('/') + 1)}”`;

export function RelatedRecordings() {
  const { backend, fail, libraryVersion } = useApp();
  const [data, setData] = useState<Result<'dup.related'> | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the library changes
  useEffect(() => {
    let live = true;
    backend.client.call('dup.related', { offset: 0, limit: SHOWN }).then((r) => live && setData(r), fail);
    return () => {
      live = false;
    };
  }, [backend, fail, libraryVersion]);
  if (!data || data.total === 0) return null;
  return (
    <section className="dup-related" aria-label="Related recordings">
      <h3>
        Related recordings <span className="dim">· {formatCount(data.total, 'pair')}</span>
      </h3>
      <p className="dim">Not copies: each is listed on its own.</p>
      <ul>
        {data.relations.map((r) => (
          <li key={`${r.longer.id} ${r.shorter.id}`}>{relationSentence(r, named)}</li>
        ))}
      </ul>
      {data.total > SHOWN && (
        <p className="dim">and {data.total - SHOWN} more (sleeve dup --related lists them all)</p>
      )}
    </section>
  );
}
