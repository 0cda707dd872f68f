// Edit history: every batch, newest first, with undo for the ones in effect and redo for the undone.
import { useEffect, useState } from 'react';
import type { Batch } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount, formatTime } from '../format.ts';

export function HistoryPanel({
  onUndo,
  onRedo,
}: {
  onUndo(batchId?: number): void;
  onRedo(batchId: number): void;
}) {
  const { backend, libraryVersion, fail } = useApp();
  const [batches, setBatches] = useState<Batch[] | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the library changes
  useEffect(() => {
    let live = true;
    backend.client.call('history.list', { limit: 200 }).then((r) => live && setBatches(r.batches), fail);
    return () => {
      live = false;
    };
  }, [backend, libraryVersion, fail]);
  if (!batches) return <div className="loading">Loading history…</div>;
  if (batches.length === 0)
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
              {formatTime(b.createdAt)} · {formatCount(b.files, 'track')} · {b.fields.join(', ')}
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
          </li>
        ))}
      </ol>
    </section>
  );
}
