// The Mount view's active mounts: each with what its daemon reported (files served, saves waiting for
// the library, problems), opened in a file manager or unmounted.
import { layoutText } from '../../../app/shared/layout-kinds.ts';
import type { MountStatus } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { desktop } from '../backend.ts';
import { formatCount, formatTime } from '../format.ts';

interface Props {
  readonly mounts: MountStatus['mounts'];
  /** An action under way: none other starts. */
  readonly busy: boolean;
  readonly act: (work: () => Promise<MountStatus>, done: string) => void;
}

export function ActiveMounts({ mounts, busy, act }: Props) {
  const { backend, fail, toast } = useApp();
  const reveal = (path: string) =>
    desktop
      ? desktop.revealInFolder(path).catch(fail)
      : backend.client.call('mount.open', { mountpoint: path }).then((r) => {
          // Said either way: the file manager may open behind the browser, or on another screen.
          if (r.opened) toast('info', `Asked the file manager to open ${path}.`);
          else toast('error', 'No file manager could be started on the backend’s machine.');
        }, fail);
  return (
    <ul className="mounts" aria-label="Active mounts">
      {mounts.map((m) => (
        <li key={m.mountpoint} aria-label={`Mount ${m.mountpoint}`}>
          <div>
            <strong>{m.mountpoint}</strong>{' '}
            <span className="dim">
              {m.files === null ? 'starting' : formatCount(m.files, 'file')} ·{' '}
              {m.allCopies ? 'every copy' : 'one copy per recording'} · since {formatTime(m.startedAt)} ·
              daemon pid {m.pid}
            </span>
          </div>
          <div className="dim">
            <code>{layoutText(m.template)}</code>
          </div>
          {m.pendingSaves > 0 && (
            <div className="saves-waiting">
              {formatCount(m.pendingSaves, 'save')} waiting for the library: another process holds it. They
              are kept and applied in order as soon as it is free.
            </div>
          )}
          {m.errors.length > 0 && (
            <details className="mount-errors">
              <summary className="problem">{formatCount(m.errors.length, 'problem')} reported</summary>
              <ul>
                {m.errors.map((e, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: log lines may repeat; order is stable
                  <li key={i}>
                    <code>{e}</code>
                  </li>
                ))}
              </ul>
            </details>
          )}
          <div className="buttons">
            <button type="button" onClick={() => void reveal(m.mountpoint)}>
              Open in file manager
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                act(
                  () => backend.client.call('mount.stop', { mountpoint: m.mountpoint }),
                  `Unmounted ${m.mountpoint}`,
                )
              }
            >
              Unmount
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
