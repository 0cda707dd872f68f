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
        <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
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
      ))}
    </div>
  );
}
