// The RPC contract's library area: the track list's windows, counts, albums, artists, stats and one track.
import { z } from 'zod';
import {
  Count,
  FieldName,
  Id,
  MAX_IDS,
  MAX_PAGE,
  method,
  PictureSchema,
  QueryText,
  SortSchema,
  TrackRowSchema,
  Window,
} from './blocks.ts';

/** Tag columns a table may add beyond TABLE_TAGS. */
export const MAX_TAG_COLUMNS = 24;

/** List one file per recording (its kept copy) instead of every file. */
const OnePerRecording = { onePerRecording: z.boolean().optional() };

const GainSourceSchema = z.enum(['own', 'measured']);

export const LoudnessSchema = z.object({
  /** null: not measured yet (or the file changed since). */
  status: z.enum(['ok', 'silent', 'too_short', 'error']).nullable(),
  /** LUFS, LU, linear (full scale 1). */
  integrated: z.number().nullable(),
  range: z.number().nullable(),
  truePeak: z.number().nullable(),
  samplePeak: z.number().nullable(),
  note: z.string().nullable(),
  /** What the scan found damaged in the file: the figures are of what decodes. */
  warning: z.string().nullable(),
  /** ReplayGain 2.0 (dB toward -18 LUFS). */
  trackGain: z.number().nullable(),
  album: z
    .object({ name: z.string(), artist: z.string(), tracks: Count, gain: z.number(), peak: z.number() })
    .nullable(),
  served: z.enum(['file', 'measured', 'none']),
  /** Whether it carries ReplayGain of its own (its tags or an edit's): then `source` says which it serves. */
  ownGain: z.boolean(),
  /** The measured figures or its own, when it has both; `chosen`: for this track, else the library's default. */
  source: GainSourceSchema,
  chosen: z.boolean(),
  /** The library's default, which it follows unless chosen. */
  defaultSource: GainSourceSchema,
});

export const LIBRARY_METHODS = {
  /** A window of the tracks matching a query, in `sort` order (else the query's own sort terms). */
  'library.page': method(
    z
      .object({
        query: QueryText,
        sort: SortSchema.nullable(),
        ...Window,
        ...OnePerRecording,
        /** Tags beyond TABLE_TAGS the table shows as columns. */
        columns: z.array(FieldName).max(MAX_TAG_COLUMNS).optional(),
      })
      .strict(),
    /** total is null while unknown: a new query's first window comes before counting (library.count). */
    z.object({ total: Count.nullable(), offset: Count, rows: z.array(TrackRowSchema) }),
  ),
  /** How many tracks a query matches. */
  'library.count': method(
    z.object({ query: QueryText, ...OnePerRecording }).strict(),
    z.object({ total: Count }),
  ),
  /** For a query that lists nothing: the same with each value that looks mistyped (`genre:rokc`) put right
   *  as the library spells it, and what was changed; null when no value does. */
  'library.closer': method(
    z.object({ query: QueryText }).strict(),
    z.object({
      query: z.string().nullable(),
      changes: z.array(z.object({ field: z.string(), typed: z.string(), value: z.string() })),
    }),
  ),
  /** Ids of a window of the same list (shift-click ranges over rows never loaded). */
  'library.ids': method(
    z
      .object({
        query: QueryText,
        sort: SortSchema.nullable(),
        offset: Count,
        limit: z.number().int().min(1).max(MAX_IDS),
        ...OnePerRecording,
      })
      .strict(),
    z.object({ ids: z.array(Id) }),
  ),
  /** The album grid: one entry per album of the files listed (one per recording, or every file). */
  'library.albums': method(
    z.object({ query: QueryText, ...Window, ...OnePerRecording }).strict(),
    z.object({
      total: Count,
      albums: z.array(
        z.object({
          album: z.string(),
          albumartist: z.string(),
          year: z.string().nullable(),
          /** The field that holds `albumartist` on these tracks (for a query selecting the album). */
          artistField: z.enum(['albumartist', 'artist']),
          /** Recordings (copies of one count once); files counts the files listed (every copy only
           *  when every file is). */
          tracks: Count,
          files: Count,
          /** Hash for /art/:hash, from the album's first track with a picture. */
          art: z.string().nullable(),
        }),
      ),
    }),
  ),
  'library.artists': method(
    z.object({ query: QueryText, ...Window, ...OnePerRecording }).strict(),
    z.object({
      total: Count,
      artists: z.array(z.object({ name: z.string(), tracks: Count, files: Count, albums: Count })),
    }),
  ),
  /** The library's totals. Albums and artists: the entries library.albums and library.artists list for
   *  the whole library in the same scope; the rest counts files. */
  'library.stats': method(
    z.object({ ...OnePerRecording }).strict(),
    z.object({
      /** Files present (every copy). */
      tracks: Count,
      missing: Count,
      errors: Count,
      recordings: Count,
      albums: Count,
      artists: Count,
      /** Of every present file. */
      seconds: z.number(),
    }),
  ),
  /** Table rows of listed tracks (the map's hover, the similar view), in the order asked. */
  'library.rows': method(
    z.object({ ids: z.array(Id).min(1).max(MAX_PAGE) }).strict(),
    z.object({ rows: z.array(TrackRowSchema) }),
  ),
  /** Opens the folder holding a track's original file in the file manager of the backend's machine. */
  'track.reveal': method(
    z.object({ id: Id }).strict(),
    z.object({ folder: z.string(), opened: z.boolean() }),
  ),
  /** Everything about one track: properties, each field's file, edited and effective values, art. */
  'track.details': method(
    z.object({ id: Id }).strict(),
    z.object({
      track: TrackRowSchema.extend({
        bitDepth: z.number().nullable(),
        channels: z.number().nullable(),
      }),
      fields: z.array(
        z.object({
          key: z.string(),
          file: z.array(z.string()),
          edited: z.array(z.string()).nullable(),
          effective: z.array(z.string()),
        }),
      ),
      art: z.array(PictureSchema),
      /** What was measured of its loudness (read-only facts), and whose ReplayGain players get. */
      loudness: LoudnessSchema,
    }),
  ),
  /** Whose ReplayGain a track carrying its own is served: its own, the measured, or the library's default. */
  'track.gainSource': method(
    z.object({ id: Id, choice: z.enum(['own', 'measured', 'default']) }).strict(),
    z.object({ loudness: LoudnessSchema }),
  ),
};

export const LIBRARY_EVENTS = {
  /** Something the library shows changed (a scan, an edit, an undo, the CLI): refresh what is visible. */
  'library.changed': z.object({ version: z.number() }),
  /** Tracks an edit changed whose views (search, the mount, sorting) are still being brought up to date;
   *  0 once all are. */
  'library.updating': z.object({ tracks: Count }),
};
