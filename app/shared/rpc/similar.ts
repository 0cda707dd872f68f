// The RPC contract's similarity area: "more like this" and the library map.
import { z } from 'zod';
import { Base64, Count, IdsTarget, method, QueryText, TrackRowSchema } from './blocks.ts';

/** Colours of the library map: up to MAP_CATEGORIES of the most common values, the rest "other". */
export const MAP_COLOR_FIELDS = ['genre', 'artist'] as const;
export const MAP_CATEGORIES = 12;
/** Category byte of a point with no value / another value than the listed ones. */
export const MAP_NO_VALUE = 255;
export const MAP_OTHER = 254;

export const SIMILAR_METHODS = {
  /** "More like this": the nearest tracks to some tracks (one, or an album's as a centroid). */
  'similar.tracks': method(
    z
      .object({
        seeds: z.discriminatedUnion('kind', [
          IdsTarget,
          z.object({ kind: z.literal('query'), query: QueryText }).strict(),
        ]),
        limit: z.number().int().min(1).max(200),
        includeDuplicates: z.boolean(),
      })
      .strict(),
    z.object({
      seeds: Count,
      tracks: z.array(z.object({ distance: z.number(), sameRecording: z.boolean(), track: TrackRowSchema })),
    }),
  ),
  /** Every analysed track's place on the 2D map, packed: ids (int32), xy (float32 pairs, −1..1) and a
   *  colour category (uint8 index into categories, MAP_OTHER or MAP_NO_VALUE), each little-endian base64. */
  'map.points': method(
    z.object({ color: z.enum(MAP_COLOR_FIELDS) }).strict(),
    z.object({
      count: Count,
      explained: z.tuple([z.number(), z.number()]),
      categories: z.array(z.object({ name: z.string(), tracks: Count })).max(MAP_CATEGORIES),
      ids: Base64,
      xy: Base64,
      category: Base64,
    }),
  ),
};
