// The app's identification runs that their caller named: one name at a time, cancelled by name, stopped
// when the page that asked is gone, and their progress and end told to every client (a reloaded page, or
// another window, can follow a run it did not start).
import { EditError } from '../core/library/edits.ts';
import type { EventData } from '../shared/rpc-contract.ts';

/** Sends an identification run's progress, and its end, to the clients. */
export type IdentifyEmit = <E extends 'identify.progress' | 'identify.ended'>(
  event: E,
  data: EventData<E>,
) => void;

export class IdentifyRuns {
  /** The runs going, by the name their caller gave them. */
  readonly #going = new Map<string, AbortController>();
  readonly #emit: IdentifyEmit;

  constructor(emit: IdentifyEmit) {
    this.#emit = emit;
  }

  progress(p: EventData<'identify.progress'>): void {
    this.#emit('identify.progress', p);
  }

  /** `work` under the name `run` (refused at once if that name is going), with a signal aborted by
   *  cancel() or when the page that asked is gone (`closed`); its end is told however it settles. A run
   *  not named stops only with its page, and tells nobody. */
  async within<T>(
    run: string | undefined,
    closed: AbortSignal,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (run === undefined) return work(closed);
    if (this.#going.has(run)) throw new EditError(`identification run ${run} is already going`);
    const control = new AbortController();
    this.#going.set(run, control);
    const end = (failed: boolean) => {
      this.#going.delete(run);
      const outcome = closed.aborted
        ? 'page closed'
        : control.signal.aborted
          ? 'cancelled'
          : failed
            ? 'failed'
            : 'done';
      this.#emit('identify.ended', { run, outcome });
    };
    try {
      const result = await work(AbortSignal.any([control.signal, closed]));
      end(false);
      return result;
    } catch (err) {
      end(true);
      throw err;
    }
  }

  /** Whether a run of that name was going (it is stopped). */
  cancel(run: string): boolean {
    const control = this.#going.get(run);
    control?.abort();
    return control !== undefined;
  }
}
