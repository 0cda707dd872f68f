// The neighbours "More like this" shows, as a store the view reads (use-similar.ts): which question they
// answer, and what a new answer or failure does to what is on screen. Pure: no DOM, no React.
import type { Params, Result } from '../../app/shared/rpc-contract.ts';

export interface SimilarSeed {
  readonly label: string;
  readonly seeds: Params<'similar.tracks'>['seeds'];
}

/** What the neighbours are asked for: a seed, with or without other copies of its recordings. */
export interface SimilarQuestion {
  readonly seed: SimilarSeed;
  readonly includeCopies: boolean;
}

export interface SimilarState {
  readonly found: Result<'similar.tracks'> | null;
  readonly problem: string | null;
  readonly loading: boolean;
}

export type Neighbours = (question: SimilarQuestion) => Promise<Result<'similar.tracks'>>;

const NOTHING: SimilarState = { found: null, problem: null, loading: false };

export class SimilarSearch {
  #state = NOTHING;
  #asked: SimilarQuestion | null = null;
  /** Rises with every question and with `drop`: an answer to an earlier one is not shown. */
  #ticket = 0;
  readonly #listeners = new Set<() => void>();

  get state(): SimilarState {
    return this.#state;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /**
   * Asks `question`. Another seed, or copies turned on or off, never shows the last question's neighbours
   * under the new heading: they go, and it shows it is loading. The same question asked again (the library
   * changed, as during a scan) keeps its answer on screen until the new one comes.
   */
  ask(question: SimilarQuestion, neighbours: Neighbours): void {
    const ticket = ++this.#ticket;
    const same = this.#asked?.seed === question.seed && this.#asked.includeCopies === question.includeCopies;
    this.#asked = question;
    this.#set(same ? { ...this.#state, problem: null } : { found: null, problem: null, loading: true });
    neighbours(question).then(
      (found) => ticket === this.#ticket && this.#set({ found, problem: null, loading: false }),
      (err: Error) =>
        ticket === this.#ticket && this.#set({ found: null, problem: err.message, loading: false }),
    );
  }

  /** Answers still on their way are not shown (the view asks another question, or is gone). */
  drop(): void {
    this.#ticket++;
  }

  #set(state: SimilarState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener();
  }
}

/** Seeds a radio starts with (a larger selection starts with its neighbours only). */
const MAX_RADIO_SEEDS = 20;

/** The seed's own tracks a radio plays first: its ids, unless there are more than MAX_RADIO_SEEDS. */
export const radioSeedIds = (seed: SimilarSeed): readonly number[] =>
  seed.seeds.kind === 'ids' && seed.seeds.ids.length <= MAX_RADIO_SEEDS ? seed.seeds.ids : [];

/** 1 for the same sound, 0 for nothing in common (cosine distances run 0–2; unrelated music sits near 1). */
export const closeness = (distance: number): number => Math.max(0, Math.min(1, 1 - distance));

/** How alike two tracks sound, in words: the distance a listener would not read. */
export function alikeWords(distance: number): string {
  if (distance < 0.1) return 'the same sound';
  if (distance < 0.45) return 'very alike';
  if (distance < 0.75) return 'alike';
  return 'a little alike';
}
