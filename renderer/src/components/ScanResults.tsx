// What the Scan view says after a scan: the last scan's counts and what it skipped or carried, and what
// watching took in since.
import type { ScanResult } from '../../../app/shared/rpc-contract.ts';
import { changedCount, watchReportText } from '../../../app/shared/watch-words.ts';
import { lastScanWords } from '../scan-state.ts';
import type { WatchStatus } from '../use-watch-status.ts';

export function LastScan({ last }: { readonly last: ScanResult }) {
  return (
    <section className="scan-result" aria-label="Last scan">
      <h2>Last scan</h2>
      {last.failure ? <p className="problem">{last.failure}</p> : <p>{lastScanWords(last)}</p>}
      {last.empty.map((folder) => (
        <p key={folder} className="problem">
          No audio files in {folder}: it was not added to the library.
        </p>
      ))}
      {last.groupingWaits && <p className="problem">{last.groupingWaits}</p>}
      {last.carried && (
        <p className="hint" role="status">
          {last.carried.description} (the History view undoes it).
        </p>
      )}
      {last.folderErrors.map((f) => (
        <p key={f.path} className="problem">
          Skipped folder {f.path}: {f.reason}
        </p>
      ))}
      {last.skipped.map((f) => (
        <p key={f.path} className="problem">
          Skipped {f.path}: {f.reason}
        </p>
      ))}
    </section>
  );
}

export function WatchRecent({ recent }: { readonly recent: WatchStatus['recent'] }) {
  return (
    <section className="watch-recent" aria-label="Taken in by watching">
      <h2>Taken in by watching</h2>
      <ul>
        {recent.map((r) => (
          <li key={`${r.at} ${r.folder} ${r.places.join('\n')}`}>
            <time dateTime={new Date(r.at).toISOString()}>{new Date(r.at).toLocaleTimeString()}</time>{' '}
            {changedCount(r) > 0 && watchReportText(r)}
            {r.skipped.map((f) => (
              <p key={f.path} className="problem">
                Skipped {f.path}: {f.reason}
              </p>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
