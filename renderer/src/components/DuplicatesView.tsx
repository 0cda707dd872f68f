// Recording groups: every copy of a recording with what tells them apart, the suggested copy to keep,
// "Keep this copy" stored in the library, and "Not this recording" to split a copy out (an undoable edit
// batch). Groups come a page at a time; the query bar (the Tracks view's language) keeps the groups with a
// copy that matches.
import { useEffect, useState } from 'react';
import { DUPLICATE_FILTERS, type DuplicateGroup, type Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { withGroup, withKept } from '../duplicate-groups.ts';
import { formatCount } from '../format.ts';
import { type InputProblem, remoteProblem } from '../input-problem.ts';
import type { QueueItem } from '../queue.ts';
import { queueItemsFor } from '../queue-items.ts';
import { CopyRules } from './CopyRules.tsx';
import { QueryBar } from './QueryBar.tsx';
import { RecordingCopies } from './RecordingCopies.tsx';
import { RelatedRecordings } from './RelatedRecordings.tsx';

const PAGE = 20;
const FILTER_LABELS: Record<(typeof DUPLICATE_FILTERS)[number], string> = {
  all: 'All groups',
  exact: 'Byte-identical copies',
  partial: 'Partial copies',
};
/** What the recordings each filter lists have, as the count above them says it. */
const FILTER_COUNTED: Record<(typeof DUPLICATE_FILTERS)[number], string> = {
  all: 'with more than one copy',
  exact: 'with byte-identical copies',
  partial: 'with a partial copy',
};

type Member = DuplicateGroup['members'][number];

/** A page of the duplicate groups the filter and query ask for, asked again as the library changes; a
 *  query the backend refused with a position (an unknown field) is marked in the query bar. */
function useDuplicateGroups(filter: Filter, query: string, page: number) {
  const { backend, fail, libraryVersion } = useApp();
  const [queryProblem, setQueryProblem] = useState<InputProblem | undefined>();
  const [data, setData] = useState<Result<'dup.groups'> | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the library changes
  useEffect(() => {
    let live = true;
    backend.client.call('dup.groups', { filter, query, offset: page * PAGE, limit: PAGE }).then(
      (r) => {
        if (!live) return;
        setData(r);
        setQueryProblem(undefined);
      },
      (err: unknown) => {
        if (!live) return;
        const problem = remoteProblem(err);
        if (problem) setQueryProblem(problem);
        else fail(err);
      },
    );
    return () => {
      live = false;
    };
  }, [backend, filter, query, page, fail, libraryVersion]);
  return { data, setData, queryProblem };
}

export function DuplicatesView({
  onPlay,
  onUndo,
}: {
  onPlay(item: QueueItem): void;
  onUndo(batchId: number): void;
}) {
  const { backend, fail, toast, saved } = useApp();
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);
  const { data, setData, queryProblem } = useDuplicateGroups(filter, query, page);

  const prefer = (m: Member, keep: boolean) => {
    if (keep) setData((d) => d && withKept(d, m.id)); // shown at once (duplicate-groups.ts)
    return backend.client
      .call('dup.prefer', { id: m.id, prefer: keep })
      .then(({ batch, keptNewer: _, ...group }) => {
        setData((d) => d && withGroup(d, group));
        // The Keep is in the history: said with its undo (the edits carried with it, and the fields not
        // carried, in its description).
        if (batch) saved(batch.description, batch.id, onUndo);
        else toast('info', 'Already your choice');
      }, fail);
  };

  /** Takes a copy out of its group for good; the list reloads as the library changes. */
  const split = (m: Member) =>
    backend.client
      .call('dup.split', { id: m.id })
      .then((r) => saved(r.batch.description, r.batch.id, onUndo), fail);

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE)) : 1;
  return (
    <section className="duplicates-view" aria-label="Duplicates">
      <div className="view-toolbar">
        <QueryBar
          value={query}
          onQuery={(q) => {
            setQuery(q);
            setPage(0);
          }}
          onValidity={() => {}}
          remoteProblem={queryProblem}
        />
        <FilterChoice
          filter={filter}
          onFilter={(f) => {
            setFilter(f);
            setPage(0);
          }}
        />
        {data && (
          <span className="dim">
            {formatCount(data.total, 'recording')} {FILTER_COUNTED[filter]}
            {query ? ', one of them matching' : ''}
          </span>
        )}
        <Pager page={page} pages={pages} onPage={setPage} />
      </div>
      <CopyRules onUndo={onUndo} />
      {!data && <div className="loading">Loading duplicates…</div>}
      {data?.total === 0 && <div className="empty">{emptyText(filter, query)}</div>}
      {data?.missingChoices.map((m) => (
        <p key={m.id} className="hint" role="status">
          Your choice, track {m.id}, is missing on disk ({m.path}): its recording keeps the best copy present
          until it returns.
        </p>
      ))}
      <div className="dup-groups">
        {data?.groups.map((g) => (
          <RecordingCopies
            key={g.group}
            group={g}
            onKeep={(m, keep) => void prefer(m, keep)}
            onSplit={(m) => void split(m)}
            onPlay={(m) =>
              // Its row, for the queue item the other views make (its ReplayGain too).
              queueItemsFor(backend.client, [m.id]).then(([item]) => item && onPlay(item), fail)
            }
          />
        ))}
      </div>
      {filter === 'all' && page === 0 && !query && <RelatedRecordings />}
    </section>
  );
}

type Filter = (typeof DUPLICATE_FILTERS)[number];

/** Which groups show: all, those with byte-identical copies, those with partial copies. */
function FilterChoice({ filter, onFilter }: { filter: Filter; onFilter(filter: Filter): void }) {
  return (
    <div role="radiogroup" aria-label="Show">
      {DUPLICATE_FILTERS.map((f) => (
        <label key={f} className="radio">
          <input type="radio" name="dup-filter" checked={filter === f} onChange={() => onFilter(f)} />
          {FILTER_LABELS[f]}
        </label>
      ))}
    </div>
  );
}

/** What an empty list says: no duplicates at all, none of the filter's kind, or none matching the query. */
function emptyText(filter: Filter, query: string): string {
  if (query)
    return `No ${filter === 'all' ? 'group' : filter === 'exact' ? 'group with byte-identical copies' : 'group with partial copies'} has a copy matching this query.`;
  return filter === 'all'
    ? 'No recording is in the library twice. Scanning fingerprints every track and groups copies of the same recording here.'
    : `No group has ${filter === 'exact' ? 'byte-identical' : 'partial'} copies.`;
}

/** Previous and next, and where the list is: shown only when there is more than one page. */
function Pager({ page, pages, onPage }: { page: number; pages: number; onPage(page: number): void }) {
  if (pages <= 1) return null;
  return (
    <div className="pager">
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        page {page + 1} of {pages}
      </span>
      <button type="button" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </div>
  );
}
