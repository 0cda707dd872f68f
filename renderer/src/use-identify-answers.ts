// Asking for a selection's proposals in two steps: the library's own (its better-tagged copies: no service
// asked, an answer at once), then, unless offline, the web services' too (AcoustID, MusicBrainz, with their
// progress), whose answer replaces the first when it comes. When the services fail (unreachable, busy,
// cancelled) the library's own proposals stay, beside why. Choosing another release asks the services
// again; the earlier answer stays meanwhile, stale. A run no one will see the end of is cancelled.
import { useEffect, useState } from 'react';
import type { EventData, Result, Target } from '../../app/shared/rpc-contract.ts';
import type { Backend } from './backend.ts';
import { LONG_RUN_SECONDS, notifyAway } from './notify-away.ts';

export type Found = Result<'identify.propose'>;
/** A run's progress, with the seconds since its service's first report. */
export type Progress = EventData<'identify.progress'> & { seconds: number };

export interface IdentifyAnswers {
  /** The answer shown: the services' when they gave one (and not offline), else the library's own. */
  readonly found: Found | null;
  /** Whether `found` is the library's own answer. */
  readonly own: boolean;
  /** `found` is an earlier answer: another release was chosen since (asked for now, or the asking failed). */
  readonly stale: boolean;
  /** The services' run going now, if any, and how far it got. */
  readonly running: string | null;
  readonly progress: Progress | null;
  /** Why the library's own step failed (nothing to show), or the services' step (the own answer shown). */
  readonly problem: { readonly step: 'own' | 'web'; readonly message: string } | null;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function useIdentifyAnswers(
  backend: Backend,
  target: Target,
  targetKey: string,
  chosen: Readonly<Record<string, string>>,
  offline: boolean,
): IdentifyAnswers {
  // Each kept with the target it answers: another target's answer is no answer for this one.
  const [own, setOwn] = useState<{ targetKey: string; found: Found } | null>(null);
  const [web, setWeb] = useState<{ targetKey: string; chosen: string; found: Found } | null>(null);
  const [problem, setProblem] = useState<(IdentifyAnswers['problem'] & { targetKey: string }) | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: target is described by targetKey
  useEffect(() => {
    let live = true;
    backend.client.call('identify.propose', { target, online: false }).then(
      (found) => live && setOwn({ targetKey, found }),
      (err: unknown) => live && setProblem({ targetKey, step: 'own', message: message(err) }),
    );
    return () => {
      live = false;
    };
  }, [targetKey, backend]);

  const ownFound = own?.targetKey === targetKey ? own.found : null;
  /** The services are asked once the library's own answer is shown, when config.json enables one. */
  const ask = !offline && ownFound !== null && (ownFound.onlineEnabled || ownFound.albumsEnabled);
  // biome-ignore lint/correctness/useExhaustiveDependencies: target is described by targetKey
  useEffect(() => {
    if (!ask) return;
    let live = true;
    setProblem(null);
    setProgress(null);
    const asked = JSON.stringify(chosen);
    const run = crypto.randomUUID();
    const started = new Map<string, number>();
    const off = backend.client.on('identify.progress', (p) => {
      if (p.run !== run || !live) return;
      if (!started.has(p.service)) started.set(p.service, performance.now());
      setProgress({ ...p, seconds: (performance.now() - started.get(p.service)!) / 1000 });
    });
    setRunning(run);
    const began = performance.now();
    const choice = Object.keys(chosen).length > 0 ? { chosen } : {};
    backend.client
      .call('identify.propose', { target, online: true, run, ...choice })
      .then(
        (found) => {
          if (!live) return;
          if ((performance.now() - began) / 1000 >= LONG_RUN_SECONDS)
            notifyAway('Sleeve: identification finished', `${found.proposals.length} proposals to review`);
          setWeb({ targetKey, chosen: asked, found });
        },
        (err: unknown) => live && setProblem({ targetKey, step: 'web', message: message(err) }),
      )
      .finally(() => {
        off();
        if (live) setRunning(null);
      });
    return () => {
      live = false;
      off();
      setRunning(null);
      // What it received stays cached: asking again resumes from it.
      void backend.client.call('identify.cancel', { run }).catch(() => undefined);
    };
  }, [targetKey, backend, chosen, ask]);

  const webAnswer = !offline && web?.targetKey === targetKey ? web : null;
  const shownProblem =
    problem?.targetKey === targetKey && !(offline && problem.step === 'web')
      ? { step: problem.step, message: problem.message }
      : null;
  return {
    found: webAnswer?.found ?? ownFound,
    own: webAnswer === null,
    stale: webAnswer !== null && (running !== null || webAnswer.chosen !== JSON.stringify(chosen)),
    running,
    progress: running ? progress : null,
    problem: shownProblem,
  };
}
