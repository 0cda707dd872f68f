// The RPC contract's playlists area: lists and smart playlists, their tracks, M3U8 import and export.
import { z } from 'zod';
import { MAX_PLAYLIST_ENTRIES } from '../playlist-rules.ts';
import {
  Count,
  empty,
  Id,
  method,
  QueryText,
  SortSchema,
  TargetSchema,
  TrackRowSchema,
  Window,
} from './blocks.ts';

const PlaylistName = z.string().min(1).max(1000);
/** Most tracks a smart playlist keeps (null: every one its query finds). */
const SmartLimit = z.number().int().min(1).max(MAX_PLAYLIST_ENTRIES).nullable();
const PlaylistSchema = z.object({
  id: Id,
  name: z.string(),
  /** A smart playlist's query; null for a list of tracks. */
  query: z.string().nullable(),
  limit: Count.nullable(),
  tracks: Count,
});
export type PlaylistInfo = z.infer<typeof PlaylistSchema>;

/** Tracks for a list: listed ids, or a selection's (a query's in the order the list shows — `sort`, else
 *  the query's own — listed ids in the order given). */
const PlaylistTracksFrom = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ids'), ids: z.array(Id).max(MAX_PLAYLIST_ENTRIES) }).strict(),
  z.object({ kind: z.literal('selection'), target: TargetSchema, sort: SortSchema.nullable() }).strict(),
]);

export const PLAYLIST_METHODS = {
  /** Every playlist, by name, with how many tracks it has now. */
  'playlists.list': method(empty, z.object({ playlists: z.array(PlaylistSchema) })),
  /** A new list (of files in order) or smart playlist (a query kept live, one file per recording). */
  'playlists.create': method(
    z
      .object({
        name: PlaylistName,
        from: z.discriminatedUnion('kind', [
          ...PlaylistTracksFrom.options,
          z
            .object({
              kind: z.literal('smart'),
              query: QueryText,
              limit: SmartLimit,
            })
            .strict(),
        ]),
      })
      .strict(),
    PlaylistSchema,
  ),
  /** A window of a playlist's tracks now, in order. */
  'playlists.tracks': method(
    z.object({ id: Id, ...Window }).strict(),
    z.object({ total: Count, rows: z.array(TrackRowSchema) }),
  ),
  /** Every track of a playlist, in order (to play it, or to change a list). */
  'playlists.ids': method(z.object({ id: Id }).strict(), z.object({ ids: z.array(Id) })),
  /** A list's track at place `from` moved to place `to` (0-based, as `playlists.tracks` lists them). */
  'playlists.move': method(
    z.object({ id: Id, from: Count.max(MAX_PLAYLIST_ENTRIES), to: Count.max(MAX_PLAYLIST_ENTRIES) }).strict(),
    PlaylistSchema,
  ),
  /** Tracks appended to a list (not a smart playlist: its query chooses). */
  /** Tracks added at the end of a list; `alreadyThere`: how many of them it held before (listed again). */
  'playlists.add': method(
    z.object({ id: Id, from: PlaylistTracksFrom }).strict(),
    PlaylistSchema.extend({ alreadyThere: Count }),
  ),
  /** A list's tracks replaced (adding, removing, reordering). */
  'playlists.setTracks': method(
    z.object({ id: Id, ids: z.array(Id).max(MAX_PLAYLIST_ENTRIES) }).strict(),
    PlaylistSchema,
  ),
  /** A new list from an M3U8 file the page sent (its bytes: a binary or non-UTF-8 file is told apart):
   *  every entry it could not place reported. */
  'playlists.import': method(
    z
      .object({
        name: PlaylistName,
        /** The file, sent first by POST /upload (app/server/uploads.ts). */
        upload: z.string().uuid(),
      })
      .strict(),
    z.object({
      playlist: PlaylistSchema,
      entries: Count,
      skipped: z.array(z.object({ line: Count, location: z.string(), reason: z.string() })),
    }),
  ),
  /** A playlist as M3U8 text naming the originals by their absolute paths, to save as a file. */
  'playlists.export': method(z.object({ id: Id }).strict(), z.object({ name: z.string(), text: z.string() })),
  'playlists.rename': method(z.object({ id: Id, name: PlaylistName }).strict(), PlaylistSchema),
  /** A smart playlist's query and limit changed (`sleeve playlist query`). */
  'playlists.editSmart': method(
    z.object({ id: Id, query: QueryText, limit: SmartLimit }).strict(),
    PlaylistSchema,
  ),
  /** Removes a playlist; playlists.restore brings it back (kept 30 days, until its name is taken). */
  'playlists.delete': method(z.object({ id: Id }).strict(), z.object({ deleted: PlaylistSchema })),
  'playlists.restore': method(z.object({ id: Id }).strict(), PlaylistSchema),
};
