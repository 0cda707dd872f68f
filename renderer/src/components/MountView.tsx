// The mount view: the path template (checked as you type, with a live preview of the paths for the
// selected tracks), mounting and unmounting, and each mount's status with what its daemon reported.
import { useEffect, useState } from 'react';
import type { MountStatus, Result } from '../../../app/shared/rpc-contract.ts';
import { Template, TemplateError } from '../../../app/shared/template.ts';
import { useApp } from '../app-context.tsx';
import { desktop } from '../backend.ts';
import { formatCount, formatTime } from '../format.ts';
import { RpcCallError } from '../rpc-client.ts';
import { useStoredFlag } from '../use-stored-flag.ts';
import { CheckedInput, type InputProblem } from './CheckedInput.tsx';
import { PlayersSection } from './PlayersSection.tsx';
import { SaveConflicts } from './SaveConflicts.tsx';
import { SetAsideSaves } from './SetAsideSaves.tsx';
import { SubsonicSection } from './SubsonicSection.tsx';

const TEMPLATE_KEY = 'sleeve.mountTemplate';
const MOUNTPOINT_KEY = 'sleeve.mountpoint';
const ALL_COPIES_KEY = 'sleeve.mount.allCopies';
/** How often the status (files served, daemon problems) is refreshed while the view is open. */
const STATUS_MS = 3000;

function checkTemplate(text: string): InputProblem | undefined {
  if (text.trim() === '') return { message: 'a template is needed', start: 0, length: 1 };
  try {
    new Template(text);
    return undefined;
  } catch (err) {
    if (err instanceof TemplateError) return { message: err.message, start: err.position, length: 1 };
    throw err;
  }
}

interface Props {
  /** Tracks to preview paths for: the selection, else the first tracks of the list. */
  readonly previewIds: readonly number[];
  readonly previewLabel: string;
}

export function MountView({ previewIds, previewLabel }: Props) {
  const { backend, fail, toast, libraryVersion } = useApp();
  const [status, setStatus] = useState<MountStatus | null>(null);
  const [template, setTemplate] = useState(() => localStorage.getItem(TEMPLATE_KEY) ?? '');
  const [mountpoint, setMountpoint] = useState(() => localStorage.getItem(MOUNTPOINT_KEY) ?? '');
  const [allCopies, setAllCopies] = useStoredFlag(ALL_COPIES_KEY, false);
  const [preview, setPreview] = useState<Result<'mount.preview'>['paths'] | null>(null);
  // The field's text is invalid (or empty): nothing mounts until it is fixed.
  const [typedInvalid, setTypedInvalid] = useState(false);
  // What only the backend can tell: a $field no file has and Sleeve does not know.
  const [remoteProblem, setRemoteProblem] = useState<InputProblem | undefined>();
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
  const effective = template || status?.defaultTemplate || '';

  const idsKey = previewIds.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: idsKey stands for previewIds
  useEffect(() => {
    if (!effective || previewIds.length === 0) {
      setRemoteProblem(undefined); // nothing to ask about: mount.start checks the fields itself
      return setPreview(null);
    }
    let live = true;
    const timer = setTimeout(() => {
      backend.client.call('mount.preview', { template: effective, ids: [...previewIds] }).then(
        (r) => {
          if (!live) return;
          setPreview(r.paths);
          setRemoteProblem(undefined);
        },
        (err: unknown) => {
          if (!live) return;
          if (err instanceof RpcCallError && err.position) {
            setPreview(null);
            setRemoteProblem({ message: err.message, ...err.position });
          } else fail(err);
        },
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [backend, effective, idsKey, fail, libraryVersion]);

  const act = (work: () => Promise<MountStatus>, done: string) => {
    setBusy(true);
    work()
      .then((s) => {
        setStatus(s);
        toast('info', done);
      }, fail)
      .finally(() => setBusy(false));
  };
  const mount = () => {
    localStorage.setItem(MOUNTPOINT_KEY, mountpoint);
    act(
      () =>
        backend.client.call('mount.start', { mountpoint: mountpoint.trim(), template: effective, allCopies }),
      `Mounted at ${mountpoint}`,
    );
  };
  const reveal = (path: string) =>
    desktop
      ? desktop.revealInFolder(path).catch(fail)
      : backend.client.call('mount.open', { mountpoint: path }).then((r) => {
          if (!r.opened) toast('error', 'No file manager could be started on the backend’s machine.');
        }, fail);

  return (
    <section className="mount-view" aria-label="Mount">
      <h2>Mount the library</h2>
      <p className="dim">
        Any player sees your library at the mount point, arranged by the template, with your edited tags in
        every file. The original files are never changed.
      </p>
      {status?.unavailable && (
        <div className="problem" role="alert">
          Mounting is not available here: {status.unavailable}.
        </div>
      )}
      {status?.unreadable.map((problem) => (
        <div className="problem" role="alert" key={problem}>
          A mount registry entry cannot be read: {problem}
        </div>
      ))}
      <div className="form-row">
        <div className="label">Path template</div>
        <CheckedInput
          value={template || status?.defaultTemplate || ''}
          label="Path template"
          errorId="template-error"
          className="template-input"
          check={checkTemplate}
          onText={(_, valid) => {
            setTypedInvalid(!valid);
            setRemoteProblem(undefined); // about the text before: the next preview says again
          }}
          onValid={(t) => {
            setTemplate(t);
            localStorage.setItem(TEMPLATE_KEY, t);
          }}
          remoteProblem={remoteProblem}
        />
        <p className="dim hint">
          <code>$field</code>,{' '}
          <code>
            %if{'{'}cond,then,else{'}'}
          </code>
          , <code>%lower</code>, <code>%upper</code>,{' '}
          <code>
            %left{'{'}text,n{'}'}
          </code>
          , <code>%first</code>; <code>/</code> makes folders.
        </p>
      </div>
      <div className="mount-preview">
        <h3>Preview: {previewLabel}</h3>
        {previewIds.length === 0 && (
          <div className="empty">Add music first: the preview shows its paths.</div>
        )}
        {preview && (
          <ul aria-label="Path preview">
            {preview.map((p) => (
              <li key={p.id}>
                <code>{p.path}</code>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="form-row mount-controls">
        <label>
          Mount point{' '}
          <input
            type="text"
            aria-label="Mount point"
            placeholder="~/Sleeve (an empty or new folder)"
            value={mountpoint}
            onChange={(e) => setMountpoint(e.target.value)}
          />
        </label>
        <label
          className="checkbox"
          title="Off: one file per recording, the copy it keeps (chosen in Duplicates)"
        >
          <input type="checkbox" checked={allCopies} onChange={(e) => setAllCopies(e.target.checked)} /> Every
          copy of a recording
        </label>
        <button
          type="button"
          className="primary"
          disabled={
            busy ||
            !!status?.unavailable ||
            mountpoint.trim() === '' ||
            typedInvalid ||
            remoteProblem !== undefined
          }
          title={typedInvalid || remoteProblem ? 'Fix the path template first' : undefined}
          onClick={mount}
        >
          Mount
        </button>
      </div>
      <h3>Active mounts</h3>
      {status && status.orphanedSaves > 0 && (
        <div className="saves-waiting">
          {formatCount(status.orphanedSaves, 'save')} through a mount that stopped are not in the library yet:
          mounting applies them.
        </div>
      )}
      {status && <SetAsideSaves setAside={status.setAside} onStatus={setStatus} />}
      {status && <SaveConflicts conflicts={status.conflicts} onStatus={setStatus} />}
      {status && status.mounts.length === 0 && <div className="empty">Nothing is mounted.</div>}
      <ul className="mounts" aria-label="Active mounts">
        {status?.mounts.map((m) => (
          <li key={m.mountpoint} aria-label={`Mount ${m.mountpoint}`}>
            <div>
              <strong>{m.mountpoint}</strong>{' '}
              <span className="dim">
                {m.files === null ? 'starting' : formatCount(m.files, 'file')} ·{' '}
                {m.allCopies ? 'every copy' : 'one copy per recording'} · since {formatTime(m.startedAt)} ·
                daemon pid {m.pid}
              </span>
            </div>
            <div className="dim">
              <code>{m.template}</code>
            </div>
            {m.pendingSaves > 0 && (
              <div className="saves-waiting">
                {formatCount(m.pendingSaves, 'save')} waiting for the library: another process holds it. They
                are kept and applied in order as soon as it is free.
              </div>
            )}
            {m.errors.length > 0 && (
              <details className="mount-errors">
                <summary className="problem">{formatCount(m.errors.length, 'problem')} reported</summary>
                <ul>
                  {m.errors.map((e, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: log lines may repeat; order is stable
                    <li key={i}>
                      <code>{e}</code>
                    </li>
                  ))}
                </ul>
              </details>
            )}
            <div className="buttons">
              <button type="button" onClick={() => void reveal(m.mountpoint)}>
                Open in file manager
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  act(
                    () => backend.client.call('mount.stop', { mountpoint: m.mountpoint }),
                    `Unmounted ${m.mountpoint}`,
                  )
                }
              >
                Unmount
              </button>
            </div>
          </li>
        ))}
      </ul>
      <PlayersSection />
      <SubsonicSection template={typedInvalid || remoteProblem ? undefined : effective || undefined} />
    </section>
  );
}
