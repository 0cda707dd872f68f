// Folders inside a library folder left out of the library (an Audiobooks or Samples folder inside Music):
// leaving one out is shown first (how many tracks leave), taking one back scans its library folder.
import { useState } from 'react';
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';

type Exclusion = Result<'scan.exclude'>;

export function ExcludedFolders({
  excluded,
  running,
  onScan,
}: {
  excluded: readonly string[];
  running: boolean;
  onScan(folder: string): void;
}) {
  const { backend, fail, toast } = useApp();
  const [folder, setFolder] = useState('');
  const [confirming, setConfirming] = useState<Exclusion | null>(null);
  const preview = () =>
    backend.client.call('scan.exclude', { path: folder.trim(), preview: true }).then(setConfirming, fail);
  const leaveOut = (path: string) =>
    backend.client.call('scan.exclude', { path }).then((r) => {
      setConfirming(null);
      setFolder('');
      toast(
        'info',
        `Left out ${r.path}: ${formatCount(r.files, 'track')} left the library. Files are untouched.`,
        {
          label: 'Take back',
          run: () => takeBack(r.path),
        },
      );
    }, fail);
  const takeBack = (path: string) =>
    backend.client.call('scan.include', { path }).then((r) => onScan(r.root), fail);
  return (
    <div className="excluded">
      <h3>Left out of the library</h3>
      {confirming ? (
        <fieldset className="root-confirm" aria-label={`Leave out ${confirming.path}`}>
          <span>
            {confirming.path}: {formatCount(confirming.files, 'track')} leave the library, its lists and the
            mount, and scans skip it; their edits are kept and the files are not touched.
          </span>
          <button type="button" className="danger" onClick={() => leaveOut(confirming.path)}>
            Leave out
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Keep
          </button>
        </fieldset>
      ) : (
        <form
          className="add-folder"
          onSubmit={(e) => {
            e.preventDefault();
            if (folder.trim()) void preview();
          }}
        >
          <input
            aria-label="Folder to leave out"
            placeholder="a folder inside a library folder, e.g. /home/you/Music/Audiobooks"
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
            spellCheck={false}
          />
          <button type="submit" disabled={running || !folder.trim()}>
            Leave out…
          </button>
        </form>
      )}
      {excluded.length > 0 && (
        <ul className="roots" aria-label="Folders left out">
          {excluded.map((path) => (
            <li key={path}>
              <span className="root-path">{path}</span>{' '}
              <button type="button" disabled={running} onClick={() => takeBack(path)}>
                Take back
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
