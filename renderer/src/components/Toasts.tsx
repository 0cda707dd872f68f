// The notices (notice-fold.ts folds the older ones). Each goes after its lifetime counted from when it
// shows: one folded away keeps its time, so an undo or an error is not gone before the fold is opened
// (its timer had run from when it came, folded or not), and an opened fold shows each for its whole time.
import { useEffect, useState } from 'react';
import type { Toast } from '../app-context.tsx';
import { foldLine, foldNotices, SHOWN_NOTICES } from '../notice-fold.ts';

export function Toasts({ toasts, dismiss }: { toasts: readonly Toast[]; dismiss(id: number): void }) {
  const [open, setOpen] = useState(false);
  const piled = toasts.length > SHOWN_NOTICES;
  // Closed again once nothing is folded: the next pile starts folded.
  useEffect(() => {
    if (!piled) setOpen(false);
  }, [piled]);
  const { shown, folded, foldedErrors } = foldNotices(toasts, open);
  const older = toasts.length - SHOWN_NOTICES;
  return (
    <div className="toasts" aria-live="polite">
      {piled && (
        <button type="button" className="notice-fold" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open
            ? `Hide ${older === 1 ? 'the earlier notice' : `the ${older} earlier notices`}`
            : `Show ${foldLine(folded, foldedErrors)}`}
        </button>
      )}
      {shown.map((t) => (
        <Notice key={t.id} toast={t} dismiss={dismiss} />
      ))}
    </div>
  );
}

/** One notice shown: it goes once its lifetime has passed since it showed, or when dismissed. */
function Notice({ toast: t, dismiss }: { toast: Toast; dismiss(id: number): void }) {
  useEffect(() => {
    const timer = setTimeout(() => dismiss(t.id), t.lifetime);
    return () => clearTimeout(timer);
  }, [t.id, t.lifetime, dismiss]);
  return (
    <div className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
      <span>{t.text}</span>
      {t.action && (
        <button
          type="button"
          onClick={() => {
            t.action!.run();
            dismiss(t.id);
          }}
        >
          {t.action.label}
        </button>
      )}
      <button type="button" className="close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
        ×
      </button>
    </div>
  );
}
