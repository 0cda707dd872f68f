// The keyboard shortcuts (? opens this).
import { useEffect, useRef } from 'react';

export const SHORTCUTS: ReadonlyArray<[string, string]> = [
  ['/', 'Focus the query bar'],
  ['↓ in the query bar', 'Into the track list, on its first track'],
  ['↑ ↓ PgUp PgDn Home End', 'Move through tracks'],
  ['Shift + move or click', 'Extend the selection'],
  ['Ctrl + click', 'Add or remove one track'],
  ['Ctrl + A', 'Select all tracks of the query'],
  ['Esc', 'Clear the selection, close a dialog'],
  ['Enter, double-click', 'Play the track'],
  ['Space', 'Play / pause'],
  ['← →', 'Seek 5 s back / forward'],
  ['E', 'Edit tags of the selection (shows a hidden editor)'],
  ['Shift + F10, menu key, right-click', 'The track menu: play next, show in folder, copy path…'],
  [
    'Esc in the tag editor',
    'Drop the field’s edit (all of them outside a field; a notice restores it), then back to the track list',
  ],
  ['Ctrl + Enter', 'Save tag edits'],
  ['Ctrl + Shift + Enter', 'Save tag edits and open the next track'],
  ['Ctrl + Z', 'Undo what you did last here (an edit, a playlist removed), else the newest edit'],
  ['Ctrl + Shift + Z, Ctrl + Y', 'Redo the edit undone last'],
  ['M', 'More like this: tracks that sound like the selection'],
  ['1 – 9', 'Tracks, Albums, Artists, Duplicates, Similar, Playlists, Mount, Scan, History'],
  ['?', 'This help'],
];

export function HelpDialog({ onClose }: { onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    dialog?.showModal();
    // Opened with the keyboard on Close, its last element: shown from its title all the same.
    if (dialog) dialog.scrollTop = 0;
  }, []);
  return (
    <dialog ref={ref} className="help" aria-label="Keyboard shortcuts" onClose={onClose} onCancel={onClose}>
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Queries use the same language as <code>sleeve ls</code>: <code>word</code>, <code>field:value</code>,{' '}
        <code>field:=exact</code>, <code>field:/regex/</code>, <code>year:1990..1999</code>,{' '}
        <code>added:-2w..</code> (added in the last two weeks), <code>comp:true</code>, <code>^term</code> to
        negate, <code>field+</code>/<code>field-</code> to sort.
      </p>
      <button type="button" onClick={() => ref.current?.close()}>
        Close
      </button>
    </dialog>
  );
}
