// The watched folders' states and what watching took in, kept current by the backend's events.
import { useEffect, useState } from 'react';
import type { Result } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';

export type WatchStatus = Result<'watch.status'>;

/** Reports of what watching took in that the view keeps, the latest first. */
const RECENT = 20;

export function useWatchStatus(): WatchStatus | null {
  const { backend, fail } = useApp();
  const [status, setStatus] = useState<WatchStatus | null>(null);
  useEffect(() => {
    let live = true;
    backend.client.call('watch.status', {}).then((s) => live && setStatus(s), fail);
    const offFolders = backend.client.on('watch.folders', ({ folders }) =>
      setStatus((s) => s && { ...s, folders }),
    );
    const offChanged = backend.client.on('watch.changed', (r) =>
      setStatus((s) => s && { ...s, recent: [r, ...s.recent].slice(0, RECENT) }),
    );
    return () => {
      live = false;
      offFolders();
      offChanged();
    };
  }, [backend, fail]);
  return status;
}
