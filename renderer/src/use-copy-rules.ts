// The Duplicates view's copy rules: the rules in force loaded, the draft edited (copy-rules-draft.ts), what
// it changes previewed, and set as previewed — the backend refuses, changing nothing, if the copies the
// rules keep moved since (a scan, an edit), and the preview is then made again.
import { useCallback, useEffect, useState } from 'react';
import { useApp } from './app-context.tsx';
import {
  addRule,
  draftOf,
  moveRule,
  previewed,
  type RulesDraft,
  rebased,
  removeRule,
} from './copy-rules-draft.ts';
import { RpcCallError } from './rpc-client.ts';

export interface CopyRules {
  /** Null until the rules in force are loaded. */
  readonly draft: RulesDraft | null;
  /** Why the last preview or setting was refused (a rule that is none, the copies moved on). */
  readonly problem: string | null;
  readonly busy: boolean;
  add(rule: string): void;
  remove(at: number): void;
  move(at: number, by: -1 | 1): void;
  discard(): void;
  preview(): void;
  apply(): void;
}

export function useCopyRules(onUndo: (batchId: number) => void): CopyRules {
  const { backend, fail, saved, toast, libraryVersion } = useApp();
  const { client } = backend;
  const [draft, setDraft] = useState<RulesDraft | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Again as the library changes: rules set elsewhere (the CLI) are the ones in force.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the library changes
  useEffect(() => {
    client
      .call('dup.rules', {})
      .then((r) => setDraft((d) => (d ? rebased(d, r.rules) : draftOf(r.rules))), fail);
  }, [client, fail, libraryVersion]);

  const edit = (change: (d: RulesDraft) => RulesDraft) => {
    setDraft((d) => d && change(d));
    setProblem(null);
  };
  /** A refusal the user can act on is said beside the rules; anything else is a failure. */
  const refused = useCallback(
    (err: unknown) => {
      if (err instanceof RpcCallError && (err.code === 'bad_request' || err.code === 'conflict'))
        setProblem(err.message);
      else fail(err);
    },
    [fail],
  );

  const preview = () => {
    if (!draft) return;
    const { rules } = draft;
    setBusy(true);
    client
      .call('dup.setRules', { rules: [...rules], apply: false })
      .then((r) => {
        setDraft((d) => d && previewed(d, { rules, changes: r.changes }));
        setProblem(null); // what a refusal before said is answered by this preview
      }, refused)
      .finally(() => setBusy(false));
  };

  const apply = () => {
    if (!draft?.preview) return;
    const { rules, preview: shown } = draft;
    setBusy(true);
    client
      .call('dup.setRules', { rules: [...rules], apply: true, shown: [...shown.changes] })
      .then(
        (r) => {
          setDraft(draftOf(r.rules));
          setProblem(null);
          if (r.carried) saved(r.carried.description, r.carried.id, onUndo);
          else toast('info', r.rules.length === 0 ? 'Copy rules cleared' : 'Copy rules set');
        },
        (err: unknown) => {
          // Shown no longer: previewed again by the user, from what the library holds now.
          setDraft((d) => d && { ...d, preview: null });
          refused(err);
        },
      )
      .finally(() => setBusy(false));
  };

  return {
    draft,
    problem,
    busy,
    add: (rule) => edit((d) => addRule(d, rule)),
    remove: (at) => edit((d) => removeRule(d, at)),
    move: (at, by) => edit((d) => moveRule(d, at, by)),
    discard: () => edit((d) => draftOf(d.saved)),
    preview,
    apply,
  };
}
