// The media servers a mount tells of its changes: listed, added, removed and tested through the backend,
// one action at a time, each said in a notice.
import { useEffect, useState } from 'react';
import type { Result } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { kindShape, type PlayerDraft, playerRequest } from './player-draft.ts';

export type Players = Result<'players.list'>['players'];

export function usePlayers() {
  const { backend, fail, toast } = useApp();
  const [players, setPlayers] = useState<Players | null>(null);
  /** Why each could not be told at the last test (null: told), until the list changes. */
  const [reasons, setReasons] = useState<Array<string | null> | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    backend.client.call('players.list', {}).then((r) => setPlayers(r.players), fail);
  }, [backend, fail]);

  const busyWith = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    try {
      return await work();
    } catch (err) {
      fail(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const change = async (call: () => Promise<Result<'players.list'>>, done: string): Promise<boolean> => {
    const r = await busyWith(call);
    if (!r) return false;
    setPlayers(r.players);
    setReasons(null);
    toast('info', done);
    return true;
  };
  return {
    players,
    reasons,
    busy,
    add: (d: PlayerDraft) =>
      change(
        () => backend.client.call('players.add', playerRequest(d)),
        `Added ${kindShape(d.kind).label}: it is told of each change from now on`,
      ),
    /** The player at `index` in the list (0 first). */
    remove: (index: number, description: string) =>
      change(() => backend.client.call('players.remove', { index: index + 1 }), `Removed ${description}`),
    test: async () => {
      const r = await busyWith(() => backend.client.call('players.test', {}));
      if (r) setReasons(r.reasons);
    },
  };
}
