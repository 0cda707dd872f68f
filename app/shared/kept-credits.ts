// The credits a user entered, kept through an identification (issue 67): a proposal for a list field (the
// credits, the works) that the user set by an edit in Sleeve keeps, after what the source names, the
// values the source lacks — its `kept`, by field — so applying it removes none of them, unless the user
// asks to replace them too (`sleeve identify --replace-credits`, the app's tick). Pure: the CLI and the
// renderer both use it.

interface Change {
  readonly key: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export interface WithKept<C extends Change> {
  readonly changes: readonly C[];
  /** The user's values each field keeps beside the source's, by field. */
  readonly kept?: Readonly<Record<string, readonly string[]>>;
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** `proposal` replacing the user's kept values too: each field as the source names it (a change that then
 *  changes nothing is dropped). */
export function replacingKept<C extends Change, P extends WithKept<C>>(proposal: P): P {
  const { kept } = proposal;
  if (!kept) return proposal;
  const changes = proposal.changes.flatMap((c) => {
    const mine = kept[c.key];
    if (!mine) return [c];
    const after = c.after.filter((v) => !mine.includes(v));
    return after.length === 0 || same(after, c.before) ? [] : [{ ...c, after }];
  });
  const { kept: _, ...rest } = proposal;
  return { ...rest, changes } as unknown as P;
}
