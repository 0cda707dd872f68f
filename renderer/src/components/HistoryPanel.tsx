// Edit history: every batch, newest first, with undo for the ones in effect and redo for the undone, and
// what each changed, track by track (before → after), on request; below them, where the history was pruned.
import { useEffect, useState } from 'react';
import { carriedTo } from '../../../app/shared/carried-words.ts';
import { MEASURED_GAIN_SERVED } from '../../../app/shared/gain.ts';
import { type Batch, MAX_PAGE, MULTI_SEPARATOR, type Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount, formatNumber, formatTime } from '../format.ts';

/** Changes loaded per "show more". */
const CHANGES_PAGE = 100;

export function HistoryPanel({
  onUndo,
  onRedo,
}: {
  onUndo(batchId?: number): void;
  onRedo(batchId: number): void;
}) {
  const { backend, libraryVersion, fail } = useApp();
  const [list, setList] = useState<Result<'history.list'> | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the library changes
  useEffect(() => {
    let live = true;
    backend.client.call('history.list', { limit: 200 }).then((r) => live && setList(r), fail);
    return () => {
      live = false;
    };
  }, [backend, libraryVersion, fail]);
  if (!list) return <div className="loading">Loading history…</div>;
  const { batches, pruned } = list;
  if (batches.length === 0 && !pruned)
    return (
      <div className="empty">
        No edits yet. Select tracks, change their tags and save: every save shows up here and can be undone.
      </div>
    );
  return (
    <section className="history" aria-label="Edit history">
      <ol>
        {batches.map((b) => (
          <li key={b.id} className={b.undoneAt ? 'undone' : ''}>
            <div className="batch-head">
              <span className="batch-id">#{b.id}</span>
              <span className="batch-desc">{b.description}</span>
            </div>
            <div className="batch-meta">
              {formatTime(b.createdAt)} · {formatCount(b.files, 'track')}
              {b.carriedTo ? ` (and ${carriedTo(b.carriedTo)})` : ''} · {b.fields.join(', ')}
              {b.undoneAt ? ` · undone ${formatTime(b.undoneAt)}` : ''}
            </div>
            {b.undoneAt ? (
              <button type="button" onClick={() => onRedo(b.id)} aria-label={`Redo edit ${b.id}`}>
                Redo
              </button>
            ) : (
              <button type="button" onClick={() => onUndo(b.id)} aria-label={`Undo edit ${b.id}`}>
                Undo
              </button>
            )}
            <BatchDetails batch={b} />
          </li>
        ))}
      </ol>
      {pruned && (
        <p className="dim">
          Edits up to #{pruned.through} can no longer be undone: the history keeps the newest{' '}
          {formatCount(pruned.batches, 'edit')} from the last {formatCount(pruned.days, 'day')} (history in
          config.json).
        </p>
      )}
    </section>
  );
}

type Changes = Result<'history.changes'>;

const shown = (values: readonly string[]) => (values.length === 0 ? '(none)' : values.join(MULTI_SEPARATOR));

/** A batch's changes per track and field, loaded when opened, a page at a time. */
function BatchDetails({ batch }: { batch: Batch }) {
  const { backend, fail, libraryVersion } = useApp();
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState(CHANGES_PAGE);
  const [changes, setChanges] = useState<Changes | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the library changes (a "before" may)
  useEffect(() => {
    if (!open) return;
    let live = true;
    backend.client
      .call('history.changes', { batchId: batch.id, offset: 0, limit })
      .then((r) => live && setChanges(r), fail);
    return () => {
      live = false;
    };
  }, [backend, batch.id, open, limit, fail, libraryVersion]);
  return (
    <div className="batch-details">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        aria-label={`Changes of edit ${batch.id}`}
      >
        {open ? 'Hide changes' : 'Changes'}
      </button>
      {open && changes && changes.changes.length > 0 && (
        <table aria-label={`Changes of edit ${batch.id}`}>
          <thead>
            <tr>
              <th>Track</th>
              <th>Field</th>
              <th>Before</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {changes.changes.map((c) => (
              <tr key={`${c.fileId}:${c.key}`}>
                <td title={c.path}>
                  {c.title ?? fileName(c.path)}
                  {/* Which copy: copies of a recording share a title, not a file. */}
                  {c.title !== null && <div className="dim">{fileName(c.path)}</div>}
                </td>
                <td>{c.key}</td>
                <td className="before">{c.measuredBefore ? MEASURED_GAIN_SERVED : shown(c.before)}</td>
                <td className="after">{shown(c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && changes && changes.covers > 0 && (
        <p className="dim">Cover art changed on {formatCount(changes.covers, 'track')}.</p>
      )}
      {open &&
        changes &&
        changes.total > changes.changes.length &&
        (limit < MAX_PAGE ? (
          <button type="button" onClick={() => setLimit((l) => Math.min(MAX_PAGE, l + CHANGES_PAGE))}>
            Show more ({formatNumber(changes.total - changes.changes.length)} left)
          </button>
        ) : (
          <p className="dim">
            … and {formatNumber(changes.total - changes.changes.length)} more:{' '}
            <code>sleeve history {batch.id}</code> lists them all.
          </p>
        ))}
    </div>
  );
}

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
