// The Mount view's status (mounts, their daemons' reports, saves waiting or set aside, conflicts), asked
// again every few seconds while the view is open, and an action on it (mount, unmount) that answers with
// the new status: one at a time, said in a notice when done.
import { useEffect, useState } from 'react';
import type { MountStatus } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';

/** How often the status (files served, daemon problems) is refreshed while the view is open. */
const STATUS_MS = 3000;

export function useMountStatus() {
  const { backend, fail, toast } = useApp();
  const [status, setStatus] = useState<MountStatus | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    const load = () => backend.client.call('mount.status', {}).then((s) => live && setStatus(s), fail);
    void load();
    const timer = setInterval(load, STATUS_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [backend, fail]);

  const act = (work: () => Promise<MountStatus>, done: string) => {
    setBusy(true);
    work()
      .then((s) => {
        setStatus(s);
        toast('info', done);
      }, fail)
      .finally(() => setBusy(false));
  };
  return { status, setStatus, busy, act };
}
