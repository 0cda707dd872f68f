// The one contract between the backend and the renderer: every RPC method's parameters and result, and
// every event, as zod schemas. Pure (no Node, no DOM): the server validates requests with it, the client
// validates responses and events with it, so nothing unchecked crosses the WebSocket.
import { z } from 'zod';
import { USER_ERROR_CODES } from '../../kit/user-error.ts';
import { UUID } from './fields.ts';

/** Most rows one message carries: the renderer asks for windows, never the whole library. */
export const MAX_PAGE = 500;
/** Most ids one message carries (explicit selections, id ranges). */
export const MAX_IDS = 10_000;
/** Tags the track table shows; a page row carries only these (multi-values joined by MULTI_SEPARATOR). */
export const TABLE_TAGS = [
  'title',
  'artist',
  'album',
  'albumartist',
  'tracknumber',
  'discnumber',
  'date',
  'genre',
  'composer',
] as const;
/** How the UI shows and types several values of one field ("Rock; Pop"), as Picard does. */
export const MULTI_SEPARATOR = '; ';
/** Tag columns a table may add beyond TABLE_TAGS. */
export const MAX_TAG_COLUMNS = 24;

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();
const QueryText = z.string().max(4000);
const FieldName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a field name is letters, digits and underscores');

export const SortSchema = z.object({ field: FieldName, descending: z.boolean() }).strict();
export type Sort = z.infer<typeof SortSchema>;

const Window = { offset: Count, limit: z.number().int().min(1).max(MAX_PAGE) };

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
});
export type TrackRow = z.infer<typeof TrackRowSchema>;

/** What an edit or a summary applies to: listed tracks, or every track of a query but some. */
const IdsTarget = z.object({ kind: z.literal('ids'), ids: z.array(Id).min(1).max(MAX_IDS) }).strict();
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

const FieldChangeSchema = z
  .object({ key: z.string().min(1).max(64), values: z.array(z.string().max(100_000)).max(100) })
  .strict();
export type FieldChange = z.infer<typeof FieldChangeSchema>;

const PictureSchema = z.object({
  hash: z.string(),
  type: z.number().int(),
  description: z.string(),
  mime: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  bytes: Count,
});

/** Most tracks the app identifies at once (`sleeve identify` has no limit). */
export const MAX_IDENTIFY = 2000;

const PlannedChangeSchema = z
  .object({
    key: z.string().min(1).max(255),
    before: z.array(z.string().max(65_536)).max(100),
    after: z.array(z.string().max(65_536)).max(100),
  })
  .strict();

/** What identifying a file gives another copy of its recording: the recording's own fields only. */
const CopyChangesSchema = z.object({
  fileId: Id,
  changes: z.array(PlannedChangeSchema.extend({ fileId: Id })),
});

const ProposalSchema = z.object({
  fileId: Id,
  source: z.enum(['copy', 'acoustid', 'release']),
  strength: z.enum(['strong', 'review']),
  reasons: z.array(z.string()),
  changes: z.array(PlannedChangeSchema.extend({ fileId: Id })),
  sourceId: Id.optional(),
  acoustid: z.string().optional(),
  score: z.number().optional(),
  recordingId: z.string().optional(),
  cluster: z.string().optional(),
  releaseId: z.string().optional(),
  /** The other copies of its recording it would write when they are asked for too, and what. */
  copies: z.array(CopyChangesSchema).optional(),
});

const ToolText = z.string().max(1000);
const ToolFields = z.array(FieldName).max(50).optional();
/** A tagger's tool, as app/core/library/tag-tools/tag-tool.ts runs it. */
const TagToolSchema = z.discriminatedUnion('kind', [
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
]);
export type TagToolParams = z.infer<typeof TagToolSchema>;

/** Files a tool's preview shows in full (the counts cover them all). */
export const TOOL_PREVIEW_FILES = 200;

/** A preview the backend holds (a tool's plan, the tag editor's summary): saving names it, and applies to
 *  the files it covered, refused if one of them changed since. */
const PreviewToken = z.string().min(1).max(64);

/** A client's name for one identification run. */
const RunId = z.string().min(1).max(64);

/** A MusicBrainz id, as it may be sent to a service. */
const Mbid = z.string().regex(UUID);

/** A folder of files matched as an album: its candidate releases, best first, and the one proposed. */
const AlbumMatchSchema = z.object({
  key: z.string(),
  dir: z.string(),
  album: z.string().optional(),
  fileIds: z.array(Id),
  candidates: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      artist: z.string(),
      date: z.string().optional(),
      country: z.string().optional(),
      format: z.string().optional(),
      tracks: Count,
      score: z.number(),
      evidence: z.array(z.string()),
    }),
  ),
  releaseId: z.string().optional(),
  margin: z.number().optional(),
  strength: z.enum(['strong', 'review']),
  reasons: z.array(z.string()),
  extra: z.array(Id),
  missing: Count,
});
export type AlbumMatch = z.infer<typeof AlbumMatchSchema>;

const BatchSchema = z.object({
  id: Id,
  createdAt: z.number(),
  description: z.string(),
  undoneAt: z.number().nullable(),
  files: Count,
  fields: z.array(z.string()),
});
export type Batch = z.infer<typeof BatchSchema>;

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
});
export type FieldSummary = z.infer<typeof FieldSummarySchema>;

export const ScanProgressSchema = z.object({
  phase: z.enum(['walk', 'read', 'analyse', 'group', 'index']),
  found: Count,
  total: Count,
  done: Count,
  filesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
});
export type ScanProgress = z.infer<typeof ScanProgressSchema>;

const ScanResultSchema = z.object({
  folders: z.array(z.string()),
  added: Count,
  updated: Count,
  /** Known files found at a new path (moved or renamed): the same tracks, edits kept. */
  moved: Count,
  unchanged: Count,
  missing: Count,
  errors: Count,
  folderErrors: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** Links not followed (circles, places the library has without them, places off limits), and why. */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  interrupted: z.boolean(),
  /** Reading the files' tags. */
  seconds: z.number(),
  /** The whole scan: reading, fingerprints and embeddings, grouping, the similarity index. */
  totalSeconds: z.number(),
  /** Folders scanned that hold no audio file (not kept as library folders). */
  empty: z.array(z.string()),
  /** Set when the scan stopped on an error of its own (e.g. the folder does not exist). */
  failure: z.string().nullable(),
  /** Set when a remote fingerprint index was unreachable: the files wait to be grouped, and why. */
  groupingWaits: z.string().nullable(),
});
export type ScanResult = z.infer<typeof ScanResultSchema>;

const WatchedFolderSchema = z.object({
  path: z.string(),
  state: z.enum(['watching', 'polling', 'paused']),
  /** Why the folder is polled or paused, and what to do about it. */
  notice: z.string().nullable(),
});

/** What one look at a watched folder changed. */
const WatchReportSchema = z.object({
  folder: z.string(),
  places: z.array(z.string()),
  added: Count,
  updated: Count,
  moved: Count,
  missing: Count,
  errors: Count,
  seconds: z.number(),
  /** A remote fingerprint index was unreachable: the files wait to be grouped, and why. */
  groupingWaits: z.string().nullable(),
  /** Links the look did not follow (each said once while it stays), and why. */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** When it was taken in (ms since the epoch). */
  at: z.number(),
});
export type WatchReport = z.infer<typeof WatchReportSchema>;

const ScanStateSchema = z.object({
  running: z.boolean(),
  folders: z.array(z.string()),
  /** What the scan waits for, in words (a folder that does not answer, another scan), or null. */
  waiting: z.string().nullable(),
  progress: ScanProgressSchema.nullable(),
  last: ScanResultSchema.nullable(),
});
export type ScanState = z.infer<typeof ScanStateSchema>;

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

/** Colours of the library map: up to MAP_CATEGORIES of the most common values, the rest "other". */
export const MAP_COLOR_FIELDS = ['genre', 'artist'] as const;
export const MAP_CATEGORIES = 12;
/** Category byte of a point with no value / another value than the listed ones. */
export const MAP_NO_VALUE = 255;
export const MAP_OTHER = 254;
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

const MountSchema = z.object({
  mountpoint: z.string(),
  pid: Id,
  template: z.string(),
  /** Every copy of a recording served, not only the one it keeps. */
  allCopies: z.boolean(),
  startedAt: z.number(),
  /** Files served, from the daemon's log (null until it says). */
  files: Count.nullable(),
  /** The daemon's latest problems (EIO, rejected writes, failed refreshes), newest last. */
  errors: z.array(z.string()),
  /** Saves accepted through the mount that wait for the library (another process holds it). */
  pendingSaves: Count,
});
const MountStatusSchema = z.object({
  /** Why this machine cannot mount, or null when it can. */
  unavailable: z.string().nullable(),
  defaultTemplate: z.string(),
  mounts: z.array(MountSchema),
  /** Saves a mount that stopped left journalled: applied by the next mount daemon that starts. */
  orphanedSaves: Count,
  /** Mount registry files that could not be read (each with its reason): kept, not deleted. */
  unreadable: z.array(z.string()),
});
export type MountStatus = z.infer<typeof MountStatusSchema>;
const TemplateText = z.string().min(1).max(2000);
const AbsolutePath = z.string().min(2).max(4096).regex(/^\//, 'an absolute path (starting with /)');

const empty = z.object({}).strict();
/** Most tracks in a playlist (app/core/library/playlists.ts MAX_ENTRIES). */
const MAX_PLAYLIST = 100_000;
const PlaylistName = z.string().min(1).max(1000);
const PlaylistSchema = z.object({
  id: Id,
  name: z.string(),
  /** A smart playlist's query; null for a list of tracks. */
  query: z.string().nullable(),
  limit: Count.nullable(),
  tracks: Count,
});
export type PlaylistInfo = z.infer<typeof PlaylistSchema>;
/** List one file per recording (its kept copy) instead of every file. */
const OnePerRecording = { onePerRecording: z.boolean().optional() };
const method = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({ params, result });

/** Tracks for a list: listed ids, or a selection's (a query's in the order the list shows — `sort`, else
 *  the query's own — listed ids in the order given). */
const PlaylistTracksFrom = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ids'), ids: z.array(Id).max(MAX_PLAYLIST) }).strict(),
  z.object({ kind: z.literal('selection'), target: TargetSchema, sort: SortSchema.nullable() }).strict(),
]);

export const METHODS = {
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
    }),
  ),
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
        changes: z.array(FieldChangeSchema).min(1).max(100),
        /** Edit the recordings: every present copy of each selected file too (as the summary counted them). */
        copies: z.boolean().optional(),
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
   *  undoable batch; never writes files. An image travels as base64 (at most 5.5 MiB of image: the message holds 8 MiB). */
  'art.edit': method(
    z
      .object({
        target: TargetSchema,
        change: z.discriminatedUnion('kind', [
          z
            .object({
              kind: z.literal('set'),
              type: z.number().int().min(0).max(20),
              base64: Base64.min(4).max(7.5 * 1024 * 1024),
            })
            .strict(),
          z
            .object({
              kind: z.literal('remove'),
              type: z.union([z.number().int().min(0).max(20), z.literal('all')]),
            })
            .strict(),
        ]),
        /** Every present copy of each selected file too. */
        copies: z.boolean().optional(),
      })
      .strict(),
    z.object({ batch: BatchSchema.nullable(), changedTracks: Count }),
  ),
  /** Proposals naming the selection's tracks: from their copies, and from AcoustID and MusicBrainz (albums
   *  matched to releases) when `online` and enabled in config.json (read at each call). At most
   *  MAX_IDENTIFY tracks at a time. `chosen`: a release the user picked for an album, by its key. Each
   *  proposal lists what it would give the other copies of its recording, should the user ask for that. */
  'identify.propose': method(
    z
      .object({
        target: TargetSchema,
        online: z.boolean(),
        chosen: z.record(z.string().max(8192), Mbid).optional(),
        /** The caller's name for this run: its identify.progress events carry it, identify.cancel stops it. */
        run: RunId.optional(),
      })
      .strict(),
    z.object({
      proposals: z.array(ProposalSchema),
      /** What AcoustID was asked and answered; null when it was not asked. */
      online: z
        .object({ requests: Count, cached: Count, unknown: Count, unfingerprinted: Count, asked: Count })
        .nullable(),
      /** Answers the services gave that were left out, and why (an id that is not one). */
      warnings: z.array(z.string()),
      /** The albums matched to releases; null when MusicBrainz was not asked. */
      albums: z.object({ clusters: z.array(AlbumMatchSchema), requests: Count, cached: Count }).nullable(),
      /** Whether AcoustID, MusicBrainz and the Cover Art Archive are enabled in config.json. */
      onlineEnabled: z.boolean(),
      albumsEnabled: z.boolean(),
      coversEnabled: z.boolean(),
      paths: z.array(z.object({ id: Id, path: z.string() })),
    }),
  ),
  /** What a tagger's tool would change on a selection (the recordings listed, in `sort`'s order, which
   *  numbering follows; with `copies`, every other copy of them too, numbered as its recording): the first
   *  TOOL_PREVIEW_FILES files' changes, the totals, the tracks it leaves and why; `preview` names it. */
  'tools.plan': method(
    z
      .object({
        target: TargetSchema,
        sort: SortSchema.nullable(),
        tool: TagToolSchema,
        copies: z.boolean().optional(),
      })
      .strict(),
    z.object({
      preview: PreviewToken,
      changes: z.array(PlannedChangeSchema.extend({ fileId: Id })),
      files: Count,
      skipped: z.array(z.object({ fileId: Id, reason: z.string() })),
      /** Other copies of these recordings the tool leaves as they are (0 with `copies`). */
      otherCopies: Count,
      paths: z.array(z.object({ id: Id, path: z.string() })),
    }),
  ),
  /** Saves a preview as one undoable batch: its files, planned as they were (never a file added since); a
   *  conflict when one of them changed since. */
  'tools.apply': method(
    z.object({ preview: PreviewToken }).strict(),
    z.object({ batch: BatchSchema.nullable(), changedTracks: Count }),
  ),
  /** Stops a running identify.propose (it then fails with "cancelled"); what was already asked of the
   *  services is kept, so asking again resumes from it. False when no such run is going. */
  'identify.cancel': method(z.object({ run: RunId }).strict(), z.object({ cancelled: z.boolean() })),
  /** Applies proposals and the copies listed with them (their changes validated again) as one undoable
   *  batch, writing exactly those files; a file whose tags changed since its proposal is left out and
   *  named. `applied`: the files written. */
  'identify.apply': method(
    z
      .object({
        proposals: z
          .array(
            z
              .object({
                fileId: Id,
                changes: z.array(PlannedChangeSchema).min(1).max(100),
                releaseId: Mbid.optional(),
                /** The copies its preview listed, with their changes (the recording's own fields): written
                 *  as given, none added. */
                copies: z
                  .array(
                    z.object({ fileId: Id, changes: z.array(PlannedChangeSchema).min(1).max(100) }).strict(),
                  )
                  .max(MAX_IDENTIFY)
                  .optional(),
              })
              .strict(),
          )
          .min(1)
          .max(MAX_IDENTIFY),
        /** The releases' front covers from the Cover Art Archive, on their files without one: fetched once
         *  the tags are saved, and added to their batch. */
        cover: z.boolean().optional(),
        /** The caller's name for the covers' fetching: identify.progress events carry it, identify.cancel
         *  stops it (the tags stay saved). */
        run: RunId.optional(),
      })
      .strict(),
    z.object({
      batch: BatchSchema.nullable(),
      applied: Count,
      stale: z.array(Id),
      /** Releases whose cover could not be had, and why. */
      coverProblems: z.array(z.string()),
    }),
  ),
  'history.list': method(
    z.object({ limit: z.number().int().min(1).max(200) }).strict(),
    z.object({ batches: z.array(BatchSchema) }),
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
        }),
      ),
    }),
  ),
  /** Undoes a batch; without an id, the newest active one. */
  'history.undo': method(z.object({ batchId: Id.optional() }).strict(), z.object({ batch: BatchSchema })),
  /** Makes an undone batch active again; without an id, the one undone last. */
  'history.redo': method(z.object({ batchId: Id.optional() }).strict(), z.object({ batch: BatchSchema })),
  /** Starts scanning folders (absolute paths on the backend's machine); one scan at a time. */
  'scan.start': method(
    z.object({ folders: z.array(z.string().min(1).max(4096)).min(1).max(100) }).strict(),
    ScanStateSchema,
  ),
  'scan.cancel': method(empty, z.object({ cancelled: z.boolean() })),
  'scan.status': method(empty, ScanStateSchema),
  /** The watched library folders and what watching took in lately (newest first). */
  'watch.status': method(
    empty,
    z.object({
      /** Off when config.json's watch.enabled is false. */
      enabled: z.boolean(),
      folders: z.array(WatchedFolderSchema),
      recent: z.array(WatchReportSchema),
    }),
  ),
  /** Library folders already added (with their files, present, missing or unreadable), for a rescan. */
  'scan.roots': method(
    empty,
    z.object({
      roots: z.array(z.object({ path: z.string(), tracks: Count })),
      /** Folders inside them left out of the library (`sleeve exclude`). */
      excluded: z.array(z.string()),
    }),
  ),
  /**
   * Leaves a folder inside a library folder out: its files leave every view and the mount, edits kept,
   * and scans skip it. `preview`: only how many tracks would leave. Refused while a scan runs.
   */
  'scan.exclude': method(
    z.object({ path: z.string().min(1).max(4096), preview: z.boolean().optional() }).strict(),
    z.object({ path: z.string(), files: Count }),
  ),
  /** Drops a folder's exclusion; `root`: the library folder whose next scan brings its tracks back. */
  'scan.include': method(
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    z.object({ path: z.string(), root: z.string() }),
  ),
  /**
   * Takes a library folder out of the library: its files leave every view and the mount, their edits are
   * kept; scanning the folder again brings them back. Refused while a scan runs.
   */
  'scan.removeRoot': method(
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    z.object({ path: z.string(), files: Count }),
  ),
  /** Table rows of listed tracks (the map's hover, the similar view), in the order asked. */
  'library.rows': method(
    z.object({ ids: z.array(Id).min(1).max(MAX_PAGE) }).strict(),
    z.object({ rows: z.array(TrackRowSchema) }),
  ),
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
              limit: z.number().int().min(1).max(MAX_PLAYLIST).nullable(),
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
    z.object({ id: Id, from: Count.max(MAX_PLAYLIST), to: Count.max(MAX_PLAYLIST) }).strict(),
    PlaylistSchema,
  ),
  /** Tracks appended to a list (not a smart playlist: its query chooses). */
  'playlists.add': method(z.object({ id: Id, from: PlaylistTracksFrom }).strict(), PlaylistSchema),
  /** A list's tracks replaced (adding, removing, reordering). */
  'playlists.setTracks': method(
    z.object({ id: Id, ids: z.array(Id).max(MAX_PLAYLIST) }).strict(),
    PlaylistSchema,
  ),
  /** A new list from an M3U8 file the page read (its bytes, base64: a binary or non-UTF-8 file is told
   *  apart): every entry it could not place reported. */
  'playlists.import': method(
    z
      .object({
        name: PlaylistName,
        /** A message holds at most 8 MiB: a larger file is for `sleeve playlist import`. */
        base64: Base64.max(7.5 * 1024 * 1024),
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
  /** Removes a playlist; playlists.restore brings it back (kept 30 days, until its name is taken). */
  'playlists.delete': method(z.object({ id: Id }).strict(), z.object({ deleted: PlaylistSchema })),
  'playlists.restore': method(z.object({ id: Id }).strict(), PlaylistSchema),
  /** A window of the recording groups (acoustic duplicates) a filter keeps. */
  'dup.groups': method(
    z
      .object({ filter: z.enum(DUPLICATE_FILTERS), offset: Count, limit: z.number().int().min(1).max(100) })
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
  /** Keeps this copy of its recording (prefer: false goes back to the suggested copy). */
  'dup.prefer': method(z.object({ id: Id, prefer: z.boolean() }).strict(), DuplicateGroupSchema),
  /** "Not the same recording": takes a copy out of its recording for good, as one undoable edit batch. */
  'dup.split': method(z.object({ id: Id }).strict(), z.object({ batch: BatchSchema })),
  /** "Same recording": makes two tracks' recordings one, whatever the fingerprints say; one undoable batch. */
  'dup.join': method(z.object({ ids: z.tuple([Id, Id]) }).strict(), z.object({ batch: BatchSchema })),
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
  'mount.status': method(empty, MountStatusSchema),
  /** Paths the template gives these tracks under the mount (before collision suffixes). */
  'mount.preview': method(
    z.object({ template: TemplateText, ids: z.array(Id).max(MAX_PAGE) }).strict(),
    z.object({ paths: z.array(z.object({ id: Id, path: z.string() })) }),
  ),
  /** Mounts at a folder (absolute or ~/…; created if missing, else it must be empty). */
  'mount.start': method(
    z
      .object({
        mountpoint: z.string().min(1).max(4096),
        template: TemplateText,
        /** Every copy of a recording (default: one file per recording, the copy it keeps). */
        allCopies: z.boolean().optional(),
      })
      .strict(),
    MountStatusSchema,
  ),
  'mount.stop': method(z.object({ mountpoint: AbsolutePath }).strict(), MountStatusSchema),
  /** Opens an active mount in the desktop's file manager (for the browser; Electron uses its own). */
  'mount.open': method(z.object({ mountpoint: AbsolutePath }).strict(), z.object({ opened: z.boolean() })),
  /** Files that could not be read, with the reason. */
  'scan.errors': method(
    z.object(Window).strict(),
    z.object({ total: Count, files: z.array(z.object({ id: Id, path: z.string(), error: z.string() })) }),
  ),
};

export const EVENTS = {
  'scan.progress': ScanProgressSchema,
  /** The scan waits (a folder that does not answer, another process's scan): what for, in words. */
  'scan.waiting': z.object({ message: z.string() }),
  'scan.finished': ScanResultSchema,
  /** A watched folder's state changed (all folders). */
  'watch.folders': z.object({ folders: z.array(WatchedFolderSchema) }),
  /** Watching took in changes: files added, changed, moved or gone. */
  'watch.changed': WatchReportSchema,
  /** Something the library shows changed (a scan, an edit, an undo, the CLI): refresh what is visible. */
  'library.changed': z.object({ version: z.number() }),
  /** Tracks an edit changed whose views (search, the mount, sorting) are still being brought up to date;
   *  0 once all are. */
  'library.updating': z.object({ tracks: Count }),
  /** An identification run's progress: AcoustID requests answered, MusicBrainz albums matched, or front
   *  covers fetched. */
  'identify.progress': z.object({
    run: RunId,
    service: z.enum(['AcoustID', 'MusicBrainz', 'Cover Art Archive']),
    done: Count,
    total: Count,
  }),
};

export type MethodName = keyof typeof METHODS;
export type EventName = keyof typeof EVENTS;
export type Params<M extends MethodName> = z.input<(typeof METHODS)[M]['params']>;
export type Result<M extends MethodName> = z.output<(typeof METHODS)[M]['result']>;
export type EventData<E extends EventName> = z.output<(typeof EVENTS)[E]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(EVENTS, name);
}

// The wire: requests carry a client-chosen id; every response echoes it.
export const ERROR_CODES = [...USER_ERROR_CODES, 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const RpcErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** For a query syntax error: where in the query text (0-based) and how long. */
  position: z.object({ start: Count, length: z.number().int().positive() }).optional(),
});
export type RpcErrorBody = z.infer<typeof RpcErrorSchema>;

export const RequestSchema = z
  .object({ id: z.number().int().nonnegative(), method: z.string().max(100), params: z.unknown() })
  .strict();

export const ServerMessageSchema = z.union([
  z.object({ id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number(), ok: z.literal(false), error: RpcErrorSchema }),
  z.object({ event: z.string(), data: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** Readable one-line reasons from a zod error: "params.changes[0].key: too short". */
export function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ');
}
