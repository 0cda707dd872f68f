// The RPC contract's identify area: proposals from copies, AcoustID and MusicBrainz, and applying them.
import { z } from 'zod';
import { UUID } from '../fields.ts';
import { BatchSchema, Count, Id, method, PlannedChangeSchema, TargetSchema } from './blocks.ts';

/** Most tracks the app identifies at once (`sleeve identify` has no limit). */
export const MAX_IDENTIFY = 2000;

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
  /** The credits the user entered that its changes keep beside the source's, by field (kept-credits.ts). */
  kept: z.record(z.string(), z.array(z.string())).optional(),
});

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

export const IDENTIFY_METHODS = {
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
};

export const IDENTIFY_EVENTS = {
  /** An identification run's progress: AcoustID requests answered, MusicBrainz albums matched, or front
   *  covers fetched. */
  'identify.progress': z.object({
    run: RunId,
    service: z.enum(['AcoustID', 'MusicBrainz', 'Cover Art Archive']),
    done: Count,
    total: Count,
  }),
  /** A named run's end, to every client (the page that asked may be gone): done, stopped by
   *  identify.cancel, stopped because the page that asked closed, or failed. */
  'identify.ended': z.object({
    run: RunId,
    outcome: z.enum(['done', 'cancelled', 'page closed', 'failed']),
  }),
};
