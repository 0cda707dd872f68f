// The tag editor's state for one selection: the summary shown (loaded again when the library changes, the
// backend is back, or a save was refused as out of date), what the user typed in each field, and what each
// field showed when they began typing in it (typed-over.ts), so a save says what it was typed over. Drafts
// left unsaved are kept (use-put-aside.ts).
import { useEffect, useState } from 'react';
import type { FieldSummary, Target } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { editorKey } from './field-text.ts';
import { isConnectionError } from './rpc-client.ts';
import { baseOf, type Loaded, pastOwnChanges, type Shown } from './typed-over.ts';
import { asideKey, usePutAside } from './use-put-aside.ts';

/** Waits this long after a change of selection before asking: arrowing through rows asks once. */
const SETTLE_MS = 80;

/** What the editor says when it cannot load `what`: the backend away (it reloads once back), or why. */
export function loadFailure(err: unknown, what: string): string {
  if (isConnectionError(err)) return `Sleeve’s backend is not answering: ${what} load again once it is back.`;
  return `Cannot load ${what}: ${err instanceof Error ? err.message : String(err)}`;
}

export function useTagDrafts(target: Target, targetKey: string) {
  const { backend, libraryVersion, ownChanges } = useApp();
  const [summary, setSummary] = useState<Shown | null>(null);
  // Why the summary did not load (it loads again when the library changes or the backend is back).
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [loaded, setLoaded] = useState<Record<string, Loaded>>({});
  // Raised to load the summary again when a save was refused because it was out of date.
  const [reloads, setReloads] = useState(0);
  const aside = usePutAside(asideKey(target), { drafts, loaded, setDrafts, setLoaded });

  // biome-ignore lint/correctness/useExhaustiveDependencies: the summary is one selection's
  useEffect(() => {
    setSummary(null);
    setLoadProblem(null);
  }, [targetKey]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: target is described by targetKey
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const shownAt = ownChanges.count;
      backend.client.call('tags.summary', { target }).then(
        (result) => {
          if (!live) return;
          const s = { ...result, shownAt };
          setSummary(s);
          setLoaded((l) => pastOwnChanges(l, s, ownChanges));
          setLoadProblem(null);
        },
        (err: unknown) => live && setLoadProblem(loadFailure(err, 'the tags')),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [targetKey, libraryVersion, reloads, backend]);

  return {
    summary,
    loadProblem,
    drafts,
    loaded,
    /** Types `text` into a field, noting what it showed when the user began. */
    type(f: FieldSummary, text: string) {
      const key = editorKey(f);
      setDrafts((d) => ({ ...d, [key]: text }));
      if (summary) setLoaded((l) => (key in l ? l : { ...l, [key]: baseOf(summary, f, ownChanges.count) }));
    },
    /** Drops drafts (and what they were loaded from), said with Restore. */
    drop: aside.discard,
    /** The user keeps their draft over a change made elsewhere: it is now typed over what shows. */
    keepMine(f: FieldSummary) {
      if (summary) setLoaded((l) => ({ ...l, [editorKey(f)]: baseOf(summary, f, summary.shownAt) }));
    },
    /** A save of `saved` begins (use-put-aside.ts: a user who leaves meanwhile). */
    saving: aside.saving,
    /** The save of `saved` ended (`ok`: it is in the library): what was typed while saving stays a draft
     *  (over what it wrote), in this editor if it is the selection's still. */
    settle(saved: Readonly<Record<string, string>>, ok: boolean) {
      if (!aside.saved(ok) || !ok) return;
      setDrafts((d) => Object.fromEntries(Object.entries(d).filter(([k, v]) => saved[k] !== v)));
      setLoaded((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !(k in saved))));
    },
    /** The summary again (a save was refused as out of date). */
    reload: () => setReloads((n) => n + 1),
  };
}
