// Fields a tagger changed through a mount that an edit had changed since the tagger read the file: the
// library's value was kept; each conflict offers the tagger's value in one step, or keeps the library's.
import type { MountStatus } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount, formatNumber, formatTime } from '../format.ts';

interface Props {
  readonly conflicts: MountStatus['conflicts'];
  readonly onStatus: (status: MountStatus) => void;
}

export function SaveConflicts({ conflicts, onStatus }: Props) {
  const { backend, fail } = useApp();
  if (conflicts.count === 0) return null;
  const act = (method: 'conflicts.take' | 'conflicts.keep', id: number) =>
    backend.client.call(method, { id }).then(onStatus, fail);
  return (
    <section className="set-aside" aria-label="Save conflicts">
      <h3>{formatCount(conflicts.count, 'conflict')} in saves through a mount or imports</h3>
      <p className="hint">
        A tagger (or an import of tags) changed these fields, but they were changed elsewhere after it read
        them: the library kept its value. Take the other value, or keep the library’s.
      </p>
      <ul>
        {conflicts.listed.map((c) => (
          <li key={c.id} aria-label={`Conflict ${c.id}: ${c.key} of ${c.path}`}>
            <strong>{c.key}</strong> of {c.path} <span className="dim">saved {formatTime(c.at)}</span>
            {c.original !== c.path && <div className="dim">The file: {c.original}</div>}
            <div>
              Library: {c.library}{' '}
              <span className="dim">
                ({c.source === 'import' ? 'exported as' : 'the tagger read'} {c.read})
              </span>
            </div>
            {c.libraryAtSave !== null && (
              <div className="dim">
                Changed since the save (it held {c.libraryAtSave}): edit the field, or keep the library’s.
              </div>
            )}
            <div>
              {c.source === 'import' ? 'Import' : 'Tagger'}: {c.tagger}
            </div>
            <button
              type="button"
              disabled={c.libraryAtSave !== null}
              onClick={() => act('conflicts.take', c.id)}
            >
              Take the {c.source === 'import' ? 'import’s' : 'tagger’s'}
            </button>{' '}
            <button type="button" onClick={() => act('conflicts.keep', c.id)}>
              Keep the library’s
            </button>
          </li>
        ))}
      </ul>
      {conflicts.count > conflicts.listed.length && (
        <div className="dim">and {formatNumber(conflicts.count - conflicts.listed.length)} more</div>
      )}
    </section>
  );
}
