// Files the scan could not read, or read with a problem, in the Scan view: a window of a long list.

import { useState } from 'react';
import type { Result } from '../../../app/shared/rpc-contract.ts';
import { useApp, useWindowStore } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import { useViewport } from '../use-viewport.ts';

type ErrorFile = Result<'scan.errors'>['files'][number];
const ERROR_ROW = 44;

/** Files the scan could not read, or read with a problem: a window of them, each with its reason. */
export function FileProblems({
  method,
  label,
  heading,
}: {
  readonly method: 'scan.errors' | 'scan.warnings';
  readonly label: string;
  readonly heading: string;
}) {
  const { backend } = useApp();
  const store = useWindowStore<ErrorFile>(method, (offset, limit) =>
    backend.client.call(method, { offset, limit }).then((r) => ({ total: r.total, items: r.files })),
  );
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const total = store.total ?? 0;
  const view = useViewport(scroller, ERROR_ROW, store);
  if (total === 0) return null;
  const rows = [];
  for (let i = view.first; i <= view.last; i++) {
    const f = store.get(i);
    rows.push(
      <li key={i} style={{ top: i * ERROR_ROW }}>
        <div className="error-path">{f?.path ?? '…'}</div>
        <div className="error-reason">{f?.error}</div>
      </li>,
    );
  }
  return (
    <section className="scan-errors" aria-label={label}>
      <h2>
        {formatCount(total, 'file')} {heading}
      </h2>
      <div ref={setScroller} className="error-list">
        <ul style={{ height: total * ERROR_ROW }}>{rows}</ul>
      </div>
    </section>
  );
}
