// The header's tabs, one per view.
import { VIEWS, type View } from '../views.ts';

export function ViewTabs({ view, onView }: { view: View; onView(view: View): void }) {
  return (
    <div role="tablist" aria-label="Views">
      {VIEWS.map(([id, label]) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={view === id}
          className={view === id ? 'active' : ''}
          onClick={() => onView(id)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
