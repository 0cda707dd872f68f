// The RPC contract's duplicates area: recording groups, partial copies, and choosing, splitting, joining.
import { z } from 'zod';
import { BatchSchema, Count, Id, method, QueryText } from './blocks.ts';

const DuplicateGroupSchema = z.object({
  group: Id,
  members: z.array(
    z.object({
      id: Id,
      path: z.string(),
      title: z.string().nullable(),
      artist: z.string().nullable(),
      format: z.string().nullable(),
      codec: z.string().nullable(),
      lossless: z.boolean(),
      bitrate: z.number().nullable(),
      duration: z.number().nullable(),
      size: Count,
      /** Fingerprint similarity to the kept copy, 0..1 (over the overlap for a partial copy). */
      score: z.number(),
      /** Seconds into the full recording where a partial copy starts. */
      partialOffset: z.number().nullable(),
      /** An earlier member with exactly the same bytes. */
      identicalTo: Id.nullable(),
      suggested: z.boolean(),
      preferred: z.boolean(),
      /** The copy to keep: the preferred one, else the suggested one. */
      best: z.boolean(),
      /** In words: for the kept copy why it is kept; for another, why the kept one comes first. */
      why: z.string(),
      /** The lossy copy of the recording this one was transcoded from. */
      transcodedFrom: Id.nullable(),
      /** Where its audio stops (Hz) when it stops as a lossy encode's does, though lossless or 256 kbps+. */
      lossyCut: z.number().nullable(),
      /** The user's edits stand on this copy. */
      carriesEdits: z.boolean(),
    }),
  ),
});
export type DuplicateGroup = z.infer<typeof DuplicateGroupSchema>;
export const DUPLICATE_FILTERS = ['all', 'exact', 'partial'] as const;

const RelatedFileSchema = z.object({
  id: Id,
  path: z.string(),
  title: z.string().nullable(),
  duration: z.number().nullable(),
});
/** Two recordings, `longer` holding `overlap` seconds of `shorter` from `start` seconds in. */
const RecordingRelationSchema = z.object({
  longer: RelatedFileSchema,
  shorter: RelatedFileSchema,
  start: z.number(),
  overlap: z.number(),
});
export type RecordingRelation = z.infer<typeof RecordingRelationSchema>;

/** A copy rule as the user writes it: folder:PATH, format:NAME, first (app/core/library/copy-rules.ts). */
const RuleText = z.string().min(1).max(4096);
const RuleCopySchema = z.object({ id: Id, path: z.string() });
/** A recording whose kept copy the rules move, the fields of the copy kept now that go with it, and those
 *  the new copy keeps its own newer edits of. */
const RuleChangeSchema = z.object({
  group: Id,
  from: RuleCopySchema,
  to: RuleCopySchema,
  carries: z.array(z.string()),
  /** The fields the new copy was edited in since: its newer values stay, the older ones not carried. */
  keepsNewer: z.array(z.string()),
});
export type RuleChangeShown = z.infer<typeof RuleChangeSchema>;

export const DUPLICATE_METHODS = {
  /** A window of the recording groups (acoustic duplicates) a filter keeps; with a query (the library's
   *  language), those with a present copy that matches it. */
  'dup.groups': method(
    z
      .object({
        filter: z.enum(DUPLICATE_FILTERS),
        query: QueryText.optional(),
        offset: Count,
        limit: z.number().int().min(1).max(100),
      })
      .strict(),
    z.object({
      total: Count,
      groups: z.array(DuplicateGroupSchema),
      /** Copies the user chose that are missing on disk: their recordings keep the best present copy. */
      missingChoices: z.array(z.object({ id: Id, path: z.string() })),
    }),
  ),
  /** A window of the recordings that hold part of another (an extended version, a suite's movement). */
  'dup.related': method(
    z.object({ offset: Count, limit: z.number().int().min(1).max(100) }).strict(),
    z.object({ total: Count, relations: z.array(RecordingRelationSchema) }),
  ),
  /** Keeps a copy (or goes back to the suggested one); `batch`: the Keep in the history, which also
   *  carried the edits of the copy kept before to it, shown to the user with its undo (null: the choice
   *  was already this); `keptNewer`: the fields not carried, which the copy kept now was edited in since. */
  'dup.prefer': method(
    z.object({ id: Id, prefer: z.boolean() }).strict(),
    DuplicateGroupSchema.extend({ batch: BatchSchema.nullable(), keptNewer: z.array(z.string()) }),
  ),
  /** "Not the same recording": takes a copy out of its recording for good, as one undoable edit batch. */
  'dup.split': method(z.object({ id: Id }).strict(), z.object({ batch: BatchSchema })),
  /** "Same recording": makes two tracks' recordings one, whatever the fingerprints say; one undoable batch. */
  'dup.join': method(z.object({ ids: z.tuple([Id, Id]) }).strict(), z.object({ batch: BatchSchema })),
  /** The user's copy rules in force, in order. */
  'dup.rules': method(z.object({}).strict(), z.object({ rules: z.array(z.string()) })),
  /** Rules in place of those in force: what they change (apply: false), or set as `shown` said — refused,
   *  nothing changed, when they no longer do exactly that; `carried`: the batch of edits carried. */
  'dup.setRules': method(
    z
      .object({
        rules: z.array(RuleText).max(32),
        apply: z.boolean(),
        shown: z.array(RuleChangeSchema).max(100_000).optional(),
      })
      .strict(),
    z.object({
      rules: z.array(z.string()),
      changes: z.array(RuleChangeSchema),
      carried: BatchSchema.nullable(),
    }),
  ),
};
