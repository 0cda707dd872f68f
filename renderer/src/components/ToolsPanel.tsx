// A tagger's tools on the selection: choose a tool, fill in what it needs, see every change it would make
// (before → after, per track; the tracks it leaves and why), then save it as one undoable edit. The
// preview follows the table's order, which numbering uses; it covers the recordings listed, and their
// other copies when asked (a copy numbered as its recording). Save applies that preview, nothing else: a
// track changed since (in another window, by a sleeve command) sends the user back to preview again.
// Saved actions (named sequences of tools, shared with `sleeve action`) are chosen like a tool; the tools
// saved here can be saved as a new one.
import { useEffect, useState } from 'react';
import type { Result, TagToolParams } from '../../../app/shared/rpc-contract.ts';
import { describeTool } from '../../../app/shared/tool-words.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import { recentTools, rememberTool } from '../recent-tools.ts';
import { type ActionEntry, useActions } from '../use-actions.ts';
import { usePreviewed } from '../use-previewed.ts';
import type { SelectionPanelProps } from '../use-tracks-panels.ts';
import { DiffTable } from './DiffTable.tsx';
import { RecordAction } from './RecordAction.tsx';

type Preview = Result<'tools.plan'>;

const TOOLS = {
  replace: 'Find & replace',
  case: 'Change case',
  'from-path': 'Tags from file names',
  number: 'Number tracks',
  trim: 'Trim spaces',
  copy: 'Copy a field',
  swap: 'Swap two fields',
  split: 'Split values',
  join: 'Join values',
  script: 'Run a Picard script',
} as const;
type ToolName = keyof typeof TOOLS;
/** What the Tool list names: a tool, or a saved action as `action:NAME`. */
type Choice = ToolName | `action:${string}`;
const ACTION = 'action:';

/** The form's fields, whichever tool uses them. */
interface Form {
  find: string;
  replace: string;
  regex: boolean;
  ignoreCase: boolean;
  field: string;
  other: string;
  mode: 'title' | 'sentence' | 'upper' | 'lower';
  pattern: string;
  perDisc: boolean;
  totals: boolean;
  separator: string;
  /** A Picard tagging script: what its $set, $unset and $delete change. */
  script: string;
}

const START: Form = {
  find: '',
  replace: '',
  regex: false,
  ignoreCase: false,
  field: '',
  other: '',
  mode: 'title',
  pattern: '%tracknumber% - %title%',
  perDisc: true,
  totals: false,
  separator: '; ',
  script: '',
};

const fieldList = (f: string) =>
  f
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function toolOf(name: ToolName, f: Form): TagToolParams {
  switch (name) {
    case 'replace':
      return {
        kind: 'replace',
        fields: fieldList(f.field),
        find: f.find,
        replace: f.replace,
        regex: f.regex,
        ignoreCase: f.ignoreCase,
      };
    case 'case':
      return { kind: 'case', fields: fieldList(f.field), mode: f.mode };
    case 'trim':
      return { kind: 'trim', fields: fieldList(f.field) };
    case 'from-path':
      return { kind: 'from-path', pattern: f.pattern };
    case 'number':
      return { kind: 'number', perDisc: f.perDisc, totals: f.totals };
    case 'copy':
      return { kind: 'copy', from: f.field, to: f.other };
    case 'swap':
      return { kind: 'swap', a: f.field, b: f.other };
    case 'split':
    case 'join':
      return { kind: name, field: f.field, separator: f.separator };
    case 'script':
      return { kind: 'script', script: f.script };
  }
}

/** What the chosen tool needs filled in. */
function ToolFields({
  name,
  form,
  set,
}: {
  name: ToolName;
  form: Form;
  set: <K extends keyof Form>(key: K, value: Form[K]) => void;
}) {
  const text = (key: 'find' | 'replace' | 'field' | 'other' | 'pattern' | 'separator', label: string) => (
    <label>
      {label} <input value={form[key]} onChange={(e) => set(key, e.target.value)} />
    </label>
  );
  const check = (key: 'regex' | 'ignoreCase' | 'perDisc' | 'totals', label: string) => (
    <label className="checkbox">
      <input type="checkbox" checked={form[key]} onChange={(e) => set(key, e.target.checked)} /> {label}
    </label>
  );
  return (
    <>
      {name === 'replace' && (
        <>
          {text('find', 'Find')}
          {text('replace', 'Replace with')}
          {check('regex', 'Regular expression ($1… for groups)')}
          {check('ignoreCase', 'Ignore case')}
          {text('field', 'In fields (empty: every text field)')}
        </>
      )}
      {name === 'case' && (
        <>
          <label>
            Case{' '}
            <select value={form.mode} onChange={(e) => set('mode', e.target.value as Form['mode'])}>
              <option value="title">Title Case</option>
              <option value="sentence">Sentence case</option>
              <option value="upper">UPPER CASE</option>
              <option value="lower">lower case</option>
            </select>
          </label>
          {text('field', 'In fields (empty: every text field)')}
        </>
      )}
      {name === 'trim' && text('field', 'In fields (empty: every text field)')}
      {name === 'from-path' && text('pattern', 'Pattern (%field% or $field, %_% to skip, / for folders)')}
      {name === 'number' && (
        <>
          {check('perDisc', 'Restart at each disc')}
          {check('totals', 'Set the total tracks')}
        </>
      )}
      {(name === 'copy' || name === 'swap') && (
        <>
          {text('field', name === 'copy' ? 'From field' : 'Field')}
          {text('other', name === 'copy' ? 'To field' : 'And field')}
        </>
      )}
      {name === 'script' && (
        <label>
          Script (Picard's TaggerScript: what its $set changes){' '}
          <textarea
            rows={4}
            spellCheck={false}
            value={form.script}
            onChange={(e) => set('script', e.target.value)}
          />
        </label>
      )}
      {(name === 'split' || name === 'join') && (
        <>
          {text('field', 'Field')}
          {text('separator', 'Separator')}
        </>
      )}
    </>
  );
}

/** What a tool would change, file by file (the first ones), and the tracks it leaves and why. */
function ToolPreview({ preview }: { preview: Preview }) {
  const paths = new Map(preview.paths.map((p) => [p.id, p.path]));
  const byFile = new Map<number, Preview['changes']>();
  for (const c of preview.changes) {
    const list = byFile.get(c.fileId) ?? [];
    list.push(c);
    byFile.set(c.fileId, list);
  }
  return (
    <section className="tool-preview" aria-label="Preview">
      <p className="hint">
        {preview.files === 0 ? 'Nothing would change' : `${formatCount(preview.files, 'track')} would change`}
        {preview.skippedTotal > 0 ? ` · ${formatCount(preview.skippedTotal, 'track')} left unchanged` : ''}
        {preview.partlyTotal > 0 ? ` · ${formatCount(preview.partlyTotal, 'track')} partly changed` : ''}
        {preview.files > byFile.size ? ` · the first ${byFile.size} shown` : ''}
        {preview.otherCopies > 0
          ? ` · ${formatCount(preview.otherCopies, 'other copy', 'other copies')} left as they are`
          : ''}
      </p>
      <ul className="proposals">
        {[...byFile].map(([id, changes]) => (
          <li key={id}>
            <strong>{paths.get(id)?.split('/').pop()}</strong>
            <DiffTable changes={changes} />
          </li>
        ))}
        {preview.skipped.slice(0, 50).map((s) => (
          <li key={`skip-${s.fileId}`} className="review">
            <strong>{paths.get(s.fileId)?.split('/').pop()}</strong> left as it is: {s.reason}
          </li>
        ))}
        {preview.partly.slice(0, 50).map((s) => (
          <li key={`partly-${s.fileId}`} className="review">
            <strong>{paths.get(s.fileId)?.split('/').pop()}</strong> partly changed: {s.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A saved action's steps, in order, and a way to remove it: asked once more, as it cannot be undone. */
function ActionSteps({ action, remove }: { action: ActionEntry; remove(): void }) {
  const [asking, setAsking] = useState(false);
  return (
    <div className="action-steps">
      {'problem' in action ? (
        <p className="field-problem">{action.problem}</p>
      ) : (
        <ol aria-label="Steps">
          {action.steps.map((step, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an action's steps are its order
            <li key={i}>{describeTool(step)}</li>
          ))}
        </ol>
      )}
      {asking ? (
        <p role="alert">
          Remove the action "{action.name}" for good?{' '}
          <button type="button" onClick={remove}>
            Remove
          </button>{' '}
          <button type="button" onClick={() => setAsking(false)}>
            Keep it
          </button>
        </p>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          Remove this action…
        </button>
      )}
    </div>
  );
}

/**
 * The panel's state: the chosen tool or action, its form, whether other copies are in, and the preview
 * (asked for the selection in the table's order, dropped when any of those change) that Save applies.
 */
function useToolPlan({ target, targetKey, sort, onClose, onUndo }: SelectionPanelProps) {
  const { backend, saved } = useApp();
  const [name, setName] = useState<Choice>('replace');
  /** The tool the shown preview is of (remembered once saved). */
  const [previewed, setPreviewed] = useState<TagToolParams | null>(null);
  const [form, setForm] = useState<Form>(START);
  const [copies, setCopies] = useState(false);
  const shown = usePreviewed<Preview>();
  const { reset } = shown;
  // A preview is of the selection and order it was made for: another one needs a new preview before Save.
  const sortKey = JSON.stringify(sort);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the selection is described by targetKey
  useEffect(() => reset(), [targetKey, sortKey]);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    reset(); // a preview is of the form as it was
  };
  const ask = () =>
    shown.ask(async () => {
      const tool = name.startsWith(ACTION) ? null : toolOf(name as ToolName, form);
      const plan = await backend.client.call('tools.plan', {
        target,
        sort,
        ...(tool ? { tool } : { action: name.slice(ACTION.length) }),
        ...(copies ? { copies } : {}),
      });
      setPreviewed(tool);
      return plan;
    });

  const save = () =>
    shown.save(async (token) => {
      const r = await backend.client.call('tools.apply', { preview: token });
      if (previewed) rememberTool(previewed);
      if (r.batch) saved(r.batch.description, r.batch.id, onUndo);
      onClose();
    });
  const choose = (choice: Choice) => {
    setName(choice);
    reset();
  };
  const setCopiesAndReset = (on: boolean) => {
    setCopies(on);
    reset();
  };
  return { name, choose, form, set, copies, setCopies: setCopiesAndReset, shown, ask, save };
}

export function ToolsPanel(props: SelectionPanelProps) {
  const { onClose } = props;
  const { fail } = useApp();
  const { name, choose, form, set, copies, setCopies, shown, ask, save } = useToolPlan(props);
  const { preview, problem, busy } = shown;
  const { actions, save: saveAction, remove } = useActions();
  const action = name.startsWith(ACTION)
    ? actions.find((a) => a.name === name.slice(ACTION.length))
    : undefined;
  const [recent] = useState(recentTools);

  return (
    <section className="tools-panel" aria-label="Tag tools">
      <h3>Tag tools</h3>
      <ToolChooser name={name} actions={actions} onChoose={choose} />
      <div className="tool-form">
        {action ? (
          <ActionSteps
            action={action}
            remove={() => void remove(action.name).then(() => choose('replace'), fail)}
          />
        ) : (
          !name.startsWith(ACTION) && <ToolFields name={name as ToolName} form={form} set={set} />
        )}
        <label className="checkbox">
          <input type="checkbox" checked={copies} onChange={(e) => setCopies(e.target.checked)} /> And their
          other copies
        </label>
      </div>
      {problem && (
        <div className="field-problem" role="alert">
          {problem}
        </div>
      )}
      {preview && <ToolPreview preview={preview} />}
      {recent.length > 0 && (
        <RecordAction tools={recent} save={saveAction} onSaved={(saved) => choose(`${ACTION}${saved}`)} />
      )}
      <PreviewSave
        canSave={!busy && !!preview && preview.files > 0}
        busy={busy}
        onClose={onClose}
        onPreview={() => void ask()}
        onSave={() => void save()}
      />
    </section>
  );
}

/** Which tool, or which saved action, the panel runs. */
function ToolChooser(props: {
  readonly name: Choice;
  readonly actions: readonly { readonly name: string }[];
  onChoose(choice: Choice): void;
}) {
  const { name, actions, onChoose } = props;
  return (
    <label>
      Tool{' '}
      <select value={name} onChange={(e) => onChoose(e.target.value as Choice)}>
        {Object.entries(TOOLS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
        {actions.length > 0 && (
          <optgroup label="Saved actions">
            {actions.map((a) => (
              <option key={a.name} value={`${ACTION}${a.name}`}>
                {a.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  );
}

/** Close, Preview, and Save, which saves only the preview shown. */
function PreviewSave(props: {
  readonly canSave: boolean;
  readonly busy: boolean;
  onClose(): void;
  onPreview(): void;
  onSave(): void;
}) {
  const { canSave, busy, onClose, onPreview, onSave } = props;
  return (
    <div className="editor-actions">
      <button type="button" onClick={onClose}>
        Close
      </button>
      <button type="button" disabled={busy} onClick={onPreview}>
        Preview
      </button>
      <button type="button" className="primary" disabled={!canSave} onClick={onSave}>
        Save
      </button>
    </div>
  );
}
