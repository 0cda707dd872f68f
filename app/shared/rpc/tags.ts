// The RPC contract's tags and history area: the tag editor's summary and edit, and the undoable batches.
import { z } from 'zod';
import { MAX_FIELD_VALUES, MAX_VALUE_CHARS } from '../fields.ts';
import { TEXT_FORMATS } from '../text-formats.ts';
import {
  BatchSchema,
  Count,
  Id,
  MAX_PICKED_COPIES,
  method,
  PlannedChangeSchema,
  PreviewToken,
  SortSchema,
  TargetSchema,
  Window,
} from './blocks.ts';

/** Tags as text: the formats a spreadsheet round trip uses (app/core/library/tags-export.ts). */

/** A field an undo or redo left as a newer edit set it (stays-words.ts). */
const StaysSchema = z.object({ key: z.string(), files: Count, newest: Id });

export const TextFormatSchema = z.enum(TEXT_FORMATS);
/** The largest file an import reads (`sleeve import`, the app's upload): a million tracks' common fields
 *  as CSV take about 200 MB. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
/** A JSON import is read whole (CSV and TSV as a stream): parsed, it takes several times its size. */
export const MAX_JSON_IMPORT_BYTES = 64 * 1024 * 1024;
/** Files an import's preview shows in full, and conflicts and warnings it lists (the counts cover all). */
export const IMPORT_PREVIEW_FILES = 200;

const FieldChangeSchema = z
  // A value past MAX_VALUE_CHARS gets through to the field's own check, which says so in the field's words
  // (the request is bounded all the same).
  .object({
    key: z.string().min(1).max(64),
    values: z.array(z.string().max(2 * MAX_VALUE_CHARS)).max(MAX_FIELD_VALUES),
  })
  .strict();
export type FieldChange = z.infer<typeof FieldChangeSchema>;

/** One field over a target: the common value, or null when the tracks differ ("mixed"). */
const FieldSummarySchema = z.object({
  key: z.string(),
  values: z.array(z.string()).nullable(),
  /** What the files themselves say, when that differs from `values` on some track (null: files differ). */
  fileValues: z.array(z.string()).nullable(),
  /** Tracks whose shown value is an edit that differs from the file's own value. */
  editedTracks: Count,
  /** Tracks that have this field at all. */
  tracks: Count,
  /** A digest of the tracks' values of it ('' for a field none has); null for a selection too large to
   *  stamp. Changed since a draft's field was loaded: someone else changed that field. */
  stamp: z.string().nullable(),
});
export type FieldSummary = z.infer<typeof FieldSummarySchema>;

export const TAG_METHODS = {
  /** The tag editor's view of a selection: each field's common value, or mixed; `preview` names it for
   *  tags.edit. */
  'tags.summary': method(
    z.object({ target: TargetSchema }).strict(),
    z.object({
      tracks: Count,
      fields: z.array(FieldSummarySchema),
      copies: z.object({
        /** Selected files that are the copy their recording keeps, among other present copies. */
        kept: Count,
        /** Recordings of selected files none of which is the copy players get (another one is). */
        notKept: Count,
        /** Present copies of the selected files' recordings that are not selected. */
        others: Count,
      }),
      preview: PreviewToken,
    }),
  ),
  /** Sets fields on the tracks a summary showed (`preview`: never a file added since) as one undoable
   *  batch; a conflict when one of them changed since. Never writes files. Track and disc numbers are
   *  read as taggers write them ("05", "2/9": totaltracks set too; app/shared/track-numbers.ts). */
  'tags.edit': method(
    z
      .object({
        preview: PreviewToken,
        /** Each field with the summary (its preview) the editor loaded it from: a field whose values
         *  changed since is refused, saying what changed and who changed it. */
        changes: z
          .array(FieldChangeSchema.extend({ loadedFrom: PreviewToken }).strict())
          .min(1)
          .max(100),
        /** Other copies of the selected recordings the user ticked (tags.copies), written too. */
        copies: z.array(Id).max(MAX_PICKED_COPIES).optional(),
        description: z.string().max(500).optional(),
      })
      .strict(),
    z.object({
      batch: BatchSchema.nullable(),
      changedTracks: Count,
      /** Values kept as typed though their field reads numbers ("A1" as a track number). */
      warnings: z.array(z.string()),
    }),
  ),
  /** The library's values of a field beginning with what the user typed (case aside), the
   *  most used first, each with its tracks and sort name: the editor's suggestions. None for a field the
   *  field table does not mark `suggest`. */
  'tags.suggest': method(
    z.object({ key: z.string().min(1).max(64), typed: z.string().max(200) }).strict(),
    z.object({
      values: z.array(z.object({ value: z.string(), uses: Count, sort: z.string().nullable() })),
    }),
  ),
  /** The other copies of the recordings a summary covers, with their values of `keys` and the keys where
   *  each says something else than the selected copy: what the editor lists when copies are turned on. */
  'tags.copies': method(
    z
      .object({
        preview: PreviewToken,
        keys: z.array(z.string().min(1).max(64)).max(100),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(MAX_PICKED_COPIES),
      })
      .strict(),
    z.object({
      total: Count,
      copies: z.array(
        z.object({
          id: Id,
          of: Id,
          path: z.string(),
          format: z.string().nullable(),
          bitrate: z.number().nullable(),
          partial: z.boolean(),
          values: z.record(z.string(), z.array(z.string())),
          differs: z.array(z.string()),
        }),
      ),
    }),
  ),
  /** An export of a selection's tags (the editor's fields, or every field its tracks have), as a link the
   *  page downloads: the tracks are the selection's now, in the table's order; the text is made as the
   *  link is read, streamed. */
  'tags.exportLink': method(
    z
      .object({
        target: TargetSchema,
        sort: SortSchema.nullable(),
        format: TextFormatSchema,
        allFields: z.boolean(),
      })
      .strict(),
    z.object({ url: z.string(), name: z.string(), tracks: Count }),
  ),
  /** What importing a spreadsheet's text would change on the selection (its rows name tracks by id or
   *  path; rows naming tracks outside the selection are left out and counted): the first
   *  IMPORT_PREVIEW_FILES files' changes, the conflicts it would keep; `preview` names it. Refused, with
   *  each row's reason, as `sleeve import` refuses. */
  'tags.importPlan': method(
    z
      .object({
        target: TargetSchema,
        name: z.string().min(1).max(255),
        format: TextFormatSchema,
        /** The file as POST /upload took it (app/server/uploads.ts). */
        upload: z.string().uuid(),
      })
      .strict(),
    z.object({
      preview: PreviewToken,
      changes: z.array(PlannedChangeSchema.extend({ fileId: Id })),
      files: Count,
      conflicts: z.array(
        z.object({ fileId: Id, key: z.string(), library: z.array(z.string()), tagger: z.array(z.string()) }),
      ),
      conflictsTotal: Count,
      outside: Count,
      outsidePaths: z.array(z.string()),
      warnings: z.array(z.string()),
      paths: z.array(z.object({ id: Id, path: z.string() })),
    }),
  ),
  /** Saves an import's preview: its changes as one undoable batch (a conflict when a track changed since),
   *  its conflicts kept for the user to take or leave. */
  'tags.importApply': method(
    z.object({ preview: PreviewToken }).strict(),
    z.object({ batch: BatchSchema.nullable(), changedTracks: Count, conflicts: Count }),
  ),
  /** The newest batches, and where the history was pruned (batches up to `through` can no longer be
   *  undone or redone: the rule kept `batches` batches from the last `days` days), or null. */
  'history.list': method(
    z.object({ limit: z.number().int().min(1).max(200) }).strict(),
    z.object({
      batches: z.array(BatchSchema),
      pruned: z.object({ through: Id, batches: Count, days: Count }).nullable(),
    }),
  ),
  /** What a batch changed, per track and field: before (what was in effect) and after, in path order. */
  'history.changes': method(
    z.object({ batchId: Id, ...Window }).strict(),
    z.object({
      total: Count,
      covers: Count,
      changes: z.array(
        z.object({
          fileId: Id,
          path: z.string(),
          title: z.string().nullable(),
          key: z.string(),
          before: z.array(z.string()),
          after: z.array(z.string()),
          measuredBefore: z.boolean(),
        }),
      ),
    }),
  ),
  /** Undoes a batch; without an id, the newest active one. */
  'history.undo': method(
    z.object({ batchId: Id.optional() }).strict(),
    z.object({ batch: BatchSchema, stays: z.array(StaysSchema) }),
  ),
  /** Makes an undone batch active again; without an id, the one undone last. */
  'history.redo': method(
    z.object({ batchId: Id.optional() }).strict(),
    z.object({ batch: BatchSchema, stays: z.array(StaysSchema) }),
  ),
};
