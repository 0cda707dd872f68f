// A one-line form that asks for a name (a new playlist's, a new name for one): Enter saves, Escape cancels.
import { useState } from 'react';

interface Props {
  readonly label: string;
  readonly initial?: string;
  readonly action: string;
  onSave(name: string): void;
  onCancel(): void;
}

export function NameForm({ label, initial = '', action, onSave, onCancel }: Props) {
  const [name, setName] = useState(initial);
  return (
    <form
      className="name-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim() !== '') onSave(name.trim());
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
      />
      <button type="submit" className="primary" disabled={name.trim() === ''}>
        {action}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
