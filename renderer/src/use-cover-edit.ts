// The tag editor's cover: the selection's summary (asked again when the selection or the library
// changes), and its edits, each undoable and each on the copies the user ticked too.
import { useEffect, useState } from 'react';
import type { Params, Result, Target } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { formatCount } from './format.ts';

type CoverChange = Params<'art.edit'>['change'];

export function useCoverEdit(
  target: Target,
  targetKey: string,
  copies: readonly number[],
  onUndo: (batchId: number) => void,
) {
  const { backend, libraryVersion, toast, fail, saved, noteOwnChange } = useApp();
  const [summary, setSummary] = useState<Result<'art.summary'> | null>(null);
  const [busy, setBusy] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: target is described by targetKey
  useEffect(() => {
    let live = true;
    backend.client.call('art.summary', { target }).then((s) => live && setSummary(s), fail);
    return () => {
      live = false;
    };
  }, [targetKey, libraryVersion, backend, fail]);

  /** `change` made once busy: a picture is sent to the backend first; `from`, the file it came from, named
   *  in a refusal ("front.svg: the image is not a PNG…"), so two tries are told apart. */
  const edit = async (change: () => Promise<CoverChange>, done: string, from?: string) => {
    setBusy(true);
    try {
      noteOwnChange();
      const r = await backend.client.call('art.edit', {
        target,
        change: await change(),
        ...(copies.length > 0 ? { copies: [...copies] } : {}),
      });
      const batch = r.batch;
      if (batch)
        saved(`${done} on ${formatCount(r.changedTracks, 'track')} (edit ${batch.id})`, batch.id, onUndo);
      else toast('info', 'Nothing to change: the tracks already have this cover.');
    } catch (err) {
      fail(from === undefined || !(err instanceof Error) ? err : new Error(`${from}: ${err.message}`));
    } finally {
      setBusy(false);
    }
  };
  return { summary, busy, edit };
}
