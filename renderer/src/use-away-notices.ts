// What happened while the user looked elsewhere: files the watched folders took in, a save through the
// mount refused, a long scan done.
import { useEffect } from 'react';
import { changedCount, watchReportText } from '../../app/shared/watch-words.ts';
import { useApp } from './app-context.tsx';
import { LONG_RUN_SECONDS, notifyAway } from './notify-away.ts';

export function useAwayNotices(): void {
  const { backend, toast } = useApp();
  const { client } = backend;
  useEffect(() => {
    const offWatch = client.on('watch.changed', (r) => {
      const text = watchReportText(r);
      if (changedCount(r) > 0) {
        toast('info', `Watched folders: ${text}`);
        notifyAway('Sleeve: watched folders', text);
      }
      if (r.groupingWaits) toast('error', r.groupingWaits);
    });
    // A save through the mount refused: the tagger that made it may well not say so (its close() failing).
    const offMount = client.on('mount.problem', (r) => {
      toast('error', `Mount ${r.mountpoint}: ${r.problem}`);
      notifyAway('Sleeve: a problem in the mount', r.problem);
    });
    const offScan = client.on('scan.finished', (r) => {
      if (r.totalSeconds < LONG_RUN_SECONDS) return;
      if (r.failure) {
        // The Scan view shows why; a user who moved on is told it stopped.
        toast('error', `Scan stopped: ${r.failure}`);
        notifyAway('Sleeve: scan stopped', r.failure);
        return;
      }
      const text = `${r.folders.join(', ')}: ${r.added} added, ${r.updated} updated, ${r.missing} missing${r.interrupted ? ' (cancelled)' : ''}`;
      toast('info', `Scan finished: ${text}`);
      notifyAway('Sleeve: scan finished', text);
    });
    return () => {
      offWatch();
      offMount();
      offScan();
    };
  }, [client, toast]);
}
