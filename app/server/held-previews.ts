// Previews the app showed, held by token until saved: tools.apply and tags.edit name the preview they
// save, and apply to the files it covered, as planned then (app/core/library/previewed.ts). A selection can
// be the whole library, which the page never holds, so the backend keeps the files and the page only the
// token. The newest ones are kept, within a bound on what they hold; a token may be saved more than once
// (a second save of the same files is refused as changed since, unless the first changed nothing), but
// an import's is let go once saved.
import { randomUUID } from 'node:crypto';
import { UserError } from '../../kit/user-error.ts';

/** Previews held at most, and their weight across them: file ids (about 8 bytes each), or what else a
 *  preview holds per file (an import's planned changes). */
const MAX_PREVIEWS = 64;
const MAX_WEIGHT = 4_000_000;

export class HeldPreviews<T extends { readonly ids: readonly number[] }> {
  readonly #held = new Map<string, { readonly preview: T; readonly weight: number }>();
  #weight = 0;

  /** Keeps `preview` (`weight`: its ids, unless it holds more per file); returns its token. */
  hold(preview: T, weight = preview.ids.length): string {
    const token = randomUUID();
    this.#held.set(token, { preview, weight });
    this.#weight += weight;
    // The oldest go first (a Map iterates in insertion order); the newest is always kept.
    for (const [old, p] of this.#held) {
      if (this.#held.size <= MAX_PREVIEWS && this.#weight <= MAX_WEIGHT) break;
      if (old === token) break;
      this.#held.delete(old);
      this.#weight -= p.weight;
    }
    return token;
  }

  /** Lets go of a preview that must not be saved twice (an import, whose conflicts would be kept twice). */
  release(token: string): void {
    const held = this.#held.get(token);
    if (!held) return;
    this.#held.delete(token);
    this.#weight -= held.weight;
  }

  /** The preview `token` names; a conflict when it is no longer held. */
  get(token: string): T {
    const preview = this.#held.get(token)?.preview;
    if (!preview)
      throw new UserError(
        'conflict',
        'this preview is no longer held (the backend restarted, or many previews were made since): preview again',
      );
    return preview;
  }
}
