// What every view needs: the backend, toasts, and the library's version (rising on library.changed).
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { Backend } from './backend.ts';
import { PutAsideDrafts } from './put-aside-drafts.ts';
import { RpcCallError } from './rpc-client.ts';
import { OwnChanges } from './typed-over.ts';
import { UndoStack } from './undo-stack.ts';
import { type Fetcher, WindowStore } from './window-store.ts';

export interface Toast {
  readonly id: number;
  readonly kind: 'info' | 'error';
  readonly text: string;
  readonly action?: { readonly label: string; run(): void };
  /** What the notice is about (an edit saved, an edit undone): it goes once that no longer holds. */
  readonly about?: string;
  /** How long it stays once shown, in ms (Toasts.tsx: a notice folded away keeps its time). */
  readonly lifetime: number;
}

interface AppContextValue {
  readonly backend: Backend;
  /** Rises whenever the library may have changed: views reload what they show. */
  readonly libraryVersion: number;
  toast(kind: Toast['kind'], text: string, action?: Toast['action'], about?: string): void;
  /** Takes away the notices about `about` (their action no longer applies: the edit was undone, redone). */
  retire(about: string): void;
  /** Changes this window made to the library (saves, undo, redo), counted as each is asked for: the tag
   *  editor tells them from changes made elsewhere. Read `.count`; `noteOwnChange()` before each, with the
   *  editor fields it changes when they are known (a save's). */
  readonly ownChanges: OwnChanges;
  noteOwnChange(fields?: readonly string[]): void;
  /** The tag editor's drafts left unsaved, by selection, until it is shown again (put-aside-drafts.ts). */
  readonly putAside: PutAsideDrafts;
  /** The notice of a saved edit: what it did, that files are untouched, and Undo. */
  saved(what: string, batchId: number, onUndo: (batchId: number) => void): void;
  /** Shows an RPC failure as an error toast (connection losses included). */
  fail(err: unknown): void;
  /** Takes back the newest action this window did that a notice offers Undo for; false when none is
   *  left (undo-stack.ts). */
  undoNewest(): boolean;
}

const Context = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(Context);
  if (!value) throw new Error('useApp outside AppProvider');
  return value;
}

export function AppProvider({
  backend,
  children,
}: {
  backend: Backend;
  children: (toasts: Toast[], dismiss: (id: number) => void) => ReactNode;
}) {
  const [libraryVersion, setLibraryVersion] = useState(0);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  // Counts library changes: each event, and each reconnect (events sent while disconnected were lost).
  useEffect(() => {
    let wasDown = false;
    const offState = backend.client.onState((state) => {
      if (state === 'closed') wasDown = true;
      else if (state === 'open' && wasDown) {
        wasDown = false;
        setLibraryVersion((v) => v + 1);
      }
    });
    const offChanged = backend.client.on('library.changed', () => setLibraryVersion((v) => v + 1));
    return () => {
      offState();
      offChanged();
    };
  }, [backend]);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const [undoStack] = useState(() => new UndoStack());
  const retire = useCallback(
    (about: string) => {
      undoStack.drop(about);
      setToasts((t) => t.filter((x) => x.about !== about));
    },
    [undoStack],
  );
  const toast = useCallback(
    (kind: Toast['kind'], text: string, given?: Toast['action'], givenAbout?: string) => {
      const id = nextId.current++;
      // An Undo is the window's too (Ctrl+Z takes back the newest); used from the notice, it is no longer.
      const undo = given?.label === 'Undo' ? given : undefined;
      const about = givenAbout ?? (undo ? `notice:${id}` : undefined);
      if (undo && about) undoStack.push(about, undo.run);
      const action =
        undo && about
          ? {
              ...undo,
              run: () => {
                undoStack.drop(about);
                undo.run();
              },
            }
          : given;
      // The same words again (Ctrl+Z pressed past the first edit) replace the notice that said them: one
      // line, not a pile of twins pushing the notices that matter into the fold.
      const twin = (x: Toast) => x.text === text && x.kind === kind && !x.action && !action;
      // A notice with an action (Undo, Add back) stays long enough to be used.
      const lifetime = action ? 15_000 : kind === 'error' ? 8000 : 5000;
      setToasts((t) => [...t.filter((x) => !twin(x)).slice(-4), { id, kind, text, action, about, lifetime }]);
    },
    [undoStack],
  );
  const fail = useCallback(
    (err: unknown) =>
      toast('error', err instanceof RpcCallError || err instanceof Error ? err.message : String(err)),
    [toast],
  );
  const saved = useCallback(
    (what: string, batchId: number, onUndo: (batchId: number) => void) =>
      toast(
        'info',
        `${what}. Files are untouched.`,
        { label: 'Undo', run: () => onUndo(batchId) },
        `saved:${batchId}`,
      ),
    [toast],
  );
  const [ownChanges] = useState(() => new OwnChanges());
  const noteOwnChange = useCallback((fields?: readonly string[]) => ownChanges.note(fields), [ownChanges]);
  const [putAside] = useState(() => new PutAsideDrafts());
  const undoNewest = useCallback(() => undoStack.undoNewest(), [undoStack]);
  const value = useMemo(
    () => ({
      backend,
      libraryVersion,
      toast,
      retire,
      fail,
      saved,
      ownChanges,
      noteOwnChange,
      putAside,
      undoNewest,
    }),
    [backend, libraryVersion, toast, retire, fail, saved, ownChanges, noteOwnChange, putAside, undoNewest],
  );
  return <Context.Provider value={value}>{children(toasts, dismiss)}</Context.Provider>;
}

/**
 * A WindowStore per `key` (a new query or sort starts a new one), refreshed when the library changes.
 * `count` gives the total when the fetcher answers null (tracks: first rows before counting).
 */
export function useWindowStore<T>(
  key: string,
  fetch: Fetcher<T>,
  blockSize = 100,
  count?: () => Promise<number | null>,
): WindowStore<T> {
  const { libraryVersion } = useApp();
  const calls = useRef({ fetch, count });
  calls.current = { fetch, count };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new store exactly when the key changes
  const store = useMemo(
    () =>
      new WindowStore<T>(
        (o, l) => calls.current.fetch(o, l),
        blockSize,
        count && (() => calls.current.count!()),
      ),
    [key, blockSize],
  );
  useEffect(() => store.prime(), [store]);
  const seen = useRef(libraryVersion);
  useEffect(() => {
    if (seen.current !== libraryVersion) {
      seen.current = libraryVersion;
      store.refresh();
    }
  }, [libraryVersion, store]);
  useSyncExternalStore(store.subscribe, () => store.version);
  return store;
}
