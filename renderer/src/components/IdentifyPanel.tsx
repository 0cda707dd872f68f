// Identify the selection: every proposal (from the tracks' better-tagged copies, and from AcoustID when it
// is enabled in config.json) as a before → after diff per field; strong ones ticked, those to review not.
// Applying the ticked ones is one undoable edit; a track edited meanwhile is left out and named.
import { useEffect, useState } from 'react';
import type { Result, Target } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';

type Found = Result<'identify.propose'>;
type Proposal = Found['proposals'][number];

interface Props {
  readonly target: Target;
  readonly targetKey: string;
  onClose(): void;
  onUndo(batchId: number): void;
}

const shown = (values: readonly string[]) => (values.length === 0 ? '—' : values.join('; '));
const fileName = (path: string | undefined) => path?.split('/').pop() ?? '';

export function IdentifyPanel({ target, targetKey, onClose, onUndo }: Props) {
  const { backend, toast, fail } = useApp();
  const [found, setFound] = useState<Found | null>(null);
  const [ticked, setTicked] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [copies, setCopies] = useState(true);
  /** Why no proposals could be made (too many tracks, the service down): said in the panel. */
  const [problem, setProblem] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: target is described by targetKey
  useEffect(() => {
    let live = true;
    setFound(null);
    setProblem(null);
    backend.client.call('identify.propose', { target, online: true }).then(
      (f) => {
        if (!live) return;
        setFound(f);
        setTicked(new Set(f.proposals.filter((p) => p.strength === 'strong').map((p) => p.fileId)));
      },
      (err: unknown) => live && setProblem(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [targetKey, backend, fail]);

  const paths = new Map(found?.paths.map((p) => [p.id, p.path]));
  const from = (p: Proposal) =>
    p.source === 'copy'
      ? `its copy ${fileName(paths.get(p.sourceId!))}`
      : `AcoustID (score ${p.score?.toFixed(2)})`;

  const apply = async () => {
    if (!found) return;
    const chosen = found.proposals.filter((p) => ticked.has(p.fileId));
    setBusy(true);
    try {
      const r = await backend.client.call('identify.apply', {
        ...(copies ? { copies: true } : {}),
        proposals: chosen.map((p) => ({
          fileId: p.fileId,
          changes: p.changes.map(({ key, before, after }) => ({ key, before, after })),
        })),
      });
      for (const id of r.stale)
        toast('error', `Not applied to ${fileName(paths.get(id))}: its tags changed since the proposal.`);
      const batch = r.batch;
      if (batch)
        toast(
          'info',
          `Identified ${formatCount(r.applied, 'track')} (edit ${batch.id}). Files are untouched.`,
          {
            label: 'Undo',
            run: () => onUndo(batch.id),
          },
        );
      onClose();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="identify-panel" aria-label="Identify">
      <h3>Identify</h3>
      {!found && !problem && <div className="loading">Looking for proposals…</div>}
      {problem && (
        <div className="field-problem" role="alert">
          {problem}
        </div>
      )}
      {found && (
        <>
          <p className="hint">
            {found.proposals.length === 0
              ? found.online
                ? 'No proposal: no better-tagged copy, and nothing AcoustID could name'
                : 'No proposal: no better-tagged copy'
              : `${formatCount(found.proposals.length, 'proposal')}`}
            {found.online
              ? ` · AcoustID: ${formatCount(found.online.requests, 'request')}, ${found.online.cached} answered before, ${found.online.unknown} unknown`
              : found.onlineEnabled
                ? ''
                : ' · AcoustID is off (identify.acoustid in config.json)'}
          </p>
          <ul className="proposals">
            {found.proposals.map((p) => (
              <li key={p.fileId} className={p.strength}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={ticked.has(p.fileId)}
                    onChange={(e) =>
                      setTicked((t) => {
                        const next = new Set(t);
                        if (e.target.checked) next.add(p.fileId);
                        else next.delete(p.fileId);
                        return next;
                      })
                    }
                  />{' '}
                  <strong>{fileName(paths.get(p.fileId))}</strong> ← {from(p)} ·{' '}
                  <span className="badge">{p.strength === 'strong' ? 'strong' : 'to review'}</span>
                </label>
                {p.reasons.length > 0 && <div className="hint">{p.reasons.join('; ')}</div>}
                <table className="diff">
                  <tbody>
                    {p.changes.map((c) => (
                      <tr key={c.key}>
                        <th scope="row">{c.key}</th>
                        <td className="before">{shown(c.before)}</td>
                        <td>→</td>
                        <td className="after">{shown(c.after)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </li>
            ))}
          </ul>
        </>
      )}
      {found && found.proposals.length > 0 && (
        <label className="checkbox">
          <input type="checkbox" checked={copies} onChange={(e) => setCopies(e.target.checked)} /> Also their
          other copies, so every copy of these recordings agrees
        </label>
      )}
      <div className="editor-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button
          type="button"
          className="primary"
          disabled={!found || ticked.size === 0 || busy}
          onClick={() => void apply()}
        >
          Apply {ticked.size > 0 ? formatCount(ticked.size, 'track') : ''}
        </button>
      </div>
    </section>
  );
}
