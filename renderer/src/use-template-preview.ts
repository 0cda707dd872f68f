// The Mount view's preview of a path template: the paths it gives the tracks shown (asked of the backend
// a moment after the typing stops, and again when the library changes), or what only the backend can
// tell is wrong with it (a $field no file has and Sleeve does not know), placed under the text.
import { useEffect, useState } from 'react';
import type { Result } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { type InputProblem, remoteProblem as problemOf } from './input-problem.ts';

/** How long the typing must stop before the backend is asked. */
const SETTLE_MS = 120;

export function useTemplatePreview(template: string, ids: readonly number[]) {
  const { backend, fail, libraryVersion } = useApp();
  const [preview, setPreview] = useState<Result<'mount.preview'>['paths'] | null>(null);
  const [remoteProblem, setRemoteProblem] = useState<InputProblem | undefined>();
  const idsKey = ids.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: idsKey stands for ids
  useEffect(() => {
    if (!template || ids.length === 0) {
      setRemoteProblem(undefined); // nothing to ask about: mount.start checks the fields itself
      return setPreview(null);
    }
    let live = true;
    const timer = setTimeout(() => {
      backend.client.call('mount.preview', { template, ids: [...ids] }).then(
        (r) => {
          if (!live) return;
          setPreview(r.paths);
          setRemoteProblem(undefined);
        },
        (err: unknown) => {
          if (!live) return;
          const problem = problemOf(err);
          if (problem) {
            setPreview(null);
            setRemoteProblem(problem);
          } else fail(err);
        },
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [backend, template, idsKey, fail, libraryVersion]);
  /** Forget the backend's word on the text before: the next preview says again. */
  const retype = () => setRemoteProblem(undefined);
  return { preview, remoteProblem, retype };
}
