// The tag editor's state for one selection: the summary shown (loaded again when the library changes, the
// backend is back, or a save was refused as out of date), what the user typed in each field, and what each
// field showed when they began typing in it (typed-over.ts), so a save says what it was typed over. Typing
// is never lost unsaid: drafts left behind (another selection, another view) are put aside until the
// selection shows again (put-aside-drafts.ts), and drafts the user discards can be restored.
import { useEffect, useRef, useState } from 'react';
import type { FieldSummary, Target } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { editorKey, labelOf } from './field-text.ts';
import { formatList } from './format.ts';
import { isConnectionError } from './rpc-client.ts';
import { baseOf, type Loaded, pastOwnChanges, type Shown } from './typed-over.ts';

/** Waits this long after a change of selection before asking: arrowing through rows asks once. */
const SETTLE_MS = 80;

/** What the editor says when it cannot load `what`: the backend away (it reloads once back), or why. */
export function loadFailure(err: unknown, what: string): string {
  if (isConnectionError(err)) return `Sleeve’s backend is not answering: ${what} load again once it is back.`;
  return `Cannot load ${what}: ${err instanceof Error ? err.message : String(err)}`;
}

/** The drafts by their fields' labels: "edits to Genre and Composer". */
const draftedFields = (drafts: Readonly<Record<string, string>>) => {
  const keys = Object.keys(drafts);
  return `${keys.length === 1 ? 'edit' : 'edits'} to ${formatList(keys.map(labelOf))}`;
};

export function useTagDrafts(target: Target, targetKey: string) {
  const { backend, libraryVersion, ownChanges, putAside, toast } = useApp();
  const [summary, setSummary] = useState<Shown | null>(null);
  // Why the summary did not load (it loads again when the library changes or the backend is back).
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [loaded, setLoaded] = useState<Record<string, Loaded>>({});
  // Raised to load the summary again when a save was refused because it was out of date.
  const [reloads, setReloads] = useState(0);

  // What is typed now, and the selection it is typed in, for what outlives this render: the drafts put
  // aside when the selection goes, a discarded draft's restore.
  const now = useRef({ targetKey, drafts, loaded });
  now.current = { targetKey, drafts, loaded };

  // biome-ignore lint/correctness/useExhaustiveDependencies: drafts belong to one selection
  useEffect(() => {
    const aside = putAside.take(targetKey);
    setDrafts(aside?.drafts ?? {});
    setLoaded(aside?.loaded ?? {});
    setSummary(null);
    setLoadProblem(null);
    return () => {
      const { drafts, loaded } = now.current;
      if (Object.keys(drafts).length === 0) return;
      putAside.keep(targetKey, { drafts, loaded });
      toast('info', `Not saved: your ${draftedFields(drafts)}, kept until you select the same tracks again.`);
    };
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
    /** Drops drafts (and what they were loaded from): said, with Restore, which brings them back to
     *  this selection (put aside for it if another shows by then). */
    drop(keys: readonly string[]) {
      const gone = { drafts: only(drafts, keys), loaded: only(loaded, keys) };
      const without = <T>(r: Record<string, T>) =>
        Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k)));
      setDrafts(without);
      setLoaded(without);
      if (Object.keys(gone.drafts).length === 0) return;
      const from = targetKey;
      toast('info', `Discarded your ${draftedFields(gone.drafts)}.`, {
        label: 'Restore',
        run: () => {
          if (now.current.targetKey !== from) return putAside.keep(from, gone);
          setDrafts((d) => ({ ...gone.drafts, ...d }));
          setLoaded((l) => ({ ...gone.loaded, ...l }));
        },
      });
    },
    /** The user keeps their draft over a change made elsewhere: it is now typed over what shows. */
    keepMine(f: FieldSummary) {
      if (summary) setLoaded((l) => ({ ...l, [editorKey(f)]: baseOf(summary, f, summary.shownAt) }));
    },
    /** `saved` is in the library: what was typed while saving stays a draft (over what it wrote). */
    settle(saved: Readonly<Record<string, string>>) {
      setDrafts((d) => Object.fromEntries(Object.entries(d).filter(([k, v]) => saved[k] !== v)));
      setLoaded((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !(k in saved))));
    },
    /** The summary again (a save was refused as out of date). */
    reload: () => setReloads((n) => n + 1),
  };
}

/** The entries of `r` under `keys`. */
function only<T>(r: Readonly<Record<string, T>>, keys: readonly string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(r).filter(([k]) => keys.includes(k)));
}
