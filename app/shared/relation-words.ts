// How two related recordings are described, the same in `sleeve dup` and the app's Duplicates view.
import { formatDuration } from './fields.ts';

interface Relation<F> {
  readonly longer: F;
  readonly shorter: F;
  readonly start: number;
  readonly overlap: number;
}

/** "A (8:26) contains 0:52 of B (0:52), from 0:44 on", with each file named by `name`. */
export function relationSentence<F extends { readonly duration: number | null }>(
  r: Relation<F>,
  name: (file: F) => string,
): string {
  const named = (f: F) => `${name(f)} (${formatDuration(f.duration) || '?'})`;
  return `${named(r.longer)} contains ${formatDuration(r.overlap)} of ${named(r.shorter)}, from ${formatDuration(r.start)} on`;
}
