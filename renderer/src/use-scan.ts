// The Scan view's scan (scan-state.ts): its status, kept current by the backend's events, and starting
// one; and the library's folders, read again when the library changes.
import { useEffect, useState } from 'react';
import type { Result, ScanState } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { scanFinished, scanProgressed, scanStarted, scanWaiting } from './scan-state.ts';

export function useScan() {
  const { backend, fail, toast, retire, libraryVersion } = useApp();
  const [state, setState] = useState<ScanState | null>(null);
  const [roots, setRoots] = useState<Result<'scan.roots'>>({ roots: [], excluded: [] });

  useEffect(() => {
    let live = true;
    backend.client.call('scan.status', {}).then((s) => live && setState(s), fail);
    const off = [
      backend.client.on('scan.progress', (progress) => setState((s) => scanProgressed(s, progress))),
      backend.client.on('scan.waiting', ({ message }) => setState((s) => scanWaiting(s, message))),
      backend.client.on('scan.finished', (last) => setState((s) => scanFinished(s, last))),
    ];
    return () => {
      live = false;
      for (const stop of off) stop();
    };
  }, [backend, fail]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: read again when the library changes
  useEffect(() => {
    backend.client.call('scan.roots', {}).then(setRoots, fail);
  }, [backend, fail, libraryVersion]);

  const start = (folders: string[]) => {
    // A scan that could not start is said until the next one starts, not beside its result.
    retire('scan');
    setState((s) => scanStarted(s, folders));
    backend.client.call('scan.start', { folders }).then(setState, (err: Error) => {
      backend.client.call('scan.status', {}).then(setState, fail);
      toast('error', err.message, undefined, 'scan');
    });
  };
  return { state, roots, start };
}
