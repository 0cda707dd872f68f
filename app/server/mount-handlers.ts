import { openWithDesktop } from '../../kit/desktop-open.ts';
import { UserError } from '../../kit/user-error.ts';
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { derivedAlbumValues } from '../core/library/album-years.ts';
import { checkedPathTemplate } from '../core/library/checked-template.ts';
import { libraryRoots } from '../core/library/library-folders.ts';
import { filesByIds } from '../core/library/list.ts';
import { keepConflict, openConflicts, shown, takeConflict } from '../core/library/save-conflicts.ts';
import { applySave, orphanedSaves } from '../core/library/save-journal.ts';
import {
  discardSetAside,
  retrySetAside,
  setAsideDir,
  setAsideSaves,
} from '../core/library/set-aside-saves.ts';
import {
  type FuseAvailability,
  fuseAvailability,
  startMount,
  stopMount,
} from '../core/mounts/mount-control.ts';
import { listMounts, type MountEntry, readMountReport } from '../core/mounts/mount-registry.ts';
import { pathSource } from '../core/served/path-source.ts';
import { DEFAULT_TEMPLATE } from '../core/served/path-template.ts';
import type { MountStatus } from '../shared/rpc-contract.ts';
import type { Handlers } from './rpc-hub.ts';
import { folderPath } from './scan-runner.ts';

/** fuseAvailability runs ldconfig and fusermount: asked at most once a minute. */
const AVAILABILITY_MS = 60_000;
let availabilityCache: { at: number; value: FuseAvailability } | null = null;
function cachedAvailability(): FuseAvailability {
  if (!availabilityCache || performance.now() - availabilityCache.at > AVAILABILITY_MS)
    availabilityCache = { at: performance.now(), value: fuseAvailability() };
  return availabilityCache.value;
}

/** What the mount's daemon reported: files served, saves waiting and its latest problems. */
function reportOf(home: Home, m: MountEntry) {
  const report = readMountReport(home.dir, m.mountpoint);
  return {
    files: report?.files ?? null,
    errors: report?.problems ?? [],
    pendingSaves: report?.pendingSaves ?? 0,
  };
}

function conflictsInWords(db: Db): MountStatus['conflicts'] {
  const { count, listed } = openConflicts(db);
  return {
    count,
    listed: listed.map((c) => ({
      id: c.id,
      at: c.at,
      path: c.path,
      original: c.original,
      key: c.key,
      library: shown(c.key, c.now),
      libraryAtSave: c.changedSince ? shown(c.key, c.library) : null,
      tagger: shown(c.key, c.tagger),
      read: shown(c.key, c.read),
      source: c.source ?? 'mount',
    })),
  };
}

function status(db: Db, home: Home): MountStatus {
  const availability = cachedAvailability();
  const { mounts, unreadable } = listMounts(home.dir);
  return {
    unavailable: availability.ok ? null : availability.reason,
    defaultTemplate: DEFAULT_TEMPLATE,
    unreadable,
    orphanedSaves: orphanedSaves(home, db),
    setAside: setAsideSaves(db),
    conflicts: conflictsInWords(db),
    mounts: mounts.map((m) => ({
      mountpoint: m.mountpoint,
      pid: m.pid,
      template: m.template,
      allCopies: m.allCopies,
      startedAt: m.startedAt,
      ...reportOf(home, m),
    })),
  };
}

export function mountHandlers(
  db: Db,
  home: Home,
): Pick<
  Handlers,
  | 'mount.status'
  | 'mount.preview'
  | 'mount.start'
  | 'mount.stop'
  | 'mount.open'
  | 'saves.apply'
  | 'saves.discard'
  | 'conflicts.take'
  | 'conflicts.keep'
> {
  const active = (mountpoint: string) => listMounts(home.dir).mounts.some((m) => m.mountpoint === mountpoint);
  return {
    'mount.status': () => status(db, home),
    'mount.preview': ({ template, ids }) => {
      const parsed = checkedPathTemplate(db, template); // a bad template answers with its position
      const album = derivedAlbumValues(db, parsed.albumFields()); // what the library derived for each album
      return {
        paths: filesByIds(db, ids).map((file) => ({
          id: file.id,
          path: parsed.components(pathSource(file, Object.entries(file.tags), album(file.id))).join('/'),
        })),
      };
    },
    'mount.start': async ({ mountpoint, template, allCopies }) => {
      checkedPathTemplate(db, template); // a bad template is refused before any daemon starts
      await startMount({
        home: home.dir,
        mountpoint: folderPath(mountpoint),
        template,
        roots: libraryRoots(db),
        allCopies: allCopies ?? false,
      });
      return status(db, home);
    },
    'mount.stop': async ({ mountpoint }) => {
      // Only this library's mounts: the CLI may take down a stale one with fusermount, the app may not
      // touch the user's other FUSE mounts.
      if (!active(mountpoint))
        throw new UserError('not_found', `${mountpoint} is not one of this library's mounts`);
      await stopMount(home.dir, mountpoint);
      return status(db, home);
    },
    'saves.apply': ({ id }) => {
      retrySetAside(db, setAsideDir(home.dir), id, (save) => applySave(db, save, true));
      return status(db, home);
    },
    'saves.discard': ({ id }) => {
      discardSetAside(db, setAsideDir(home.dir), id);
      return status(db, home);
    },
    'conflicts.take': ({ id }) => {
      takeConflict(db, id, 'app');
      return status(db, home);
    },
    'conflicts.keep': ({ id }) => {
      keepConflict(db, id);
      return status(db, home);
    },
    'mount.open': async ({ mountpoint }) => {
      // Only a mount of this library: the method must not become a way to open anything anywhere.
      if (!active(mountpoint))
        throw new UserError('not_found', `${mountpoint} is not one of this library's mounts`);
      return { opened: (await openWithDesktop(mountpoint)) === null };
    },
  };
}
