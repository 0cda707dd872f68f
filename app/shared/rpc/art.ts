// The RPC contract's art area: a selection's front cover, and setting or removing cover art.
import { z } from 'zod';
import { BatchSchema, Count, Id, MAX_PICKED_COPIES, method, PictureSchema, TargetSchema } from './blocks.ts';

export const ART_METHODS = {
  /** The selection's front cover: the one all its tracks share, or whether they differ. */
  'art.summary': method(
    z.object({ target: TargetSchema }).strict(),
    z.object({
      tracks: Count,
      /** Tracks with a front cover. */
      withFront: Count,
      /** The front cover, when every track with one has the same. */
      front: PictureSchema.nullable(),
    }),
  ),
  /** Sets (adds, or replaces the picture of its type) or removes cover art on a selection, as one
   *  undoable batch; never writes files. An image is sent first by POST /upload (app/server/uploads.ts). */
  'art.edit': method(
    z
      .object({
        target: TargetSchema,
        change: z.discriminatedUnion('kind', [
          z
            .object({
              kind: z.literal('set'),
              type: z.number().int().min(0).max(20),
              upload: z.string().uuid(),
            })
            .strict(),
          z
            .object({
              kind: z.literal('remove'),
              type: z.union([z.number().int().min(0).max(20), z.literal('all')]),
            })
            .strict(),
        ]),
        /** Other copies of the selected recordings the user ticked in the editor, edited too. */
        copies: z.array(Id).max(MAX_PICKED_COPIES).optional(),
      })
      .strict(),
    z.object({ batch: BatchSchema.nullable(), changedTracks: Count }),
  ),
};
