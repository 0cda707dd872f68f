// Add a library folder and watch it scan: phase, count, rate and time left, cancel; then what could not
// be read, each file with its reason.
import { useState } from 'react';
import type { ScanState } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { desktop } from '../backend.ts';
import { scanFraction, scanNumbers, scanPhaseWords } from '../scan-state.ts';
import { useScan } from '../use-scan.ts';
import { useWatchStatus } from '../use-watch-status.ts';
import { ExcludedFolders } from './ExcludedFolders.tsx';
import { FileProblems } from './FileProblems.tsx';
import { LibraryFolder } from './LibraryFolder.tsx';
import { LastScan, WatchRecent } from './ScanResults.tsx';

/** Asks the desktop shell for a folder; in a browser there is no picker and the path is typed. */
const pickFolder = desktop?.pickFolder;

export function ScanPanel() {
  const { state, roots: library, start } = useScan();
  const { roots, excluded } = library;
  const watch = useWatchStatus();
  const running = state?.running ?? false;
  return (
    <div className="scan-panel">
      <section>
        <h2>Add a folder</h2>
        <AddFolder running={running} onScan={(folder) => start([folder])} />
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
      {state?.running && <ScanProgressSection state={state} />}
      {!running && state?.last && <LastScan last={state.last} />}
      {watch && watch.recent.length > 0 && <WatchRecent recent={watch.recent} />}
      <FileProblems method="scan.errors" label="Files that could not be read" heading="could not be read" />
      <FileProblems
        method="scan.warnings"
        label="Files read with a problem"
        heading="read with a problem (sleeve ls --errors lists them too)"
      />
    </div>
  );
}

/** A folder's path, typed or chosen (in the desktop shell), and the button that scans it. */
function AddFolder({ running, onScan }: { readonly running: boolean; onScan(folder: string): void }) {
  const { fail } = useApp();
  const [folder, setFolder] = useState('');
  return (
    <form
      className="add-folder"
      onSubmit={(e) => {
        e.preventDefault();
        if (folder.trim()) onScan(folder.trim());
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
  );
}

function ScanProgressSection({ state }: { readonly state: ScanState }) {
  const { backend, fail } = useApp();
  return (
    <section className="scan-progress" aria-label="Scan progress">
      <h2>Scanning {state.folders.join(', ')}</h2>
      <div className="phase">{scanPhaseWords(state)}</div>
      <progress max={1} value={scanFraction(state.progress) ?? undefined} aria-label="Progress" />
      <div className="numbers">{scanNumbers(state.progress)}</div>
      <button type="button" onClick={() => backend.client.call('scan.cancel', {}).catch(fail)}>
        Cancel
      </button>
    </section>
  );
}
