// The Mount view's Subsonic server: its status (who can log in, whether it runs here or from the command
// line), and starting and stopping it, each said in a notice.
import { useEffect, useState } from 'react';
import type { SubsonicStatus } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';

export function useSubsonic() {
  const { backend, fail, toast } = useApp();
  const [status, setStatus] = useState<SubsonicStatus | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    backend.client.call('subsonic.status', {}).then(setStatus, fail);
  }, [backend, fail]);

  const act = async (call: () => Promise<SubsonicStatus>, done: (s: SubsonicStatus) => string) => {
    setBusy(true);
    try {
      const s = await call();
      setStatus(s);
      toast('info', done(s));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const start = (listen: string, port: number, template: string | undefined) =>
    act(
      () => backend.client.call('subsonic.start', { listen, port, template }),
      (s) => `Subsonic server at ${s.running?.url}`,
    );
  const stop = () =>
    act(
      () => backend.client.call('subsonic.stop', {}),
      () => 'Subsonic server stopped',
    );
  return { status, busy, start, stop };
}
