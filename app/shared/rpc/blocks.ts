// The RPC contract's building blocks its areas share: ids, counts, windows, track rows, targets, batches.
import { z } from 'zod';
import { MAX_FIELD_VALUES } from '../fields.ts';

/** Most rows one message carries: the renderer asks for windows, never the whole library. */
export const MAX_PAGE = 500;

/** Most ids one message carries (explicit selections, id ranges). */
export const MAX_IDS = 10_000;
export const Id = z.number().int().positive();
export const Count = z.number().int().nonnegative();
export const QueryText = z.string().max(4000);
export const FieldName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a field name is letters, digits and underscores');

export const SortSchema = z.object({ field: FieldName, descending: z.boolean() }).strict();
export type Sort = z.infer<typeof SortSchema>;

export const Window = { offset: Count, limit: z.number().int().min(1).max(MAX_PAGE) };

export const TrackRowSchema = z.object({
  id: Id,
  path: z.string(),
  format: z.string().nullable(),
  codec: z.string().nullable(),
  duration: z.number().nullable(),
  bitrate: z.number().nullable(),
  sampleRate: z.number().nullable(),
  size: Count,
  status: z.enum(['ok', 'missing', 'error', 'removed']),
  /** Why it could not be read (status error). */
  error: z.string().nullable(),
  /** What the scan warned of (truncated, a value ignored), joined by "; ". */
  warning: z.string().nullable(),
  /** TABLE_TAGS and the extra columns asked for (lower case keys), multiple values joined. */
  tags: z.record(z.string(), z.string()),
  /** Fields an edit in Sleeve sets (lower case): the table marks them. */
  edited: z.array(z.string()),
  /** Among its recording's copies: the one kept (players get it) or another; null: held once. */
  copy: z.enum(['kept', 'other']).nullable(),
  /** For another copy, the one its recording keeps: its path and format. */
  keptCopy: z.object({ path: z.string(), format: z.string().nullable() }).nullable(),
});
export type TrackRow = z.infer<typeof TrackRowSchema>;

/** What an edit or a summary applies to: listed tracks, or every track of a query but some. */
export const IdsTarget = z.object({ kind: z.literal('ids'), ids: z.array(Id).min(1).max(MAX_IDS) }).strict();
export const TargetSchema = z.discriminatedUnion('kind', [
  IdsTarget,
  z
    .object({
      kind: z.literal('query'),
      query: QueryText,
      except: z.array(Id).max(MAX_IDS),
      /** The query over one file per recording (its kept copy), as the Tracks view's switch lists it. */
      onePerRecording: z.boolean().optional(),
    })
    .strict(),
]);
export type Target = z.infer<typeof TargetSchema>;

export const PictureSchema = z.object({
  hash: z.string(),
  type: z.number().int(),
  description: z.string(),
  mime: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  bytes: Count,
});

export const PlannedChangeSchema = z
  .object({
    key: z.string().min(1).max(255),
    before: z.array(z.string().max(65_536)).max(MAX_FIELD_VALUES),
    after: z.array(z.string().max(65_536)).max(MAX_FIELD_VALUES),
  })
  .strict();

/** A preview the backend holds (a tool's plan, the tag editor's summary): saving names it, and applies to
 *  the files it covered, refused if one of them changed since. */
export const PreviewToken = z.string().min(1).max(64);

/** Copies of the selection's recordings one save may pick, one by one, and the editor lists at most. */
export const MAX_PICKED_COPIES = 500;

export const BatchSchema = z.object({
  id: Id,
  createdAt: z.number(),
  description: z.string(),
  undoneAt: z.number().nullable(),
  files: Count,
  /** Other copies its edits were carried to (edit-counts.ts): an undo takes them back there too. */
  carriedTo: Count,
  fields: z.array(z.string()),
});
export type Batch = z.infer<typeof BatchSchema>;

export const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

export const empty = z.object({}).strict();
/** One method's declaration: the schemas of its parameters and of its result. */
export const method = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({
  params,
  result,
});
