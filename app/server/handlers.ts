// Every RPC method's implementation, on top of the library modules. Parameters arrive validated.
import { dirname } from 'node:path';
import { openWithDesktop } from '../../kit/desktop-open.ts';
import { UserError } from '../../kit/user-error.ts';
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { ArtStore } from '../core/library/art.ts';
import { batchChanges } from '../core/library/batch-changes.ts';
import { editedSince } from '../core/library/edited-since.ts';
import { fieldDetails, history, redoBatch, undoBatch } from '../core/library/edits.ts';
import { GainSources } from '../core/library/gain-source.ts';
import { prunedHistory } from '../core/library/history-prune.ts';
import { getFile } from '../core/library/list.ts';
import { loudnessFacts } from '../core/library/loudness-report.ts';
import type { ListScope } from '../core/library/query-sql.ts';
import { libraryVersion, VersionedCache } from '../core/library/track-window.ts';
import { queryKey } from '../shared/query-clock.ts';
import { TABLE_TAGS } from '../shared/rpc-contract.ts';
import { artHandlers } from './art-handlers.ts';
import { duplicateHandlers } from './duplicate-handlers.ts';
import { identifyHandlers } from './identify-handlers.ts';
import type { IdentifyEmit } from './identify-runs.ts';
import type { LibraryReader } from './library-reader.ts';
import type { LibraryWriter } from './library-writer.ts';
import { mountHandlers } from './mount-handlers.ts';
import { playerHandlers } from './player-handlers.ts';
import { playlistHandlers } from './playlist-handlers.ts';
import type { Handlers } from './rpc-hub.ts';
import { scanHandlers } from './scan-handlers.ts';
import type { ScanRunner } from './scan-runner.ts';
import type { SimilarityService } from './similarity-service.ts';
import type { SubsonicHost } from './subsonic-host.ts';
import { tagHandlers } from './tag-handlers.ts';
import { type ExportLinks, tagsTextHandlers } from './tags-text-handlers.ts';
import { toolHandlers } from './tool-handlers.ts';
import { copiesOf, trackRow } from './track-row.ts';
import type { Uploads } from './uploads.ts';
import type { WatchService } from './watch-service.ts';

export interface HandlerDeps {
  readonly db: Db;
  readonly home: Home;
  readonly scans: ScanRunner;
  readonly watch: WatchService;
  readonly similarity: SimilarityService;
  /** The read queries, off the event loop. */
  readonly reader: LibraryReader;
  /** Edits and tag tools, and deriving what they changed, off the event loop. */
  readonly writer: LibraryWriter;
  /** Announces a change made here (an edit, an undo) to every client at once. */
  readonly changed: () => void;
  /** Sends an identification run's progress, and its end, to the clients. */
  readonly identifyEvent: IdentifyEmit;
  /** The app's Subsonic server. */
  readonly subsonic: SubsonicHost;
  /** Exports asked for, which /export streams. */
  readonly exports: ExportLinks;
  /** Files sent to import, which POST /upload takes. */
  readonly uploads: Uploads;
}

const listScope = (onePerRecording: boolean | undefined): ListScope =>
  onePerRecording ? 'recordings' : 'library';

const countKey = (query: string, scope: ListScope) => JSON.stringify([queryKey(query), scope]);

export function createHandlers({
  db,
  home,
  scans,
  watch,
  similarity,
  reader,
  writer,
  changed,
  identifyEvent,
  subsonic,
  exports,
  uploads,
}: HandlerDeps): Handlers {
  const art = new ArtStore(db);
  // Counts run on a reader of their own (library-reader.ts): a page from the windows' reader is given the
  // total counted before (a sort changed, a query typed back), as when both ran on one.
  const counted = new VersionedCache<number>(32);
  const trackLoudness = (id: number) =>
    (({ id: _, path: __, ...facts }) => facts)(loudnessFacts(db, [id])[0]!);
  return {
    'library.page': async ({ query, sort, offset, limit, onePerRecording, columns }) => {
      const scope = listScope(onePerRecording);
      const version = libraryVersion(db);
      const page = await reader.read({ op: 'page', query, sort, offset, limit, scope, columns });
      return { offset, ...page, total: page.total ?? counted.peek(countKey(query, scope), version) ?? null };
    },
    'library.count': async ({ query, onePerRecording }) => {
      const scope = listScope(onePerRecording);
      // Read before the count is asked: a change meanwhile files it under an older version, never a newer.
      const version = libraryVersion(db);
      const { total } = await reader.read({ op: 'count', query, scope });
      return { total: counted.get(countKey(query, scope), version, () => total) };
    },
    'library.closer': ({ query }) => reader.read({ op: 'closer', query }),
    'library.ids': ({ query, sort, offset, limit, onePerRecording }) =>
      reader.read({ op: 'ids', query, sort, offset, limit, scope: listScope(onePerRecording) }),
    'library.albums': ({ query, offset, limit, onePerRecording }) =>
      reader.read({ op: 'albums', query, offset, limit, scope: listScope(onePerRecording) }),
    'library.artists': ({ query, offset, limit, onePerRecording }) =>
      reader.read({ op: 'artists', query, offset, limit, scope: listScope(onePerRecording) }),
    'library.stats': ({ onePerRecording }) => reader.read({ op: 'stats', scope: listScope(onePerRecording) }),
    'track.reveal': async ({ id }) => {
      // Only a library file's own folder: the method must not become a way to open any path.
      const item = getFile(db, id);
      if (!item) throw new UserError('not_found', `there is no track ${id}`);
      const folder = dirname(item.path);
      return { folder, opened: (await openWithDesktop(folder)) === null };
    },
    'track.details': ({ id }) => {
      const item = getFile(db, id);
      if (!item) throw new UserError('not_found', `there is no track ${id}`);
      const { bitDepth, channels } = item;
      const fields = fieldDetails(db, id);
      // Marked as the table marks it: set by an edit to other than the file says.
      const edited = fields
        .filter((f) => f.edited !== null && JSON.stringify(f.effective) !== JSON.stringify(f.file))
        .map((f) => f.key.toLowerCase());
      return {
        track: { ...trackRow(item, TABLE_TAGS, edited, copiesOf(db, [id]).get(id)), bitDepth, channels },
        fields,
        art: art.pictures(id),
        loudness: trackLoudness(id),
      };
    },
    'track.gainSource': ({ id, choice }) => {
      if (!getFile(db, id)) throw new UserError('not_found', `there is no track ${id}`);
      if (new GainSources(db).choose([id], choice) > 0) changed();
      return { loudness: trackLoudness(id) };
    },
    ...tagHandlers(db, writer, changed),
    'history.list': ({ limit }) => ({ batches: history(db, limit), pruned: prunedHistory(db) }),
    'history.changes': ({ batchId, offset, limit }) => batchChanges(db, batchId, offset, limit),
    'history.undo': ({ batchId }) => {
      const batch = undoBatch(db, batchId);
      changed();
      return { batch, stays: editedSince(db, batch.id) };
    },
    'history.redo': ({ batchId }) => {
      const batch = redoBatch(db, batchId);
      changed();
      return { batch, stays: editedSince(db, batch.id) };
    },
    'library.rows': ({ ids }) => reader.read({ op: 'rows', ids }),
    ...duplicateHandlers(db, changed),
    'similar.tracks': (params) => similarity.similar(params),
    'map.points': ({ color }) => similarity.map(color),
    ...mountHandlers(db, home),
    ...playerHandlers(home),
    ...subsonic.handlers(),
    ...playlistHandlers(db, uploads, changed),
    ...artHandlers(db, uploads, changed),
    ...identifyHandlers(db, home, changed, identifyEvent),
    ...toolHandlers(db, writer, changed),
    ...tagsTextHandlers(db, writer, exports, uploads, changed),
    ...scanHandlers(db, home, scans, watch, changed),
  };
}
