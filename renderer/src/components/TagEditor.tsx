// Edits the tags of the selected tracks, one or many. A field whose tracks differ shows as mixed and is
// left alone unless typed in; a mixed field emptied is an explicit "clear on N tracks", shown in the field
// and beside Save (never a silent side effect of typing and deleting); values are checked as they are
// typed; saving is one undoable batch in the library (files are never written) on exactly the tracks the
// summary shown covers (never one added since) and the other copies the user ticked (none unless copies
// are turned on, beside Save). Only fields typed in are saved, each with what the editor showed when the
// user began typing: a field changed elsewhere since (another window, a `sleeve` command, the mount) is
// marked in the editor with its new value, and Save waits until the user keeps theirs or takes it; the
// backend refuses such a save too. Where an edit differs from what the file says, the file's value shows.
import { type KeyboardEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { statusOf } from '../../../app/shared/damage.ts';
import { TAG_FIELDS, validateFieldValue } from '../../../app/shared/fields.ts';
import {
  type FieldSummary,
  MULTI_SEPARATOR,
  type Result,
  type Target,
} from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount, formatDuration } from '../format.ts';
import { isConnectionError, RpcCallError } from '../rpc-client.ts';
import {
  baseOf,
  byLowerKey,
  changedSince,
  fieldOf,
  type Loaded,
  pastOwnChanges,
  type Shown,
} from '../typed-over.ts';
import { CopyTagsProposal } from './CopyTagsProposal.tsx';
import { CoverEditor } from './CoverEditor.tsx';
import { EditorCopies } from './EditorCopies.tsx';
import { LoudnessFacts } from './LoudnessFacts.tsx';

const EDITOR_FIELDS = [
  'title',
  'artist',
  'album',
  'albumartist',
  'tracknumber',
  'totaltracks',
  'discnumber',
  'totaldiscs',
  'date',
  'genre',
  'composer',
  'comment',
];
const LONG_FIELDS = new Set(['comment', 'lyrics']);
/** A track with none of these has no tags worth the name: its tagged copies' are proposed. */
const NAMING_FIELDS = ['title', 'artist', 'album'];
const INFO = new Map(TAG_FIELDS.map((f) => [f.name, f]));

/** A typed field: several values (split on ";" or a line break) for multi-valued fields, one otherwise;
 *  empty clears. */
export function parseFieldText(key: string, text: string): string[] {
  const multi = INFO.get(key)?.multi ?? false;
  const parts = multi ? text.split(/[;\n]/) : [text];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** A list field (the credits, the works) shows a value a line; other fields several as Picard does. */
const isList = (key: string) => INFO.get(key)?.list ?? false;
const fieldText = (key: string, values: readonly string[]) =>
  values.join(isList(key) ? '\n' : MULTI_SEPARATOR);
/** Lines a list field shows before it scrolls. */
const MAX_LIST_ROWS = 8;

/** The draft key of a field: Picard fields by their lower-case name, others as the file spells them. */
function editorKey(f: FieldSummary): string {
  return INFO.has(f.key.toLowerCase()) ? f.key.toLowerCase() : f.key;
}

function labelOf(key: string): string {
  return INFO.get(key)?.label ?? key;
}

function problemOf(key: string, text: string): string | undefined {
  for (const v of parseFieldText(key, text)) {
    const problem = validateFieldValue(key, v);
    if (problem) return problem;
  }
  return undefined;
}

function fileNote(f: FieldSummary, tracks: number): string | undefined {
  if (f.editedTracks === 0) return undefined;
  const file =
    f.fileValues === null
      ? 'the files differ'
      : f.fileValues.length === 0
        ? '(none)'
        : f.fileValues.join(MULTI_SEPARATOR);
  return tracks === 1 ? `file: ${file}` : `edited on ${formatCount(f.editedTracks, 'track')}; file: ${file}`;
}

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
  const { backend, libraryVersion, toast, fail, saved: savedNotice, ownChanges, noteOwnChange } = useApp();
  const [summary, setSummary] = useState<Shown | null>(null);
  // Why the summary did not load (it loads again when the library changes or the backend is back).
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  // What each drafted field showed when the user began typing in it.
  const [loaded, setLoaded] = useState<Record<string, Loaded>>({});
  const [extra, setExtra] = useState<string[]>([]);
  const [newField, setNewField] = useState('');
  const [saving, setSaving] = useState(false);
  // Whether other copies of the selected recordings are listed to be written too (off until turned on),
  // and which of them are ticked.
  const [copiesOn, setCopiesOn] = useState(false);
  const [picked, setPicked] = useState<number[]>([]);
  // Raised to load the summary again when a save was refused because it was out of date.
  const [reloads, setReloads] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: drafts belong to one selection
  useEffect(() => {
    setDrafts({});
    setLoaded({});
    setExtra([]);
    setSummary(null);
    setLoadProblem(null);
    setCopiesOn(false);
    setPicked([]);
  }, [targetKey]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: target is described by targetKey
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const shownAt = ownChanges.count;
      backend.client.call('tags.summary', { target }).then(
        (result) => {
          if (!live) return;
          const s = { ...result, shownAt };
          setSummary(s);
          setLoaded((l) => pastOwnChanges(l, s, ownChanges));
          setLoadProblem(null);
        },
        (err: unknown) => live && setLoadProblem(loadFailure(err, 'the tags')),
      );
    }, 80);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [targetKey, libraryVersion, reloads, backend, fail]);

  const fields = useMemo(() => {
    const keys = [...EDITOR_FIELDS, ...extra.filter((k) => !EDITOR_FIELDS.includes(k))];
    const seen = new Set(keys);
    // Other fields keep the file's spelling (ASIN, comment:iTunNORM): keys compare case-insensitively.
    for (const f of summary?.fields ?? [])
      if (!seen.has(f.key.toLowerCase())) {
        keys.push(f.key);
        seen.add(f.key.toLowerCase());
      }
    const byKey = byLowerKey(summary);
    return keys.map((k) => fieldOf(summary, byKey, k));
  }, [summary, extra]);

  // Mixed fields the user emptied: saving clears them on every selected track that has them.
  const clears = fields.filter((f) => f.values === null && drafts[editorKey(f)] === '');
  const problems = Object.entries(drafts).flatMap(([k, t]) => {
    const p = problemOf(k, t);
    return p ? [p] : [];
  });
  const dirty = Object.keys(drafts).length > 0;
  const otherCopies = summary?.copies.others ?? 0;
  const toCopies = copiesOn && otherCopies > 0 ? picked : [];
  // Drafted fields someone else changed since the user began typing: Save waits for the user's word.
  const conflicts = fields.filter((f) => editorKey(f) in drafts && changedSince(loaded[editorKey(f)], f));
  const files = (summary?.tracks ?? 0) + toCopies.length;
  const onPicked = useCallback((ids: number[]) => setPicked(ids), []);

  /** Drops drafts (and what they were loaded from). */
  const drop = (keys: readonly string[]) => {
    const without = <T,>(r: Record<string, T>) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k)));
    setDrafts(without);
    setLoaded(without);
  };
  /** Types `text` into a field, noting what it showed when the user began. */
  const type = (f: FieldSummary, text: string) => {
    const key = editorKey(f);
    setDrafts((d) => ({ ...d, [key]: text }));
    if (summary) setLoaded((l) => (key in l ? l : { ...l, [key]: baseOf(summary, f, ownChanges.count) }));
  };
  /** The user keeps their draft over a change made elsewhere: it is now typed over what shows. */
  const keepMine = (f: FieldSummary) =>
    summary && setLoaded((l) => ({ ...l, [editorKey(f)]: baseOf(summary, f, summary.shownAt) }));

  /** Whether the drafts are saved (or there were none): what "save, then next" waits for. */
  const save = async (): Promise<boolean> => {
    if (!dirty) return true;
    if (!summary || problems.length > 0 || conflicts.length > 0 || saving) return false;
    setSaving(true);
    try {
      const saved = { ...drafts };
      const changes = Object.entries(saved).map(([key, text]) => ({
        key,
        values: parseFieldText(key, text),
        loadedFrom: loaded[key]?.from ?? summary.preview,
      }));
      const cleared = clears.map((f) => `${labelOf(editorKey(f))} on ${formatCount(f.tracks, 'track')}`);
      noteOwnChange(Object.keys(saved));
      const result = await backend.client.call('tags.edit', {
        preview: summary.preview,
        changes,
        ...(toCopies.length > 0 ? { copies: toCopies } : {}),
      });
      // What was typed while saving stays a draft (over what this save wrote).
      setDrafts((d) => Object.fromEntries(Object.entries(d).filter(([k, v]) => saved[k] !== v)));
      setLoaded((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !(k in saved))));
      if (result.batch) {
        const batch = result.batch;
        savedNotice(
          `Saved ${formatCount(result.changedTracks, 'track')} as edit ${batch.id}` +
            `${cleared.length > 0 ? `, clearing ${cleared.join(' and ')}` : ''}` +
            `${result.warnings.length > 0 ? ` (${result.warnings.join('; ')})` : ''}`,
          batch.id,
          onUndo,
        );
      } else toast('info', 'Nothing to change: the tracks already have these values.');
      return true;
    } catch (err) {
      if (err instanceof RpcCallError && err.code === 'conflict') setReloads((n) => n + 1);
      fail(err);
      return false;
    } finally {
      setSaving(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key === 'Enter') {
      e.preventDefault();
      void save().then((ok) => ok && onNext?.());
    } else if ((e.ctrlKey || e.metaKey) && (e.key === 'Enter' || e.key.toLowerCase() === 's')) {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape' && dirty) {
      e.stopPropagation();
      drop(Object.keys(drafts));
    }
  };

  const addField = () => {
    const key = newField.trim().toLowerCase();
    if (!/^[a-z_][a-z0-9_]*$/.test(key)) {
      toast('error', 'A field name is letters, digits and underscores, e.g. mood or musicbrainz_albumid');
      return;
    }
    setExtra((x) => (x.includes(key) ? x : [...x, key]));
    setNewField('');
    setAdded(key);
  };
  // The field just added, brought into view and focused (the list can be taller than the pane: it would
  // appear below the fold, out of sight).
  const [added, setAdded] = useState<string | null>(null);
  useEffect(() => {
    if (added === null) return;
    const input = document.getElementById(`field-${added}`);
    if (!input) return;
    input.scrollIntoView({ block: 'nearest' });
    input.focus();
    setAdded(null);
  }, [added]);

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
      {summary &&
        summary.tracks === 1 &&
        otherCopies > 0 &&
        !summary.fields.some((f) => NAMING_FIELDS.includes(f.key.toLowerCase()) && f.values?.length) && (
          <CopyTagsProposal
            preview={summary.preview}
            fields={EDITOR_FIELDS.map((key) => ({ key, label: labelOf(key) }))}
            onTake={(values) => {
              for (const f of fields) if (editorKey(f) in values) type(f, values[editorKey(f)]!);
            }}
          />
        )}
      {!summary &&
        (loadProblem ? (
          <div className="problem">{loadProblem}</div>
        ) : (
          <div className="loading">Loading tags…</div>
        ))}
      {summary && (
        <div className="fields">
          {fields.map((f) => {
            const key = editorKey(f);
            const mixed = f.values === null;
            const draft = drafts[key];
            const clearing = mixed && draft === '';
            const shown = draft ?? (mixed ? '' : fieldText(key, f.values!));
            const problem = draft === undefined ? undefined : problemOf(key, draft);
            const note = clearing
              ? `Saving clears ${labelOf(key)} on ${formatCount(f.tracks, 'track')}; ↺ keeps each track's own`
              : fileNote(f, summary.tracks);
            const conflict = conflicts.includes(f);
            const id = `field-${key}`;
            const list = isList(key);
            const Input = LONG_FIELDS.has(key) || list ? 'textarea' : 'input';
            return (
              <div
                key={key}
                className={`field${draft !== undefined ? ' changed' : ''}${clearing ? ' clearing' : ''}${problem || conflict ? ' invalid' : ''}`}
              >
                <label htmlFor={id}>{labelOf(key)}</label>
                <div className="field-input">
                  <Input
                    id={id}
                    name={key}
                    value={shown}
                    {...(list
                      ? { className: 'list', rows: Math.min(MAX_LIST_ROWS, shown.split('\n').length) }
                      : {})}
                    placeholder={
                      clearing
                        ? `(cleared on ${formatCount(f.tracks, 'track')})`
                        : mixed && draft === undefined
                          ? '(mixed)'
                          : ''
                    }
                    aria-invalid={problem !== undefined}
                    spellCheck={false}
                    onChange={(e) => type(f, e.target.value)}
                  />
                  {draft !== undefined && (
                    <button
                      type="button"
                      className="revert"
                      title="Keep the current value"
                      aria-label={`Revert ${key}`}
                      onClick={() => drop([key])}
                    >
                      ↺
                    </button>
                  )}
                </div>
                {conflict && (
                  <div className="field-problem" role="alert">
                    Changed elsewhere since you began typing: now{' '}
                    {mixed ? 'different on each track' : `“${f.values!.join(MULTI_SEPARATOR)}”`}.{' '}
                    <button type="button" onClick={() => keepMine(f)}>
                      Keep mine
                    </button>{' '}
                    <button type="button" onClick={() => drop([key])}>
                      Take theirs
                    </button>
                  </div>
                )}
                {problem && <div className="field-problem">{problem}</div>}
                {!problem && !conflict && note && <div className="field-note">{note}</div>}
              </div>
            );
          })}
        </div>
      )}
      <div className="add-field">
        <input
          aria-label="New field name"
          placeholder="add a field (e.g. mood)"
          value={newField}
          onChange={(e) => setNewField(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              addField();
            }
          }}
        />
        <button type="button" onClick={addField}>
          Add
        </button>
      </div>
      <CoverEditor target={target} targetKey={targetKey} copies={toCopies} onUndo={onUndo} />
      {target.kind === 'ids' && target.ids.length === 1 && <TrackInfo id={target.ids[0]!} />}
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
      <div className="editor-actions">
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
            <input type="checkbox" checked={copiesOn} onChange={(e) => setCopiesOn(e.target.checked)} /> Other
            copies ({otherCopies})
          </label>
        )}
        <button type="button" disabled={!dirty} onClick={() => drop(Object.keys(drafts))}>
          Discard
        </button>
        <button
          type="submit"
          className="primary"
          disabled={!dirty || problems.length > 0 || conflicts.length > 0 || saving}
          title={conflicts.length > 0 ? 'A field changed elsewhere: keep yours or take it first' : undefined}
        >
          {saving ? 'Saving…' : `Save ${formatCount(files, 'file')}`}
        </button>
      </div>
    </form>
  );
}

/** What the editor says when it cannot load `what`: the backend away (it reloads once back), or why. */
function loadFailure(err: unknown, what: string): string {
  if (isConnectionError(err)) return `Sleeve’s backend is not answering: ${what} load again once it is back.`;
  return `Cannot load ${what}: ${err instanceof Error ? err.message : String(err)}`;
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
    t.format?.toUpperCase(),
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
