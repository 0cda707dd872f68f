// What the tag editor was left holding unsaved — the user selected other rows, opened another view — kept
// by selection until that selection is shown again (the most recent few), so a click elsewhere never loses
// typing. Drafts come back with what each was typed over (typed-over.ts), so a field changed elsewhere
// meanwhile still shows as a conflict, never saved over.
import type { Loaded } from './typed-over.ts';

export interface Aside {
  readonly drafts: Readonly<Record<string, string>>;
  readonly loaded: Readonly<Record<string, Loaded>>;
}

/** Selections whose drafts are kept: past this, the one left longest ago is let go. */
export const KEPT_SELECTIONS = 20;

export class PutAsideDrafts {
  readonly #kept = new Map<string, Aside>();

  /** Keeps the drafts of selection `targetKey`, beside those kept for it already (which, put aside since,
   *  win where both have a field); the selections left longest ago past the bound go: how many did. */
  keep(targetKey: string, aside: Aside): number {
    const was = this.#kept.get(targetKey);
    this.#kept.delete(targetKey);
    this.#kept.set(
      targetKey,
      was
        ? { drafts: { ...aside.drafts, ...was.drafts }, loaded: { ...aside.loaded, ...was.loaded } }
        : aside,
    );
    let gone = 0;
    for (const key of this.#kept.keys()) {
      if (this.#kept.size <= KEPT_SELECTIONS) break;
      this.#kept.delete(key);
      gone++;
    }
    return gone;
  }

  /** The drafts kept for `targetKey`, given back once. */
  take(targetKey: string): Aside | undefined {
    const aside = this.#kept.get(targetKey);
    this.#kept.delete(targetKey);
    return aside;
  }
}
