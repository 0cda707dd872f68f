// The mount view: the path template (checked as you type, with a live preview of the paths for the
// selected tracks), mounting and unmounting, and each mount's status with what its daemon reported.
import { useState } from 'react';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import type { InputProblem } from '../input-problem.ts';
import { checkTemplate, mountRefusal } from '../mount-form.ts';
import { useMountStatus } from '../use-mount-status.ts';
import { useStoredFlag } from '../use-stored-flag.ts';
import { useTemplatePreview } from '../use-template-preview.ts';
import { ActiveMounts } from './ActiveMounts.tsx';
import { CheckedInput } from './CheckedInput.tsx';
import { PlayersSection } from './PlayersSection.tsx';
import { SaveConflicts } from './SaveConflicts.tsx';
import { SetAsideSaves } from './SetAsideSaves.tsx';
import { SubsonicSection } from './SubsonicSection.tsx';

const TEMPLATE_KEY = 'sleeve.mountTemplate';
const MOUNTPOINT_KEY = 'sleeve.mountpoint';
const ALL_COPIES_KEY = 'sleeve.mount.allCopies';

interface Props {
  /** Tracks to preview paths for: the selection, else the first tracks of the list. */
  readonly previewIds: readonly number[];
  readonly previewLabel: string;
}

export function MountView({ previewIds, previewLabel }: Props) {
  const { backend } = useApp();
  const { status, setStatus, busy, act } = useMountStatus();
  const [template, setTemplate] = useState(() => localStorage.getItem(TEMPLATE_KEY) ?? '');
  const [mountpoint, setMountpoint] = useState(() => localStorage.getItem(MOUNTPOINT_KEY) ?? '');
  const [allCopies, setAllCopies] = useStoredFlag(ALL_COPIES_KEY, false);
  // The field's text is invalid (or empty): nothing mounts until it is fixed.
  const [typedInvalid, setTypedInvalid] = useState(false);
  const effective = template || status?.defaultTemplate || '';
  const { preview, remoteProblem, retype } = useTemplatePreview(effective, previewIds);

  const mount = () => {
    localStorage.setItem(MOUNTPOINT_KEY, mountpoint);
    act(
      () =>
        backend.client.call('mount.start', { mountpoint: mountpoint.trim(), template: effective, allCopies }),
      `Mounted at ${mountpoint}`,
    );
  };
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
      <TemplateSection
        value={effective}
        onText={(valid) => {
          setTypedInvalid(!valid);
          retype();
        }}
        onValid={(t) => {
          setTemplate(t);
          localStorage.setItem(TEMPLATE_KEY, t);
        }}
        remoteProblem={remoteProblem}
        preview={preview}
        previewIds={previewIds}
        previewLabel={previewLabel}
      />
      <MountControls
        mountpoint={mountpoint}
        onMountpoint={setMountpoint}
        allCopies={allCopies}
        onAllCopies={setAllCopies}
        refusal={mountRefusal({
          busy,
          unavailable: status?.unavailable,
          mountpoint,
          templateInvalid: typedInvalid || remoteProblem !== undefined,
        })}
        onMount={mount}
      />
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
      <ActiveMounts mounts={status?.mounts ?? []} busy={busy} act={act} />
      <PlayersSection />
      <SubsonicSection template={typedInvalid || remoteProblem ? undefined : effective || undefined} />
    </section>
  );
}

/** Where to mount, whether every copy of a recording shows, and the button, with why it cannot mount. */
function MountControls(props: {
  readonly mountpoint: string;
  onMountpoint(path: string): void;
  readonly allCopies: boolean;
  onAllCopies(on: boolean): void;
  readonly refusal: string | undefined;
  onMount(): void;
}) {
  const { mountpoint, onMountpoint, allCopies, onAllCopies, refusal, onMount } = props;
  return (
    <div className="form-row mount-controls">
      <label>
        Mount point{' '}
        <input
          type="text"
          aria-label="Mount point"
          placeholder="e.g. ~/Sleeve: an empty or new folder"
          value={mountpoint}
          onChange={(e) => onMountpoint(e.target.value)}
        />
      </label>
      <label
        className="checkbox"
        title="Off: one file per recording, the copy it keeps (chosen in Duplicates)"
      >
        <input type="checkbox" checked={allCopies} onChange={(e) => onAllCopies(e.target.checked)} /> Every
        copy of a recording
      </label>
      <button
        type="button"
        className="primary"
        disabled={refusal !== undefined}
        title={refusal}
        onClick={onMount}
      >
        Mount
      </button>
    </div>
  );
}

/** The path template, checked as typed (by the backend too), and the paths it makes for a few tracks. */
function TemplateSection(props: {
  readonly value: string;
  onText(valid: boolean): void;
  onValid(template: string): void;
  readonly remoteProblem: InputProblem | undefined;
  readonly preview: ReturnType<typeof useTemplatePreview>['preview'];
  readonly previewIds: readonly number[];
  readonly previewLabel: string;
}) {
  const { value, onText, onValid, remoteProblem, preview, previewIds, previewLabel } = props;
  return (
    <>
      <div className="form-row">
        <div className="label">Path template</div>
        <CheckedInput
          value={value}
          label="Path template"
          errorId="template-error"
          className="template-input"
          check={checkTemplate}
          onText={(_, valid) => onText(valid)}
          onValid={onValid}
          remoteProblem={remoteProblem}
        />
        <p className="dim hint">
          <code>$field</code>,{' '}
          <code>
            %if{'{'}cond,then,else{'}'}
          </code>
          ,{' '}
          <code>
            %ifdef{'{'}field,then,else{'}'}
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
    </>
  );
}
