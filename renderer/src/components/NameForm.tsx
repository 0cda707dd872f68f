// A one-line form that asks for a playlist's name (a new playlist's, a new name for one): Enter saves,
// Escape cancels; a name the library would refuse (too long, a control character) is said as typed.
import { useState } from 'react';
import { nameProblem } from '../../../app/shared/playlist-rules.ts';

interface Props {
  readonly label: string;
  readonly initial?: string;
  readonly action: string;
  onSave(name: string): void;
  onCancel(): void;
}

export function NameForm({ label, initial = '', action, onSave, onCancel }: Props) {
  const [name, setName] = useState(initial);
  const problem = name.trim() === '' ? null : nameProblem(name);
  return (
    <form
      className="name-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim() !== '' && !problem) onSave(name.trim());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <input
        aria-label={label}
        placeholder={label}
        value={name}
        // biome-ignore lint/a11y/noAutofocus: the form opens because the user asked to type a name
        autoFocus
        onChange={(e) => setName(e.target.value)}
        aria-invalid={problem !== null}
      />
      <button type="submit" className="primary" disabled={name.trim() === '' || problem !== null}>
        {action}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {problem && (
        <span className="problem" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}
