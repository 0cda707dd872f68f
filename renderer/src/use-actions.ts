// The saved actions (named sequences of tag tools, kept in the library and shared with `sleeve action`):
// listed for the Tools panel, saved from the tools just used, removed.
import { useCallback, useEffect, useState } from 'react';
import type { Result, TagToolParams } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';

export type ActionEntry = Result<'actions.list'>['actions'][number];

export function useActions() {
  const { backend, fail } = useApp();
  const { client } = backend;
  const [actions, setActions] = useState<readonly ActionEntry[]>([]);
  const reload = useCallback(
    () => client.call('actions.list', {}).then((r) => setActions(r.actions)),
    [client],
  );
  useEffect(() => {
    reload().catch(fail);
  }, [reload, fail]);
  /** Saves and lists it; a refusal (a name taken, a bad step) is thrown for the form to show. */
  const save = async (name: string, steps: readonly TagToolParams[], replace: boolean) => {
    const saved = await client.call('actions.save', { name, steps: [...steps], replace });
    await reload();
    return saved.name;
  };
  const remove = async (name: string) => {
    await client.call('actions.remove', { name });
    await reload();
  };
  return { actions, save, remove };
}
