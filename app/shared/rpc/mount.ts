// The RPC contract's mount area: the FUSE mounts, their template's paths, starting and stopping them.
import { z } from 'zod';
import { Count, empty, Id, MAX_PAGE, method } from './blocks.ts';

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
  /** Saves through a mount set aside (a damaged journal entry, another library's, a file gone): the first
   *  hundred, each with its reason, and how many in all. */
  setAside: z.object({
    count: Count,
    listed: z.array(
      z.object({
        id: z.string(),
        path: z.string().nullable(),
        acceptedAt: z.number().nullable(),
        setAsideAt: z.number(),
        reason: z.string(),
      }),
    ),
  }),
  /** Fields a tagger changed through a mount that an edit had changed since it read the file: the
   *  library's value kept, the tagger's offered (the first 200, oldest first, and how many in all). Values
   *  in words (“a”; “b”, empty, 2 pictures). */
  conflicts: z.object({
    count: Count,
    listed: z.array(
      z.object({
        id: Id,
        at: z.number(),
        /** The served path the tagger saved (an import: the original's path then). */
        path: z.string(),
        /** The original file's path now. */
        original: z.string(),
        key: z.string(),
        /** The library's value now. */
        library: z.string(),
        /** What it was when the save came, if an edit moved it since (taking the other is refused). */
        libraryAtSave: z.string().nullable(),
        tagger: z.string(),
        read: z.string(),
        /** A tagger's save through a mount, or an import of tags as text (`tagger` its value, `read`
         *  what was exported). */
        source: z.enum(['mount', 'import']),
      }),
    ),
  }),
  /** Mount registry files that could not be read (each with its reason): kept, not deleted. */
  unreadable: z.array(z.string()),
});
export type MountStatus = z.infer<typeof MountStatusSchema>;
const TemplateText = z.string().min(1).max(2000);
const AbsolutePath = z.string().min(2).max(4096).regex(/^\//, 'an absolute path (starting with /)');

const PlayerList = z.object({
  /** Each media server a mount tells of its changes, in words and without its secrets, in order. */
  players: z.array(z.object({ description: z.string() })),
});

const SubsonicStatusSchema = z.object({
  /** The app's Subsonic server while it runs: where clients reach it. */
  running: z.object({ url: z.string(), listen: z.string(), port: z.number().int() }).nullable(),
  /** One started from the command line (`sleeve subsonic`) over this library, in process `pid`. */
  elsewhere: z
    .object({ url: z.string(), listen: z.string(), port: z.number().int(), pid: z.number().int() })
    .nullable(),
  /** Who may log in (sleeve subsonic user NAME, key NAME). */
  users: z.array(z.string()),
});
export type SubsonicStatus = z.infer<typeof SubsonicStatusSchema>;

export const MOUNT_EVENTS = {
  /** A problem a mount's daemon reported (a save through it refused, nothing changed; an EIO), as it came:
   *  a tagger ignoring close()'s error would leave the user believing the save was taken. */
  'mount.problem': z.object({ mountpoint: z.string(), problem: z.string() }),
};

export const MOUNT_METHODS = {
  'players.list': method(empty, PlayerList),
  /** A media server to tell of the mount's changes (mpd: HOST[:PORT]; the others: their URL). `secret` is
   *  mpd's or a Subsonic server's password, Jellyfin's key or Plex's token. */
  'players.add': method(
    z
      .object({
        kind: z.enum(['mpd', 'jellyfin', 'plex', 'subsonic']),
        address: z.string().min(1).max(2048),
        secret: z.string().max(256).optional(),
        user: z.string().max(256).optional(),
        section: z.number().int().min(1).optional(),
        root: z.string().max(4096).optional(),
      })
      .strict(),
    PlayerList,
  ),
  /** Removes player `index` (1: the first listed). */
  'players.remove': method(z.object({ index: z.number().int().min(1) }).strict(), PlayerList),
  /** Tells each player the whole mount changed: per player, in order, null or why it could not be told. */
  'players.test': method(empty, z.object({ reasons: z.array(z.string().nullable()) })),
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
  /** Applies a set-aside save (its file back in the library), or says why it cannot be. */
  'saves.apply': method(z.object({ id: z.string().min(1).max(100) }).strict(), MountStatusSchema),
  /** Drops a set-aside save for good. */
  'saves.discard': method(z.object({ id: z.string().min(1).max(100) }).strict(), MountStatusSchema),
  /** Takes the tagger's value of a conflict as an edit, or says why not (the library's changed again). */
  'conflicts.take': method(z.object({ id: Id }).strict(), MountStatusSchema),
  /** Keeps the library's value of a conflict: the tagger's is dropped. */
  'conflicts.keep': method(z.object({ id: Id }).strict(), MountStatusSchema),
  'subsonic.status': method(empty, SubsonicStatusSchema),
  /** Starts the Subsonic server (the library to phones' players) on `listen` (an IP address: 127.0.0.1
   *  for this machine only) and `port` (0: any free one); browsing by folder shows `template`'s folders
   *  (the default template's when absent). */
  'subsonic.start': method(
    z
      .object({
        port: z.number().int().min(0).max(65535),
        listen: z.string().min(1).max(64),
        template: TemplateText.optional(),
      })
      .strict(),
    SubsonicStatusSchema,
  ),
  'subsonic.stop': method(empty, SubsonicStatusSchema),
  /** Opens an active mount in the desktop's file manager (for the browser; Electron uses its own). */
  'mount.open': method(z.object({ mountpoint: AbsolutePath }).strict(), z.object({ opened: z.boolean() })),
};
