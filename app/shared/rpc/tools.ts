// The RPC contract's tools area: a tagger's tools, planned as a preview and then applied.
import { z } from 'zod';
import { controlCharacter } from '../control-characters.ts';
import {
  BatchSchema,
  Count,
  FieldName,
  Id,
  method,
  PlannedChangeSchema,
  PreviewToken,
  SortSchema,
  TargetSchema,
} from './blocks.ts';

const ToolText = z.string().max(1000);
const ToolFields = z.array(FieldName).max(50).optional();
/** A tagger's tool, as app/core/library/tag-tools/tag-tool.ts runs it. */
export const TagToolSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('replace'),
      fields: ToolFields,
      find: ToolText.min(1),
      replace: ToolText,
      regex: z.boolean().optional(),
      ignoreCase: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('case'),
      fields: ToolFields,
      mode: z.enum(['title', 'sentence', 'upper', 'lower']),
    })
    .strict(),
  z.object({ kind: z.literal('from-path'), pattern: ToolText.min(1) }).strict(),
  z.object({ kind: z.literal('number'), perDisc: z.boolean(), totals: z.boolean() }).strict(),
  z.object({ kind: z.literal('copy'), from: FieldName, to: FieldName }).strict(),
  z.object({ kind: z.literal('swap'), a: FieldName, b: FieldName }).strict(),
  z.object({ kind: z.literal('trim'), fields: ToolFields }).strict(),
  z.object({ kind: z.literal('split'), field: FieldName, separator: ToolText.min(1) }).strict(),
  z.object({ kind: z.literal('join'), field: FieldName, separator: ToolText.min(1) }).strict(),
  /** A Picard tagging script (community scripts run to thousands of lines). */
  z.object({ kind: z.literal('script'), script: z.string().min(1).max(200_000) }).strict(),
]);
export type TagToolParams = z.infer<typeof TagToolSchema>;

/** Steps an action holds at most. */
export const MAX_ACTION_STEPS = 50;
/** An action's name: what the user calls it, shown in lists and the history. */
export const ActionName = z
  .string()
  .trim()
  .min(1, 'an action needs a name')
  .max(100, "an action's name is at most 100 characters")
  .refine((n) => controlCharacter(n) === undefined, "an action's name has no control characters");
export const ActionSteps = z
  .array(TagToolSchema)
  .min(1, 'an action has at least one step')
  .max(MAX_ACTION_STEPS, `an action has at most ${MAX_ACTION_STEPS} steps`);
export const ActionSchema = z.object({ name: ActionName, steps: ActionSteps }).strict();
export type SavedAction = z.infer<typeof ActionSchema>;

/** Files a tool's preview shows in full (the counts cover them all). */
export const TOOL_PREVIEW_FILES = 200;

export const TOOL_METHODS = {
  /** What a tagger's tool would change on a selection (the recordings listed, in `sort`'s order, which
   *  numbering follows; with `copies`, every other copy of them too, numbered as its recording): the first
   *  TOOL_PREVIEW_FILES files' changes, the totals, the tracks it leaves and why; `preview` names it. */
  'tools.plan': method(
    z
      .object({
        target: TargetSchema,
        sort: SortSchema.nullable(),
        /** One tool, or a saved action by name (its steps as saved now: the preview holds them). */
        tool: TagToolSchema.optional(),
        action: ActionName.optional(),
        copies: z.boolean().optional(),
      })
      .strict()
      .refine((p) => (p.tool === undefined) !== (p.action === undefined), 'a tool or an action, one of them'),
    z.object({
      preview: PreviewToken,
      changes: z.array(PlannedChangeSchema.extend({ fileId: Id })),
      files: Count,
      /** The tracks it leaves as they are, and why: the first TOOL_PREVIEW_FILES of `skippedTotal`. */
      skipped: z.array(z.object({ fileId: Id, reason: z.string() })),
      skippedTotal: Count,
      /** Tracks that change but that a step of several could not serve: the first of `partlyTotal`. */
      partly: z.array(z.object({ fileId: Id, reason: z.string() })),
      partlyTotal: Count,
      /** Other copies of these recordings the tool leaves as they are (0 with `copies`). */
      otherCopies: Count,
      paths: z.array(z.object({ id: Id, path: z.string() })),
    }),
  ),
  /** The saved actions, by name; one this version cannot run comes with the reason instead of steps. */
  'actions.list': method(
    z.object({}).strict(),
    z.object({
      actions: z.array(
        z.union([
          z.object({ name: z.string(), steps: z.array(TagToolSchema) }),
          z.object({ name: z.string(), problem: z.string() }),
        ]),
      ),
    }),
  ),
  /** Saves an action; one of the same name is replaced only with `replace` (else a conflict). */
  'actions.save': method(
    z.object({ name: ActionName, steps: ActionSteps, replace: z.boolean().optional() }).strict(),
    z.object({ name: z.string() }),
  ),
  'actions.remove': method(z.object({ name: ActionName }).strict(), z.object({})),
  /** Saves a preview as one undoable batch: its files, planned as they were (never a file added since); a
   *  conflict when one of them changed since. */
  'tools.apply': method(
    z.object({ preview: PreviewToken }).strict(),
    z.object({ batch: BatchSchema.nullable(), changedTracks: Count }),
  ),
};
