// A change previewed by the backend and saved by its token, as the Tools panel and an import do it: the
// preview shown, why there is none, whether a call is under way. Saving applies that preview or nothing:
// a save refused because a track changed since clears it and says why, for the user to look again.
import { useRef, useState } from 'react';
import { useApp } from './app-context.tsx';
import { RpcCallError } from './rpc-client.ts';

export function usePreviewed<P extends { readonly preview: string }>() {
  const { fail, noteOwnChange } = useApp();
  const [preview, setPreview] = useState<P | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Rises with each ask and reset: an answer to an earlier one (of another selection or form) is dropped,
   *  so a preview shown is always of what is on screen. */
  const asked = useRef(0);
  const reset = () => {
    asked.current++;
    setPreview(null);
  };
  /** Shows what `make` previews, or why it could not. */
  const ask = async (make: () => Promise<P>) => {
    const mine = ++asked.current;
    setBusy(true);
    setProblem(null);
    try {
      const made = await make();
      if (mine === asked.current) setPreview(made);
    } catch (err) {
      if (mine !== asked.current) return;
      setPreview(null);
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  /** Saves the preview shown by its token. */
  const save = async (apply: (token: string) => Promise<void>) => {
    if (!preview) return;
    setBusy(true);
    try {
      noteOwnChange();
      await apply(preview.preview);
    } catch (err) {
      if (err instanceof RpcCallError && err.code === 'conflict') {
        setPreview(null);
        setProblem(err.message);
      } else fail(err);
    } finally {
      setBusy(false);
    }
  };
  return { preview, reset, problem, setProblem, busy, ask, save };
}
