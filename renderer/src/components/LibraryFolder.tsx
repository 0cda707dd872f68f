// A library folder in the Scan view: its tracks, whether it is watched, and rescanning or removing it.

import { useState } from 'react';
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import type { WatchStatus } from '../use-watch-status.ts';

type WatchedFolder = WatchStatus['folders'][number];

const WATCH_STATES: Record<WatchedFolder['state'], string> = {
  watching: 'Watched',
  polling: 'Checked periodically',
  paused: 'Paused',
};

/**
 * A library folder: rescan it, or remove it from the library. Removing is shown before it is made (how
 * many tracks leave) and is undone by scanning the folder again (the notice's Add back).
 */
export function LibraryFolder({
  folder,
  watched,
  running,
  onRescan,
}: {
  folder: Result<'scan.roots'>['roots'][number];
  watched: WatchedFolder | undefined;
  running: boolean;
  onRescan: () => void;
}) {
  const { backend, fail, toast } = useApp();
  const [confirming, setConfirming] = useState(false);
  const remove = () => {
    backend.client.call('scan.removeRoot', { path: folder.path }).then((r) => {
      setConfirming(false);
      toast(
        'info',
        `Removed ${r.path} from the library: ${formatCount(r.files, 'file')} left it. Files are untouched.`,
        {
          label: 'Add back',
          run: () => backend.client.call('scan.start', { folders: [r.path] }).catch(fail),
        },
      );
    }, fail);
  };
  return (
    <li>
      <span className="root-path">{folder.path}</span>{' '}
      <span className="root-count" title="Files in the folder, every copy and unreadable file counted">
        {formatCount(folder.tracks, 'file')}
      </span>
      {watched && (
        <span className={`root-watch ${watched.state}`} title={watched.notice ?? undefined}>
          {WATCH_STATES[watched.state]}
        </span>
      )}
      {confirming ? (
        <fieldset className="root-confirm" aria-label={`Remove ${folder.path}`}>
          <span>
            {formatCount(folder.tracks, 'file')} leave the library, its lists and the mount; their edits are
            kept and the files are not touched.
          </span>
          <button type="button" className="danger" onClick={remove}>
            Remove
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </fieldset>
      ) : (
        <>
          <button type="button" disabled={running} onClick={onRescan}>
            Rescan
          </button>
          <button type="button" disabled={running} onClick={() => setConfirming(true)}>
            Remove…
          </button>
        </>
      )}
      {watched?.notice && <p className="root-notice">{watched.notice}</p>}
    </li>
  );
}
