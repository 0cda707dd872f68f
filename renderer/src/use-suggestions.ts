// The library's values offered as the user types in a field the field table marks `suggest` (artists,
// genres, labels…): asked of the backend at each change of what is typed (the answer to an older text is
// dropped), for the value being typed — a multi-valued field's last, after its ";" — and offered as the
// whole text the field would then hold, the most used first, with how many tracks use each.
import { useEffect, useState } from 'react';
import { SUGGESTED_FIELDS } from '../../app/shared/fields.ts';
import type { Result } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';

export interface Offered {
  /** The field's whole text with the suggestion in place of the value being typed. */
  readonly text: string;
  /** What the list says of it: its tracks and sort name. */
  readonly note: string;
}

/** The text before the value being typed, and that value (a multi-valued field's last). */
export function typedPart(text: string, multi: boolean): { before: string; typed: string } {
  const cut = multi ? text.lastIndexOf(';') : -1;
  if (cut < 0) return { before: '', typed: text };
  // The user's own spacing after the ";" kept, so an offer still begins with what they typed.
  const typed = text.slice(cut + 1).trimStart();
  return { before: text.slice(0, text.length - typed.length), typed };
}

/** The offers for `text` typed in `key` (none while nothing is typed there, or for a field not marked). */
export function useSuggestions(key: string, text: string | undefined, multi: boolean): readonly Offered[] {
  const { backend } = useApp();
  const [offers, setOffers] = useState<readonly Offered[]>([]);
  useEffect(() => {
    if (text === undefined || !SUGGESTED_FIELDS.has(key)) return setOffers([]);
    const { before, typed } = typedPart(text, multi);
    let live = true;
    backend.client.call('tags.suggest', { key, typed: typed.slice(0, 200) }).then(
      (r: Result<'tags.suggest'>) => {
        if (!live) return;
        setOffers(
          r.values.map((v) => ({
            text: `${before}${v.value}`,
            note: `${v.uses} track${v.uses === 1 ? '' : 's'}${v.sort ? ` · sorted as ${v.sort}` : ''}`,
          })),
        );
      },
      () => live && setOffers([]), // offers are a help: a failure leaves the field as it is
    );
    return () => {
      live = false;
    };
  }, [backend, key, text, multi]);
  return offers;
}
