// "Save as an action": the tools saved in this window, each with a tick the user sets (all ticked at first,
// every one shown; nothing unticks by itself), a name, and Save. A name already taken is refused unless
// the user ticks "Replace".
import { useState } from 'react';
import type { TagToolParams } from '../../../app/shared/rpc-contract.ts';
import { describeTool } from '../../../app/shared/tool-words.ts';

interface Props {
  readonly tools: readonly TagToolParams[];
  save(name: string, steps: readonly TagToolParams[], replace: boolean): Promise<string>;
  onSaved(name: string): void;
}

export function RecordAction({ tools, save, onSaved }: Props) {
  const [ticked, setTicked] = useState(() => tools.map(() => true));
  const [name, setName] = useState('');
  const [replace, setReplace] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const steps = tools.filter((_, i) => ticked[i]);
  const submit = async () => {
    setProblem(null);
    setBusy(true); // one save at a time: a second click would meet the first as a name taken
    try {
      onSaved(await save(name, steps, replace));
      setName('');
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="record-action">
      <summary>Save the tools you used as an action</summary>
      <ol>
        {tools.map((tool, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is fixed while the panel is open
          <li key={i}>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={ticked[i]}
                onChange={(e) => setTicked((t) => t.map((v, j) => (j === i ? e.target.checked : v)))}
              />{' '}
              {describeTool(tool)}
            </label>
          </li>
        ))}
      </ol>
      <label>
        Action name <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace an
        action of that name
      </label>
      {problem && (
        <div className="field-problem" role="alert">
          {problem}
        </div>
      )}
      <button
        type="button"
        disabled={busy || name.trim() === '' || steps.length === 0}
        onClick={() => void submit()}
      >
        Save action ({steps.length} {steps.length === 1 ? 'step' : 'steps'})
      </button>
    </details>
  );
}
