// The user's copy rules in the Duplicates view (like beets' duplicate keys): in order, a folder's copies
// first, a format's, or the copy the library had first. A change is previewed — which recordings would
// keep another copy, and which edits go with them — and set exactly as shown.
import { useState } from 'react';
import { copyRuleWords } from '../../../app/shared/copy-rule-words.ts';
import { formatName } from '../../../app/shared/format-names.ts';
import { AUDIO_FORMATS } from '../../../app/shared/format-table.ts';
import { canApply, changed, type RuleKind, ruleFrom } from '../copy-rules-draft.ts';
import { formatCount } from '../format.ts';
import { useCopyRules } from '../use-copy-rules.ts';

export function CopyRules({ onUndo }: { onUndo(batchId: number): void }) {
  const rules = useCopyRules(onUndo);
  const { draft } = rules;
  if (!draft) return null;
  return (
    <details className="copy-rules">
      <summary>
        Copy rules{draft.saved.length > 0 ? ` (${draft.saved.length})` : ''}
        {changed(draft) ? ' · not set yet' : ''}
      </summary>
      {draft.rules.length === 0 ? (
        <p className="dim">No rules: each recording keeps the copy Sleeve ranks first.</p>
      ) : (
        <ol aria-label="Copy rules, first decides">
          {draft.rules.map((rule, i) => (
            <li key={rule}>
              <span>{copyRuleWords(rule)}</span>
              <button
                type="button"
                aria-label={`Move up: ${rule}`}
                disabled={i === 0}
                onClick={() => rules.move(i, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move down: ${rule}`}
                disabled={i === draft.rules.length - 1}
                onClick={() => rules.move(i, 1)}
              >
                ↓
              </button>
              <button
                type="button"
                className="link"
                aria-label={`Remove: ${rule}`}
                onClick={() => rules.remove(i)}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      <AddRule onAdd={rules.add} />
      {rules.problem && (
        <p className="error" role="alert">
          {rules.problem}
        </p>
      )}
      {draft.preview && (
        <section aria-label="What these rules change">
          {draft.preview.changes.length === 0 ? (
            <p>No recording keeps another copy by these rules.</p>
          ) : (
            <>
              <p>{formatCount(draft.preview.changes.length, 'recording')} would keep another copy:</p>
              <ul>
                {draft.preview.changes.map((c) => (
                  <li key={c.group}>
                    {c.to.path} instead of {c.from.path}
                    {c.carries.length > 0 ? ` — your edits of ${c.carries.join(', ')} go with it` : ''}
                    {c.keepsNewer.length > 0
                      ? ` — its own newer edits of ${c.keepsNewer.join(', ')} stay (not those of the copy kept now)`
                      : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      <div className="actions">
        <button type="button" disabled={!changed(draft) || rules.busy} onClick={rules.preview}>
          Preview
        </button>
        <button
          type="button"
          className="primary"
          disabled={!canApply(draft) || rules.busy}
          onClick={rules.apply}
        >
          Set these rules
        </button>
        <button type="button" disabled={!changed(draft)} onClick={rules.discard}>
          Discard changes
        </button>
      </div>
    </details>
  );
}

const KIND_LABELS: Record<RuleKind, string> = {
  folder: 'Copies in a folder',
  format: 'Copies of a format',
  first: 'The copy the library had first',
};

function AddRule({ onAdd }: { onAdd(rule: string): void }) {
  const [kind, setKind] = useState<RuleKind>('folder');
  const [folder, setFolder] = useState('');
  const [format, setFormat] = useState<string>(AUDIO_FORMATS[0]!);
  const rule = ruleFrom(kind, kind === 'format' ? format : folder);
  return (
    <form
      className="add-rule"
      aria-label="Add a copy rule"
      onSubmit={(e) => {
        e.preventDefault();
        if (rule) onAdd(rule);
      }}
    >
      <select aria-label="Rule" value={kind} onChange={(e) => setKind(e.target.value as RuleKind)}>
        {(Object.keys(KIND_LABELS) as RuleKind[]).map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
      {kind === 'folder' && (
        <input
          aria-label="Folder"
          placeholder="/music/lossless"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
        />
      )}
      {kind === 'format' && (
        <select aria-label="Format" value={format} onChange={(e) => setFormat(e.target.value)}>
          {AUDIO_FORMATS.map((f) => (
            <option key={f} value={f}>
              {formatName(f)}
            </option>
          ))}
        </select>
      )}
      <button type="submit" disabled={!rule}>
        Add rule
      </button>
    </form>
  );
}
