// The track table's column chooser: show or hide each column, move it left or right, add any tag as a
// column, or go back to the default set. Every change is kept at once (table-columns.ts).
import { type FormEvent, useRef, useState } from 'react';
import { added, addProblem, listedColumns, moved, toggled } from '../column-choice.ts';
import { columnFor, DEFAULT_COLUMNS, type TableColumns } from '../table-columns.ts';
import { useDismiss } from '../use-dismiss.ts';

/** Headers too short to say what they are. */
const LONG_NAMES: Record<string, string> = {
  tracknumber: '# (track number)',
  duration: 'Time (length)',
  bitrate: 'kbps (bitrate)',
  samplerate: 'kHz (sample rate)',
  replaygain_track_gain: 'Track gain (ReplayGain)',
  replaygain_album_gain: 'Album gain (ReplayGain)',
};

export function ColumnChooser({ table, onClose }: { table: TableColumns; onClose(): void }) {
  const { keys, setKeys } = table;
  const [adding, setAdding] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  useDismiss(dialog, onClose);

  /** Kept only when changed: each change is written to localStorage. */
  const change = (next: readonly string[]) => next !== keys && setKeys(next);
  const toggle = (key: string, on: boolean) => change(toggled(keys, key, on));
  const move = (key: string, by: -1 | 1) => change(moved(keys, key, by));
  const add = (e: FormEvent) => {
    e.preventDefault();
    const key = adding.trim().toLowerCase();
    const why = addProblem(keys, key);
    setProblem(why);
    if (why === null) {
      setKeys(added(keys, key));
      setAdding('');
    }
  };

  return (
    <div ref={dialog} className="column-chooser" role="dialog" aria-label="Columns">
      <ul>
        {listedColumns(keys).map((key) => {
          const column = columnFor(key);
          const shown = keys.includes(key);
          const i = keys.indexOf(key);
          return (
            <li key={key}>
              <label>
                <input type="checkbox" checked={shown} onChange={(e) => toggle(key, e.target.checked)} />
                {LONG_NAMES[key] ?? column.label}
              </label>
              {shown && (
                <span className="moves">
                  <button
                    type="button"
                    aria-label={`Move ${column.label} left`}
                    disabled={i === 0}
                    onClick={() => move(key, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    aria-label={`Move ${column.label} right`}
                    disabled={i === keys.length - 1}
                    onClick={() => move(key, 1)}
                  >
                    ↓
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <form onSubmit={add} className="add-column">
        <input
          aria-label="Tag to show as a column"
          placeholder="any tag, e.g. label or bpm"
          value={adding}
          onChange={(e) => {
            setAdding(e.target.value);
            setProblem(null);
          }}
          spellCheck={false}
        />
        <button type="submit" disabled={!adding.trim()}>
          Add column
        </button>
      </form>
      {problem && <p className="problem">{problem}</p>}
      <div className="actions">
        <button type="button" onClick={() => setKeys(DEFAULT_COLUMNS)}>
          Default columns
        </button>
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
