// Add a library folder and watch it scan: phase, count, rate and time left, cancel; then what could not
// be read, each file with its reason.
import { useEffect, useState } from 'react';
import type { Result, ScanProgress, ScanState } from '../../../app/shared/rpc-contract.ts';
import { changedCount, watchReportText } from '../../../app/shared/watch-words.ts';
import { useApp, useWindowStore } from '../app-context.tsx';
import { desktop } from '../backend.ts';
import { formatCount, formatEta, formatNumber } from '../format.ts';
import { useViewport } from '../use-viewport.ts';
import { ExcludedFolders } from './ExcludedFolders.tsx';

const PHASES: Record<ScanProgress['phase'], string> = {
  walk: 'Looking for files',
  read: 'Reading tags',
  analyse: 'Fingerprinting, measuring loudness and analysing audio',
  group: 'Grouping recordings',
  index: 'Updating the similarity index',
};

type ErrorFile = Result<'scan.errors'>['files'][number];
type WatchStatus = Result<'watch.status'>;
type WatchedFolder = WatchStatus['folders'][number];
const ERROR_ROW = 44;

/** Asks the desktop shell for a folder; in a browser there is no picker and the path is typed. */
const pickFolder = desktop?.pickFolder;

export function ScanPanel() {
  const { backend, fail, libraryVersion } = useApp();
  const [state, setState] = useState<ScanState | null>(null);
  const [{ roots, excluded }, setRoots] = useState<Result<'scan.roots'>>({ roots: [], excluded: [] });
  const [folder, setFolder] = useState('');

  useEffect(() => {
    let live = true;
    backend.client.call('scan.status', {}).then((s) => live && setState(s), fail);
    const offProgress = backend.client.on('scan.progress', (progress) =>
      setState((s) => (s ? { ...s, running: true, waiting: null, progress } : s)),
    );
    const offWaiting = backend.client.on('scan.waiting', ({ message }) =>
      setState((s) => (s ? { ...s, running: true, waiting: message } : s)),
    );
    const offFinished = backend.client.on('scan.finished', (last) =>
      setState((s) => ({
        running: false,
        folders: s?.folders ?? last.folders,
        waiting: null,
        progress: null,
        last,
      })),
    );
    return () => {
      live = false;
      offProgress();
      offWaiting();
      offFinished();
    };
  }, [backend, fail]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the library changes
  useEffect(() => {
    backend.client.call('scan.roots', {}).then(setRoots, fail);
  }, [backend, fail, libraryVersion]);

  const watch = useWatchStatus();

  const start = (folders: string[]) => {
    // Shown at once: checking the folders may wait (a network share that does not answer says so).
    setState((s) => ({ progress: null, last: null, ...s, running: true, folders, waiting: null }));
    backend.client.call('scan.start', { folders }).then(setState, (err: Error) => {
      backend.client.call('scan.status', {}).then(setState, fail);
      fail(err);
    });
  };
  const running = state?.running ?? false;
  const p = state?.progress;
  const fraction = p && p.total > 0 ? p.done / p.total : null;

  return (
    <div className="scan-panel">
      <section>
        <h2>Add a folder</h2>
        <form
          className="add-folder"
          onSubmit={(e) => {
            e.preventDefault();
            if (folder.trim()) start([folder.trim()]);
          }}
        >
          <input
            aria-label="Folder path"
            placeholder="/home/you/Music or ~/Music"
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
            spellCheck={false}
          />
          {pickFolder && (
            <button type="button" onClick={() => pickFolder().then((f) => f && setFolder(f), fail)}>
              Choose…
            </button>
          )}
          <button type="submit" className="primary" disabled={running || !folder.trim()}>
            Scan
          </button>
        </form>
        <p className="hint">
          Sleeve reads your files and never changes them. Scanning again only reads what changed.
          {watch?.enabled &&
            ' Library folders are watched: files copied in, changed, moved or deleted are taken in by themselves.'}
        </p>
        {roots.length > 0 && (
          <ul className="roots">
            {roots.map((r) => (
              <LibraryFolder
                key={r.path}
                folder={r}
                watched={watch?.folders.find((f) => f.path === r.path)}
                running={running}
                onRescan={() => start([r.path])}
              />
            ))}
          </ul>
        )}
        {roots.length > 0 && (
          <ExcludedFolders excluded={excluded} running={running} onScan={(root) => start([root])} />
        )}
      </section>
      {running && (
        <section className="scan-progress" aria-label="Scan progress">
          <h2>Scanning {state?.folders.join(', ')}</h2>
          <div className="phase">{state?.waiting ?? (p ? PHASES[p.phase] : 'Starting…')}</div>
          <progress max={1} value={fraction ?? undefined} aria-label="Progress" />
          <div className="numbers">
            {p?.phase === 'walk' && `${formatCount(p.found, 'file')} found`}
            {p &&
              p.phase !== 'walk' &&
              p.phase !== 'index' &&
              `${formatNumber(p.done)} / ${formatNumber(p.total)} files · ${Math.round(p.filesPerSecond)} files/s · ${formatEta(p.etaSeconds)}`}
          </div>
          <button type="button" onClick={() => backend.client.call('scan.cancel', {}).catch(fail)}>
            Cancel
          </button>
        </section>
      )}
      {!running && state?.last && (
        <section className="scan-result" aria-label="Last scan">
          <h2>Last scan</h2>
          {state.last.failure ? (
            <p className="problem">{state.last.failure}</p>
          ) : (
            <p>
              {state.last.added} added, {state.last.updated} updated,{' '}
              {state.last.moved > 0 ? `${state.last.moved} moved, ` : ''}
              {state.last.unchanged} unchanged, {state.last.missing} missing, {state.last.unreadable} could
              not be read{state.last.unreadable > state.last.errors ? ` (${state.last.errors} new)` : ''} ·{' '}
              {state.last.totalSeconds.toFixed(1)} s in all
              {state.last.interrupted ? ' · cancelled: what was read is kept' : ''}
            </p>
          )}
          {state.last.empty.map((folder) => (
            <p key={folder} className="problem">
              No audio files in {folder}: it was not added to the library.
            </p>
          ))}
          {state.last.groupingWaits && <p className="problem">{state.last.groupingWaits}</p>}
          {state.last.carried && (
            <p className="hint" role="status">
              {state.last.carried.description} (the History view undoes it).
            </p>
          )}
          {state.last.folderErrors.map((f) => (
            <p key={f.path} className="problem">
              Skipped folder {f.path}: {f.reason}
            </p>
          ))}
          {state.last.skipped.map((f) => (
            <p key={f.path} className="problem">
              Skipped {f.path}: {f.reason}
            </p>
          ))}
        </section>
      )}
      {watch && watch.recent.length > 0 && (
        <section className="watch-recent" aria-label="Taken in by watching">
          <h2>Taken in by watching</h2>
          <ul>
            {watch.recent.map((r) => (
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
      )}
      <FileProblems method="scan.errors" label="Files that could not be read" heading="could not be read" />
      <FileProblems
        method="scan.warnings"
        label="Files read with a problem"
        heading="read with a problem (sleeve ls --errors lists them too)"
      />
    </div>
  );
}

/** The watched folders' states and what watching took in, kept current by the backend's events. */
function useWatchStatus(): WatchStatus | null {
  const { backend, fail } = useApp();
  const [status, setStatus] = useState<WatchStatus | null>(null);
  useEffect(() => {
    let live = true;
    backend.client.call('watch.status', {}).then((s) => live && setStatus(s), fail);
    const offFolders = backend.client.on('watch.folders', ({ folders }) =>
      setStatus((s) => s && { ...s, folders }),
    );
    const offChanged = backend.client.on('watch.changed', (r) =>
      setStatus((s) => s && { ...s, recent: [r, ...s.recent].slice(0, 20) }),
    );
    return () => {
      live = false;
      offFolders();
      offChanged();
    };
  }, [backend, fail]);
  return status;
}

const WATCH_STATES: Record<WatchedFolder['state'], string> = {
  watching: 'Watched',
  polling: 'Checked periodically',
  paused: 'Paused',
};

/**
 * A library folder: rescan it, or remove it from the library. Removing is shown before it is made (how
 * many tracks leave) and is undone by scanning the folder again (the notice's Add back).
 */
function LibraryFolder({
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
        `Removed ${r.path} from the library: ${formatCount(r.files, 'track')} left it. Files are untouched.`,
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
      <span className="root-count">{formatCount(folder.tracks, 'track')}</span>
      {watched && (
        <span className={`root-watch ${watched.state}`} title={watched.notice ?? undefined}>
          {WATCH_STATES[watched.state]}
        </span>
      )}
      {confirming ? (
        <fieldset className="root-confirm" aria-label={`Remove ${folder.path}`}>
          <span>
            {formatCount(folder.tracks, 'track')} leave the library, its lists and the mount; their edits are
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

/** Files the scan could not read, or read with a problem: a window of them, each with its reason. */
function FileProblems({
  method,
  label,
  heading,
}: {
  readonly method: 'scan.errors' | 'scan.warnings';
  readonly label: string;
  readonly heading: string;
}) {
  const { backend } = useApp();
  const store = useWindowStore<ErrorFile>(method, (offset, limit) =>
    backend.client.call(method, { offset, limit }).then((r) => ({ total: r.total, items: r.files })),
  );
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const total = store.total ?? 0;
  const view = useViewport(scroller, ERROR_ROW, store);
  if (total === 0) return null;
  const rows = [];
  for (let i = view.first; i <= view.last; i++) {
    const f = store.get(i);
    rows.push(
      <li key={i} style={{ top: i * ERROR_ROW }}>
        <div className="error-path">{f?.path ?? '…'}</div>
        <div className="error-reason">{f?.error}</div>
      </li>,
    );
  }
  return (
    <section className="scan-errors" aria-label={label}>
      <h2>
        {formatCount(total, 'file')} {heading}
      </h2>
      <div ref={setScroller} className="error-list">
        <ul style={{ height: total * ERROR_ROW }}>{rows}</ul>
      </div>
    </section>
  );
}
