// Edits the tags of the selected tracks, one or many. A field whose tracks differ shows as mixed and is
// left alone unless typed in; a mixed field emptied is an explicit "clear on N tracks", shown in the field
// and beside Save (never a silent side effect of typing and deleting); values are checked as they are
// typed; saving is one undoable batch in the library (files are never written) on exactly the tracks the
// summary shown covers (never one added since) and the other copies the user ticked (none unless copies
// are turned on, beside Save). Only fields typed in are saved, each with what the editor showed when the
// user began typing: a field changed elsewhere since (another window, a `sleeve` command, the mount) is
// marked in the editor with its new value, and Save waits until the user keeps theirs or takes it; the
// backend refuses such a save too. Where an edit differs from what the file says, the file's value shows.

import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { statusOf } from '../../../app/shared/damage.ts';
import { EDITOR_FIELDS, TAG_FIELDS } from '../../../app/shared/fields.ts';
import { formatName } from '../../../app/shared/format-names.ts';
import type { FieldSummary, Result, Target } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { editorKey, labelOf, parseFieldText } from '../field-text.ts';
import { formatCount, formatDuration } from '../format.ts';
import { isConnectionError, RpcCallError } from '../rpc-client.ts';
import { editorChecks, editRequest, whyNotSaved } from '../tag-save.ts';
import { byLowerKey, fieldOf, type Shown } from '../typed-over.ts';
import { loadFailure, useTagDrafts } from '../use-tag-drafts.ts';
import { CopyTagsProposal } from './CopyTagsProposal.tsx';
import { CoverEditor } from './CoverEditor.tsx';
import { EditorCopies } from './EditorCopies.tsx';
import { EditorField } from './EditorField.tsx';
import { LoudnessFacts } from './LoudnessFacts.tsx';

/** A track with none of these has no tags worth the name: its tagged copies' are proposed. */
const NAMING_FIELDS = ['title', 'artist', 'album'];

interface Props {
  readonly target: Target;
  /** Identifies the selection: drafts are kept while it stays the same. */
  readonly targetKey: string;
  readonly title: string;
  onUndo(batchId: number): void;
  /** Selects the next track in the table (Ctrl+Shift+Enter: save, then next); absent when there is none. */
  onNext?(): void;
}

/** The editor of one track; of a file that could not be read, only what is known of it and why. */
export function TagEditor(props: Props & { unreadableId?: number }) {
  if (props.unreadableId === undefined) return <FieldsEditor {...props} />;
  return (
    <section className="tag-editor" aria-label="Tag editor">
      <h2>{props.title}</h2>
      <TrackInfo id={props.unreadableId} />
    </section>
  );
}

function FieldsEditor({ target, targetKey, title, onUndo, onNext }: Props) {
  const {
    summary,
    loadProblem,
    drafts,
    loaded,
    type,
    drop,
    keepMine,
    settle,
    saving: beginSave,
    reload,
  } = useTagDrafts(target, targetKey);
  const { extra, setExtra, copiesOn, setCopiesOn, picked, setPicked } = useSelectionChoices(targetKey);

  const fields = useMemo(() => shownFields(summary, extra), [summary, extra]);

  const checks = editorChecks(fields, drafts, loaded);
  const { clears, conflicts } = checks;
  const dirty = Object.keys(drafts).length > 0;
  const unsavable = whyNotSaved(checks);
  const otherCopies = summary?.copies.others ?? 0;
  const toCopies = copiesOn && otherCopies > 0 ? picked : [];
  const files = (summary?.tracks ?? 0) + toCopies.length;
  const onPicked = useCallback((ids: number[]) => setPicked(ids), [setPicked]);

  const { saving, save } = useSaveDrafts(
    { drafts, loaded, settle, saving: beginSave, reload, summary },
    { dirty, unsavable, clears, toCopies, onUndo },
  );

  const onKeyDown = useEditorKeys({ summary, drafts, drop, save, onNext });

  const addField = (key: string) => setExtra((x) => (x.includes(key) ? x : [...x, key]));
  return (
    <form
      className="tag-editor"
      aria-label="Tag editor"
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{title}</h2>
      {summary && untagged(summary) && (
        <CopyTagsProposal
          preview={summary.preview}
          fields={EDITOR_FIELDS.map((key) => ({ key, label: labelOf(key) }))}
          onTake={(values) => {
            for (const f of fields) if (editorKey(f) in values) type(f, values[editorKey(f)]!);
          }}
        />
      )}
      <FieldList
        fields={fields}
        conflicts={conflicts}
        {...{ summary, loadProblem, drafts, type, drop, keepMine }}
      />
      {/* Beside the fields it writes to: the save bar below would cover it at the editor's end. */}
      {copiesOn && summary && otherCopies > 0 && (
        <EditorCopies
          preview={summary.preview}
          edits={Object.entries(drafts).map(([key, text]) => ({
            key,
            label: labelOf(key),
            values: parseFieldText(key, text),
          }))}
          onPicked={onPicked}
        />
      )}
      <AddField onAdd={addField} />
      <CoverEditor target={target} targetKey={targetKey} copies={toCopies} onUndo={onUndo} />
      {target.kind === 'ids' && target.ids.length === 1 && <TrackInfo id={target.ids[0]!} />}
      <SaveBar
        clears={clears}
        otherCopies={otherCopies}
        notKept={summary?.copies.notKept ?? 0}
        copiesOn={copiesOn}
        onCopiesOn={setCopiesOn}
        dirty={dirty}
        onDiscard={() => drop(Object.keys(drafts))}
        blocked={unsavable !== undefined || saving}
        conflicted={conflicts.length > 0}
        saving={saving}
        files={files}
      />
    </form>
  );
}

type TagDraftState = ReturnType<typeof useTagDrafts>;

/** The fields shown, each with its draft and conflict; while the tags load, that they do or why not. */
function FieldList({
  summary,
  loadProblem,
  fields,
  drafts,
  conflicts,
  type,
  drop,
  keepMine,
}: Pick<TagDraftState, 'summary' | 'loadProblem' | 'drafts' | 'type' | 'drop' | 'keepMine'> & {
  readonly fields: readonly FieldSummary[];
  readonly conflicts: readonly FieldSummary[];
}) {
  if (!summary)
    return loadProblem ? (
      <div className="problem">{loadProblem}</div>
    ) : (
      <div className="loading">Loading tags…</div>
    );
  return (
    <div className="fields">
      {fields.map((f) => (
        <EditorField
          key={editorKey(f)}
          field={f}
          draft={drafts[editorKey(f)]}
          tracks={summary.tracks}
          conflict={conflicts.includes(f)}
          onType={(text) => type(f, text)}
          onRevert={() => drop([editorKey(f)])}
          onKeepMine={() => keepMine(f)}
        />
      ))}
    </div>
  );
}

/** The editor's keys (editorKeys). Save-and-next leaves the keyboard in the field it was pressed in, once
 *  the next track's fields show; Escape in a field typed in drops that field's draft, elsewhere all. */
function useEditorKeys({
  summary,
  drafts,
  drop,
  save,
  onNext,
}: Pick<TagDraftState, 'summary' | 'drafts' | 'drop'> & { save(): Promise<boolean>; onNext?(): void }) {
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    if (!summary || refocus.current === null) return;
    document.getElementById(refocus.current)?.focus();
    refocus.current = null;
  }, [summary]);
  const dirty = Object.keys(drafts).length > 0;
  return editorKeys({
    save,
    next:
      onNext &&
      ((from) => {
        refocus.current = from;
        onNext();
      }),
    discard: dirty ? (field) => drop(field && field in drafts ? [field] : Object.keys(drafts)) : undefined,
  });
}

/**
 * Saving the drafts as one undoable edit of the tracks the summary covers and the copies ticked, each field
 * with what the editor showed when the user began typing it; a conflict the backend finds reloads the
 * summary, so that it shows.
 */
function useSaveDrafts(
  {
    drafts,
    loaded,
    settle,
    saving: beginSave,
    reload,
    summary,
  }: Pick<TagDraftState, 'drafts' | 'loaded' | 'settle' | 'saving' | 'reload' | 'summary'>,
  {
    dirty,
    unsavable,
    clears,
    toCopies,
    onUndo,
  }: {
    dirty: boolean;
    /** Why the drafts cannot be saved now (whyNotSaved), said when a save is asked for. */
    unsavable: string | undefined;
    clears: ReturnType<typeof editorChecks>['clears'];
    toCopies: readonly number[];
    onUndo(batchId: number): void;
  },
) {
  const { backend, toast, fail, saved: savedNotice, noteOwnChange } = useApp();
  const [saving, setSaving] = useState(false);
  /** Whether the drafts are saved (or there were none): what "save, then next" waits for. */
  const save = async (): Promise<boolean> => {
    if (!dirty) return true;
    if (unsavable !== undefined) toast('error', unsavable);
    if (!summary || unsavable !== undefined || saving) return false;
    setSaving(true);
    const saved = { ...drafts };
    beginSave(saved);
    try {
      noteOwnChange(Object.keys(saved));
      const result = await backend.client.call(
        'tags.edit',
        editRequest(summary.preview, saved, loaded, toCopies),
      );
      settle(saved, true);
      if (result.batch) savedNotice(savedMessage(result, result.batch.id, clears), result.batch.id, onUndo);
      else toast('info', 'Nothing to change: the tracks already have these values.');
      return true;
    } catch (err) {
      settle(saved, false);
      if (err instanceof RpcCallError && err.code === 'conflict') reload();
      fail(err);
      return false;
    } finally {
      setSaving(false);
    }
  };
  return { saving, save };
}

/** What the user chose for this selection, dropped when it changes: fields added by name, and whether
 *  other copies of the selected recordings are listed to be written too (off until turned on) and which
 *  of them are ticked. */
function useSelectionChoices(targetKey: string) {
  const [extra, setExtra] = useState<string[]>([]);
  const [copiesOn, setCopiesOn] = useState(false);
  const [picked, setPicked] = useState<number[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: these belong to one selection
  useEffect(() => {
    setExtra([]);
    setCopiesOn(false);
    setPicked([]);
  }, [targetKey]);
  return { extra, setExtra, copiesOn, setCopiesOn, picked, setPicked };
}

/** The fields the editor lists: its own, those added by name, then every other field the tracks have
 *  (keeping the file's spelling: ASIN, comment:iTunNORM; keys compare case-insensitively). */
function shownFields(summary: Shown | null, extra: readonly string[]): FieldSummary[] {
  const keys = [...EDITOR_FIELDS, ...extra.filter((k) => !EDITOR_FIELDS.includes(k))];
  const seen = new Set(keys);
  for (const f of summary?.fields ?? [])
    if (!seen.has(f.key.toLowerCase())) {
      keys.push(f.key);
      seen.add(f.key.toLowerCase());
    }
  const byKey = byLowerKey(summary);
  return keys.map((k) => fieldOf(summary, byKey, k));
}

/** One track with other copies and no tags worth the name: its tagged copies' are proposed. */
const untagged = (summary: Shown): boolean =>
  summary.tracks === 1 &&
  summary.copies.others > 0 &&
  !summary.fields.some((f) => NAMING_FIELDS.includes(f.key.toLowerCase()) && f.values?.length);

/** What a save says: the tracks saved, the edit's number, the fields it cleared and its warnings. */
function savedMessage(
  result: { changedTracks: number; warnings: readonly string[] },
  batch: number,
  clears: readonly FieldSummary[],
): string {
  const cleared = clears.map((f) => `${labelOf(editorKey(f))} on ${formatCount(f.tracks, 'track')}`);
  return (
    `Saved ${formatCount(result.changedTracks, 'track')} as edit ${batch}` +
    `${cleared.length > 0 ? `, clearing ${cleared.join(' and ')}` : ''}` +
    `${result.warnings.length > 0 ? ` (${result.warnings.join('; ')})` : ''}`
  );
}

/** The editor's keys: Ctrl+Shift+Enter saves, then opens the next track; Ctrl+Enter or Ctrl+S saves;
 *  Escape drops drafts, told the field it was pressed in, and with none gives the keyboard back to the
 *  track table (E brought it here: a keyboard user had no way back but the mouse). */
function editorKeys(on: {
  save(): Promise<boolean>;
  /** Told the element the keys were pressed in (its id). */
  next: ((from: string) => void) | undefined;
  discard: ((field: string | undefined) => void) | undefined;
}) {
  return (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key === 'Enter') {
      e.preventDefault();
      const from = (e.target as HTMLElement).id;
      void on.save().then((ok) => ok && on.next?.(from));
    } else if ((e.ctrlKey || e.metaKey) && (e.key === 'Enter' || e.key.toLowerCase() === 's')) {
      e.preventDefault();
      void on.save();
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      const id = (e.target as HTMLElement).id;
      if (on.discard) on.discard(id.startsWith('field-') ? id.slice('field-'.length) : undefined);
      else document.querySelector<HTMLElement>('.track-table')?.focus();
    }
  };
}

/** A field the editor does not list, added by name (the editor shows it, empty, and focuses it). */
function AddField({ onAdd }: { onAdd(key: string): void }) {
  const { toast } = useApp();
  const [name, setName] = useState('');
  // The field just added, brought into view and focused once shown (the list can be taller than the
  // pane: it would appear below the fold, out of sight).
  const [added, setAdded] = useState<string | null>(null);
  useEffect(() => {
    if (added === null) return;
    const input = document.getElementById(`field-${added}`);
    if (!input) return;
    input.scrollIntoView({ block: 'nearest' });
    input.focus();
    setAdded(null);
  }, [added]);

  const add = () => {
    const key = name.trim().toLowerCase();
    if (!/^[a-z_][a-z0-9_]*$/.test(key)) {
      toast('error', 'A field name is letters, digits and underscores, e.g. mood or musicbrainz_albumid');
      return;
    }
    setName('');
    onAdd(key);
    setAdded(key);
  };
  return (
    <div className="add-field">
      <input
        aria-label="New field name"
        placeholder="add a field (e.g. mood)"
        list="field-names"
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
      />
      <button type="button" onClick={add}>
        Add
      </button>
      {/* Every field by name, with its label: the credits (performer, conductor…) without knowing them. */}
      <datalist id="field-names">
        {TAG_FIELDS.map((f) => (
          <option key={f.name} value={f.name} label={f.label} />
        ))}
      </datalist>
    </div>
  );
}

interface SaveBarProps {
  /** Mixed fields emptied: saving clears them. */
  readonly clears: readonly FieldSummary[];
  readonly otherCopies: number;
  /** Recordings of the selection whose copy players get is not selected. */
  readonly notKept: number;
  readonly copiesOn: boolean;
  onCopiesOn(on: boolean): void;
  readonly dirty: boolean;
  onDiscard(): void;
  /** Save cannot be pressed: a value is invalid, a field changed elsewhere, or a save is under way. */
  readonly blocked: boolean;
  readonly conflicted: boolean;
  readonly saving: boolean;
  /** The files Save writes. */
  readonly files: number;
}

/** What saving will do (the clears, or how to type), the other copies' switch, Discard and Save. */
function SaveBar({
  clears,
  otherCopies,
  notKept,
  copiesOn,
  onCopiesOn,
  dirty,
  onDiscard,
  blocked,
  conflicted,
  saving,
  files,
}: SaveBarProps) {
  return (
    <div className="editor-actions">
      {notKept > 0 && !copiesOn && (
        <span className="not-kept" role="note">
          {notKept === 1
            ? 'Players get another copy of this recording'
            : `Players get other copies of ${notKept} of these recordings`}
          : tick Other copies to write {notKept === 1 ? 'it' : 'them'} too.
        </span>
      )}
      {clears.length > 0 ? (
        <span className="clears" role="status">
          Saving clears{' '}
          {clears.map((f) => `${labelOf(editorKey(f))} on ${formatCount(f.tracks, 'track')}`).join(', ')}
        </span>
      ) : (
        <span className="hint">
          Several values: separate with “;” (in a list, a line each). Empty clears. Ctrl+Enter saves;
          Ctrl+Shift+Enter saves and opens the next track.
        </span>
      )}
      {otherCopies > 0 && (
        <label
          className="checkbox copies-choice"
          title="List the other copies of these recordings; only those ticked are written"
        >
          <input type="checkbox" checked={copiesOn} onChange={(e) => onCopiesOn(e.target.checked)} /> Other
          copies ({otherCopies})
        </label>
      )}
      <button type="button" disabled={!dirty} onClick={onDiscard}>
        Discard
      </button>
      <button
        type="submit"
        className="primary"
        disabled={!dirty || blocked}
        title={conflicted ? 'A field changed elsewhere: keep yours or take it first' : undefined}
      >
        {saving ? 'Saving…' : `Save to ${formatCount(files, 'track')}`}
      </button>
    </div>
  );
}

/** What is wrong with the file, said in the editor (the table's Status column, in a sentence). */
function damageNote(t: Result<'track.details'>['track']): string | null {
  switch (statusOf(t)) {
    case 'missing':
      return 'Missing: the file is not there any more. Its tags and edits are kept; it plays again when it is back.';
    case 'error':
      return `Unreadable: ${t.error}. Scan it again once the file is mended.`;
    case 'truncated':
    case 'warning':
      return `Read with a warning: ${t.warning}.`;
    default:
      return null;
  }
}

/** Where a single selected track lives and what it is: its audio, its damage, its loudness. */
function TrackInfo({ id }: { id: number }) {
  const { backend, libraryVersion } = useApp();
  const [details, setDetails] = useState<Result<'track.details'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the library changes
  useEffect(() => {
    let live = true;
    backend.client.call('track.details', { id }).then(
      (d) => {
        if (!live) return;
        setDetails(d);
        setProblem(null);
      },
      // The backend away is said once, by the editor below; any other failure here.
      (err: unknown) =>
        live && setProblem(isConnectionError(err) ? null : loadFailure(err, 'the track’s details')),
    );
    return () => {
      live = false;
    };
  }, [id, backend, libraryVersion]);
  if (!details) return problem ? <div className="problem">{problem}</div> : null;
  const t = details.track;
  const audio = [
    formatName(t.format ?? null, t.codec),
    t.sampleRate && `${(t.sampleRate / 1000).toFixed(1)} kHz`,
    t.bitDepth && `${t.bitDepth} bit`,
    t.bitrate && `${Math.round(t.bitrate / 1000)} kbps`,
    formatDuration(t.duration),
    details.art.length > 0 && formatCount(details.art.length, 'picture'),
  ].filter(Boolean);
  const damage = damageNote(t);
  return (
    <div className="track-info">
      <div className="track-path" title={t.path}>
        <bdi>{t.path}</bdi>
      </div>
      <div className="hint">{audio.join(' · ')}</div>
      {damage && (
        <div className="problem" role="note">
          {damage}
        </div>
      )}
      {t.status !== 'error' && <LoudnessFacts id={id} loudness={details.loudness} />}
    </div>
  );
}
