// Typing in the tag editor is never lost unsaid. Drafts left behind (another selection, another view) are
// put aside by selection until it shows again (put-aside-drafts.ts), less any a save under way is writing;
// a discard is said with Restore, which brings the drafts back to their selection wherever the user is
// by then; a save that fails after the user left puts its drafts aside too.
import { type Dispatch, type SetStateAction, useEffect, useRef } from 'react';
import type { Target } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { labelOf } from './field-text.ts';
import { formatList } from './format.ts';
import { type Aside, KEPT_SELECTIONS } from './put-aside-drafts.ts';
import type { Loaded } from './typed-over.ts';

/** The drafts by their fields' labels: "edits to Genre and Composer". */
const draftedFields = (drafts: Readonly<Record<string, string>>) => {
  const keys = Object.keys(drafts);
  return `${keys.length === 1 ? 'edit' : 'edits'} to ${formatList(keys.map(labelOf))}`;
};

/** A selection as its drafts are kept: the same files whatever their order, the list's sort or query. */
export function asideKey(target: Target): string {
  return target.kind === 'ids'
    ? `ids:${[...target.ids].sort((a, b) => a - b).join(',')}`
    : `query:${JSON.stringify([target.query, [...target.except].sort((a, b) => a - b), target.onePerRecording])}`;
}

/** The entries of `r` under `keys`, or (`keep` false) all but those. */
export function pick<T>(
  r: Readonly<Record<string, T>>,
  keys: readonly string[],
  keep = true,
): Record<string, T> {
  return Object.fromEntries(Object.entries(r).filter(([k]) => keys.includes(k) === keep));
}

interface DraftState {
  readonly drafts: Readonly<Record<string, string>>;
  readonly loaded: Readonly<Record<string, Loaded>>;
  readonly setDrafts: Dispatch<SetStateAction<Record<string, string>>>;
  readonly setLoaded: Dispatch<SetStateAction<Record<string, Loaded>>>;
}

export function usePutAside(key: string, state: DraftState) {
  const { putAside, toast } = useApp();
  const { setDrafts, setLoaded } = state;
  // What outlives a render: the selection and drafts now, whether this editor is shown, how many renders
  // (an effect undone before any render since, as React's StrictMode does, gives back what it took), and
  // the save under way.
  const now = useRef({ key, ...state, live: false, renders: 0 });
  now.current = { ...now.current, key, ...state, renders: now.current.renders + 1 };
  const saving = useRef<(Aside & { readonly key: string }) | null>(null);

  const keep = (at: string, aside: Aside) => {
    if (putAside.keep(at, aside) > 0)
      toast(
        'info',
        `Unsaved edits of an earlier selection were let go: those of the last ${KEPT_SELECTIONS} are kept.`,
      );
  };
  const leftBehind = (): Aside => {
    const { drafts, loaded } = now.current;
    const writing = saving.current?.key === key ? saving.current.drafts : {};
    const left = Object.keys(drafts).filter((k) => writing[k] !== drafts[k]);
    return { drafts: pick(drafts, left), loaded: pick(loaded, left) };
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: drafts belong to one selection
  useEffect(() => {
    const taken = putAside.take(key);
    setDrafts({ ...taken?.drafts });
    setLoaded({ ...taken?.loaded });
    const takenAt = now.current.renders;
    now.current.live = true;
    return () => {
      now.current.live = false;
      if (now.current.renders === takenAt) {
        if (taken) putAside.keep(key, taken); // nothing shown since: as it was
        return;
      }
      const left = leftBehind();
      if (Object.keys(left.drafts).length === 0) return;
      keep(key, left);
      toast(
        'info',
        `Not saved: your ${draftedFields(left.drafts)}, kept until you select the same tracks again.`,
      );
    };
  }, [key]);

  return {
    /** Drops drafts, said with Restore. */
    discard(keys: readonly string[]) {
      const { drafts, loaded } = now.current;
      const gone = { drafts: pick(drafts, keys), loaded: pick(loaded, keys) };
      setDrafts((d) => pick(d, keys, false));
      setLoaded((l) => pick(l, keys, false));
      if (Object.keys(gone.drafts).length === 0) return;
      const from = key;
      toast('info', `Discarded your ${draftedFields(gone.drafts)}.`, {
        label: 'Restore',
        run: () => {
          if (now.current.live && now.current.key === from) {
            setDrafts((d) => ({ ...gone.drafts, ...d }));
            setLoaded((l) => ({ ...gone.loaded, ...l }));
          } else {
            keep(from, gone);
            toast(
              'info',
              `Restored your ${draftedFields(gone.drafts)}: select the same tracks again to go on.`,
            );
          }
        },
      });
    },
    /** A save of `drafts` begins: if the user leaves before it ends, they are not put aside. */
    saving(drafts: Readonly<Record<string, string>>) {
      saving.current = { key, drafts, loaded: pick(now.current.loaded, Object.keys(drafts)) };
    },
    /** The save ended; whether its drafts are this editor's still (else `ok` leaves nothing to do, and a
     *  failure puts them aside for their selection). */
    saved(ok: boolean): boolean {
      const s = saving.current;
      saving.current = null;
      if (!s || (now.current.live && now.current.key === s.key)) return true;
      if (!ok) {
        keep(s.key, s);
        toast(
          'info',
          `Not saved: your ${draftedFields(s.drafts)}, kept until you select the same tracks again.`,
        );
      }
      return false;
    },
  };
}
