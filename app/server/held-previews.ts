// Previews the app showed, held by token until saved: tools.apply and tags.edit name the preview they
// save, and apply to the files it covered, as planned then (app/core/library/previewed.ts). A selection can
// be the whole library, which the page never holds, so the backend keeps the files and the page only the
// token. The newest ones are kept, within a bound on the ids held; a token may be saved more than once
// (a second save of the same files is refused as changed since, unless the first changed nothing).
import { randomUUID } from 'node:crypto';
import { UserError } from '../../kit/user-error.ts';

/** Previews held at most, and file ids across them (about 8 bytes each). */
const MAX_PREVIEWS = 64;
const MAX_IDS = 4_000_000;

export class HeldPreviews<T extends { readonly ids: readonly number[] }> {
  readonly #held = new Map<string, T>();
  #ids = 0;

  /** Keeps `preview`; returns its token. */
  hold(preview: T): string {
    const token = randomUUID();
    this.#held.set(token, preview);
    this.#ids += preview.ids.length;
    // The oldest go first (a Map iterates in insertion order); the newest is always kept.
    for (const [old, p] of this.#held) {
      if (this.#held.size <= MAX_PREVIEWS && this.#ids <= MAX_IDS) break;
      if (old === token) break;
      this.#held.delete(old);
      this.#ids -= p.ids.length;
    }
    return token;
  }

  /** The preview `token` names; a conflict when it is no longer held. */
  get(token: string): T {
    const preview = this.#held.get(token);
    if (!preview)
      throw new UserError(
        'conflict',
        'this preview is no longer held (the backend restarted, or many previews were made since): preview again',
      );
    return preview;
  }
}
