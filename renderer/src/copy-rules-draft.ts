// The copy rules as the user edits them before setting them (the Duplicates view's Copy rules): the rules
// in force, the draft, and the preview of what the draft changes. A preview stands for the draft it was
// made of only: any change to the draft takes it away, so what is applied is what was shown.
import type { RuleChangeShown } from '../../app/shared/rpc-contract.ts';

export interface RulesPreview {
  /** The draft it was made of. */
  readonly rules: readonly string[];
  readonly changes: readonly RuleChangeShown[];
}

export interface RulesDraft {
  /** The rules in force. */
  readonly saved: readonly string[];
  readonly rules: readonly string[];
  readonly preview: RulesPreview | null;
}

export type RuleKind = 'folder' | 'format' | 'first';

export const draftOf = (saved: readonly string[]): RulesDraft => ({ saved, rules: saved, preview: null });

/** The draft over the rules in force now (set elsewhere: the CLI, another window): a draft not changed
 *  follows them; one being changed stays, over the new rules. */
export const rebased = (draft: RulesDraft, saved: readonly string[]): RulesDraft =>
  same(saved, draft.saved) ? draft : changed(draft) ? { ...draft, saved } : draftOf(saved);

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** A rule's text from what the form holds; undefined while it is not one (an empty folder). */
export function ruleFrom(kind: RuleKind, value: string): string | undefined {
  if (kind === 'first') return 'first';
  const v = value.trim();
  return v === '' ? undefined : `${kind}:${v}`;
}

const withRules = (draft: RulesDraft, rules: readonly string[]): RulesDraft =>
  same(rules, draft.rules) ? draft : { ...draft, rules, preview: null };

/** The draft with `rule` last (a rule already there stays where it is). */
export const addRule = (draft: RulesDraft, rule: string): RulesDraft =>
  draft.rules.includes(rule) ? draft : withRules(draft, [...draft.rules, rule]);

export const removeRule = (draft: RulesDraft, at: number): RulesDraft =>
  withRules(
    draft,
    draft.rules.filter((_, i) => i !== at),
  );

/** The draft with the rule at `at` moved one place up (-1) or down (+1). */
export function moveRule(draft: RulesDraft, at: number, by: -1 | 1): RulesDraft {
  const to = at + by;
  if (to < 0 || to >= draft.rules.length) return draft;
  const rules = [...draft.rules];
  [rules[at], rules[to]] = [rules[to]!, rules[at]!];
  return withRules(draft, rules);
}

/** The draft with its preview (ignored if the draft moved on while it was made). */
export const previewed = (draft: RulesDraft, preview: RulesPreview): RulesDraft =>
  same(preview.rules, draft.rules) ? { ...draft, preview } : draft;

/** Whether the draft differs from the rules in force. */
export const changed = (draft: RulesDraft): boolean => !same(draft.rules, draft.saved);

/** Whether the draft may be set: it differs from the rules in force and what it changes was shown. */
export const canApply = (draft: RulesDraft): boolean =>
  changed(draft) && draft.preview !== null && same(draft.preview.rules, draft.rules);
