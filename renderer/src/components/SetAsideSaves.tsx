// Saves through a mount that were set aside (a damaged journal entry, one written for another library,
// a save whose file left the library), each with its reason: applied once it can be, or discarded.
import type { MountStatus } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount, formatNumber, formatTime } from '../format.ts';

interface Props {
  readonly setAside: MountStatus['setAside'];
  readonly onStatus: (status: MountStatus) => void;
}

export function SetAsideSaves({ setAside, onStatus }: Props) {
  const { backend, fail } = useApp();
  if (setAside.count === 0) return null;
  const act = (method: 'saves.apply' | 'saves.discard', id: string) =>
    backend.client.call(method, { id }).then(onStatus, fail);
  return (
    <section className="set-aside" aria-label="Saves set aside">
      <h3>{formatCount(setAside.count, 'save')} set aside</h3>
      <p className="hint">
        Saved through a mount but not applied, for the reason given; the saves after them went on.
      </p>
      <ul>
        {setAside.listed.map((s) => (
          <li key={s.id} aria-label={`Set aside ${s.path ?? s.id}`}>
            <strong>{s.path ?? 'an unreadable entry'}</strong>{' '}
            <span className="dim">set aside {formatTime(s.setAsideAt)}</span>
            <div className="problem">{s.reason}</div>
            <button type="button" onClick={() => act('saves.apply', s.id)}>
              Apply
            </button>{' '}
            <button type="button" className="danger" onClick={() => act('saves.discard', s.id)}>
              Discard
            </button>
          </li>
        ))}
      </ul>
      {setAside.count > setAside.listed.length && (
        <div className="dim">and {formatNumber(setAside.count - setAside.listed.length)} more</div>
      )}
    </section>
  );
}
