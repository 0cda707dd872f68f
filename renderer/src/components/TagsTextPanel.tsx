// Tags in and out as text, on the selection: its tags exported as a spreadsheet file (CSV, TSV or JSON,
// keyed by id and path, with when they were read), and such a file imported back — every change shown
// before it is saved as one undoable edit, which never takes back an edit made since the export (a cell
// changed over one is kept as a conflict). Only selected tracks change: rows naming others are left out.
import type { TextFormat } from '../../../app/shared/text-formats.ts';
import { formatCount } from '../format.ts';
import { type ImportPreview as Preview, useTagsExport, useTagsImport } from '../use-tags-text.ts';
import type { SelectionPanelProps } from '../use-tracks-panels.ts';
import { DiffTable } from './DiffTable.tsx';

export function TagsTextPanel({ target, targetKey, sort, onClose, onUndo }: SelectionPanelProps) {
  const out = useTagsExport(target, sort);
  const into = useTagsImport(target, targetKey, onUndo);
  const nothing = !into.preview || (into.preview.files === 0 && into.preview.conflictsTotal === 0);
  return (
    <section className="tools-panel" aria-label="Tags as text">
      <h3>Tags as text</h3>
      <fieldset>
        <legend>Export the selection</legend>
        <label>
          Format{' '}
          <select value={out.format} onChange={(e) => out.setFormat(e.target.value as TextFormat)}>
            <option value="csv">CSV</option>
            <option value="tsv">TSV</option>
            <option value="json">JSON</option>
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={out.allFields}
            onChange={(e) => out.setAllFields(e.target.checked)}
          />{' '}
          Every field the tracks have (else the editor's)
        </label>
        <button type="button" onClick={() => void out.download()}>
          Export
        </button>
        {out.done && <p className="hint">{out.done}</p>}
      </fieldset>
      <fieldset>
        <legend>Import into the selection</legend>
        <label>
          Spreadsheet{' '}
          <input
            type="file"
            accept=".csv,.tsv,.json"
            disabled={into.busy}
            onChange={(e) => {
              void into.choose(e.target.files?.[0]);
              e.target.value = ''; // the same file chosen again (after a refusal) is read again
            }}
          />
        </label>
        <p className="hint">
          Rows name tracks by id or path; tracks outside the selection are left as they are.
        </p>
        {into.problem && (
          <div className="field-problem" role="alert">
            {into.problem}
          </div>
        )}
        {into.preview && <ImportPreview preview={into.preview} />}
      </fieldset>
      <div className="editor-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button
          type="button"
          className="primary"
          disabled={into.busy || nothing}
          onClick={() => void into.save()}
        >
          Save import
        </button>
      </div>
    </section>
  );
}

function ImportPreview({ preview }: { preview: Preview }) {
  const paths = new Map(preview.paths.map((p) => [p.id, p.path]));
  const name = (id: number) => paths.get(id)?.split('/').pop();
  const byFile = new Map<number, Preview['changes']>();
  for (const c of preview.changes) byFile.set(c.fileId, [...(byFile.get(c.fileId) ?? []), c]);
  return (
    <section className="tool-preview" aria-label="Import preview">
      <p className="hint">
        {preview.files === 0 ? 'Nothing would change' : `${formatCount(preview.files, 'track')} would change`}
        {preview.files > byFile.size ? ` · the first ${byFile.size} shown` : ''}
        {preview.conflictsTotal > 0 ? ` · ${formatCount(preview.conflictsTotal, 'conflict')} kept` : ''}
      </p>
      {preview.outside > 0 && (
        <p className="hint" role="note">
          {formatCount(preview.outside, 'row')} {preview.outside === 1 ? 'names a track' : 'name tracks'}{' '}
          outside the selection, left as they are:{' '}
          {preview.outsidePaths.map((p) => p.split('/').pop()).join(', ')}
          {preview.outside > preview.outsidePaths.length ? '…' : ''}
        </p>
      )}
      <ul className="proposals">
        {[...byFile].map(([id, changes]) => (
          <li key={id}>
            <strong>{name(id)}</strong>
            <DiffTable changes={changes} />
          </li>
        ))}
        {preview.conflicts.map((c) => (
          <li key={`conflict-${c.fileId}-${c.key}`} className="review">
            <strong>{name(c.fileId)}</strong> {c.key} was edited since the export (now “{c.library.join('; ')}
            ”): the sheet's “{c.tagger.join('; ')}” is kept as a conflict
          </li>
        ))}
        {preview.warnings.map((w) => (
          <li key={w} className="review">
            {w}
          </li>
        ))}
      </ul>
    </section>
  );
}
