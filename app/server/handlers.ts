// Every RPC method's implementation, on top of the library modules. Parameters arrive validated.
import { dirname } from 'node:path';
import { openWithDesktop } from '../../kit/desktop-open.ts';
import { UserError } from '../../kit/user-error.ts';
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { ArtStore } from '../core/library/art.ts';
import { batchChanges } from '../core/library/batch-changes.ts';
import {
  describeEdit,
  EditError,
  fieldDetails,
  history,
  readEdit,
  redoBatch,
  undoBatch,
} from '../core/library/edits.ts';
import {
  excludedFolders,
  excludeFolder,
  exclusionSize,
  includeFolder,
} from '../core/library/excluded-folders.ts';
import { GainSources } from '../core/library/gain-source.ts';
import { prunedHistory } from '../core/library/history-prune.ts';
import { afterScan, libraryFolders, libraryRoots, removeFolder } from '../core/library/library-folders.ts';
import { getFile } from '../core/library/list.ts';
import type { LoadedField } from '../core/library/loaded-fields.ts';
import { loudnessFacts } from '../core/library/loudness-report.ts';
import { previewing } from '../core/library/previewed.ts';
import { type ListScope, READ_WITH_PROBLEMS } from '../core/library/query-sql.ts';
import { selectedIds, summarizeFields } from '../core/library/selection.ts';
import { selectionCopies, withPickedCopies } from '../core/library/selection-copies.ts';
import { formatCount } from '../shared/count-words.ts';
import { type EventData, type FieldSummary, TABLE_TAGS } from '../shared/rpc-contract.ts';
import { artHandlers } from './art-handlers.ts';
import { duplicateHandlers } from './duplicate-handlers.ts';
import { HeldPreviews } from './held-previews.ts';
import { identifyHandlers } from './identify-handlers.ts';
import type { LibraryReader } from './library-reader.ts';
import type { LibraryWriter } from './library-writer.ts';
import { mountHandlers } from './mount-handlers.ts';
import { playerHandlers } from './player-handlers.ts';
import { playlistHandlers } from './playlist-handlers.ts';
import type { Handlers } from './rpc-hub.ts';
import { folderPath, type ScanRunner } from './scan-runner.ts';
import type { SimilarityService } from './similarity-service.ts';
import type { SubsonicHost } from './subsonic-host.ts';
import { toolHandlers } from './tool-handlers.ts';
import { trackRow } from './track-row.ts';
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
  /** Sends an identification run's progress to the clients. */
  readonly identifyProgress: (p: EventData<'identify.progress'>) => void;
  /** The app's Subsonic server. */
  readonly subsonic: SubsonicHost;
}

const listScope = (onePerRecording: boolean | undefined): ListScope =>
  onePerRecording ? 'recordings' : 'library';

export function createHandlers({
  db,
  home,
  scans,
  watch,
  similarity,
  reader,
  writer,
  changed,
  identifyProgress,
  subsonic,
}: HandlerDeps): Handlers {
  const art = new ArtStore(db);
  const trackLoudness = (id: number) =>
    (({ id: _, path: __, ...facts }) => facts)(loudnessFacts(db, [id])[0]!);
  /** The tag editor's previews (its summaries): the selection's files, what each field was, and when. */
  const selections = new HeldPreviews<{
    ids: number[];
    version: number;
    at: number;
    fields: ReadonlyMap<string, Pick<FieldSummary, 'values' | 'stamp'>>;
    /** The selection in words, for the history. */
    which: string;
  }>();
  /** What the editor loaded of `key` from the summary `token`. */
  const loadedField = (key: string, token: string): LoadedField => {
    const { ids, version, at, fields } = selections.get(token);
    const field = fields.get(key.toLowerCase());
    const stamp = fields.size > 0 && [...fields.values()][0]!.stamp === null ? null : (field?.stamp ?? '');
    return { key, ids, version, at, stamp, values: field ? field.values : [] };
  };

  return {
    'library.page': async ({ query, sort, offset, limit, onePerRecording, columns }) => ({
      offset,
      ...(await reader.read({
        op: 'page',
        query,
        sort,
        offset,
        limit,
        scope: listScope(onePerRecording),
        columns,
      })),
    }),
    'library.count': ({ query, onePerRecording }) =>
      reader.read({ op: 'count', query, scope: listScope(onePerRecording) }),
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
      const edited = fields.filter((f) => f.edited !== null).map((f) => f.key.toLowerCase());
      return {
        track: { ...trackRow(item, TABLE_TAGS, edited), bitDepth, channels },
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
    'tags.summary': async ({ target }) => {
      // What the editor shows is what the library holds: an earlier edit's tracks derived first.
      await writer.idle();
      const at = Date.now();
      const { summary, ...held } = previewing(db, () => {
        // Summarized by id: what the editor shows and what tags.edit saves are one set of files.
        const ids = selectedIds(db, target);
        const summary = summarizeFields(db, { kind: 'ids', ids });
        const which =
          target.kind === 'query' && target.except.length === 0
            ? `where ${target.query || '(all)'}`
            : `on ${formatCount(ids.length, 'track')}`;
        const fields = new Map(summary.fields.map((f) => [f.key.toLowerCase(), f]));
        return { summary, ids, at, fields, which };
      });
      return { ...summary, preview: selections.hold(held) };
    },
    'tags.copies': ({ preview, keys, offset, limit }) =>
      selectionCopies(db, selections.get(preview).ids, keys, offset, limit),
    'tags.edit': async ({ preview, changes, copies = [], description }) => {
      const held = selections.get(preview);
      const { changes: valid, warnings } = readEdit(db, changes);
      if (held.ids.length === 0)
        throw new EditError('the selection has no tracks (they may have been removed)');
      // The files the summary covered, never the query again (a file the watcher took in since is not
      // edited), and only the copies the user ticked.
      const ids = withPickedCopies(db, held.ids, copies);
      const scope =
        copies.length > 0 ? `${held.which} and ${formatCount(copies.length, 'copy', 'copies')}` : held.which;
      const { batch, changedTracks } = await writer.edit({
        op: 'edit',
        previewed: { ids, version: held.version },
        changes: valid,
        loaded: changes.map((c) => loadedField(c.key, c.loadedFrom)),
        description: description ?? describeEdit(valid, scope),
      });
      changed();
      return {
        batch: batch === undefined ? null : history(db, 1, batch)[0]!,
        changedTracks,
        warnings,
      };
    },
    'history.list': ({ limit }) => ({ batches: history(db, limit), pruned: prunedHistory(db) }),
    'history.changes': ({ batchId, offset, limit }) => batchChanges(db, batchId, offset, limit),
    'history.undo': ({ batchId }) => {
      const batch = undoBatch(db, batchId);
      changed();
      return { batch };
    },
    'history.redo': ({ batchId }) => {
      const batch = redoBatch(db, batchId);
      changed();
      return { batch };
    },
    'library.rows': ({ ids }) => reader.read({ op: 'rows', ids }),
    ...duplicateHandlers(db, changed),
    'similar.tracks': (params) => similarity.similar(params),
    'map.points': ({ color }) => similarity.map(color),
    ...mountHandlers(db, home),
    ...playerHandlers(home),
    ...subsonic.handlers(),
    ...playlistHandlers(db, changed),
    ...artHandlers(db, changed),
    ...identifyHandlers(db, home, changed, identifyProgress),
    ...toolHandlers(db, writer, changed),
    'scan.start': ({ folders }) => scans.start(folders),
    'scan.cancel': () => ({ cancelled: scans.cancel() }),
    'scan.status': () => scans.state(),
    'watch.status': () => watch.status(),
    'scan.roots': () => ({ roots: libraryFolders(db), excluded: excludedFolders(db) }),
    'scan.exclude': async ({ path, preview }) => {
      if (preview) return exclusionSize(db, folderPath(path));
      const left = await afterScan(home, (lock) => excludeFolder(db, home, folderPath(path), lock));
      changed();
      return left;
    },
    'scan.include': ({ path }) => {
      const included = includeFolder(db, folderPath(path));
      return { path: included, root: libraryRoots(db).find((r) => included.startsWith(`${r}/`)) ?? included };
    },
    'scan.removeRoot': async ({ path }) => {
      const removed = await afterScan(home, (lock) => removeFolder(db, home, folderPath(path), lock));
      changed();
      return removed;
    },
    'scan.warnings': ({ offset, limit }) => ({
      total: db.prepare(`SELECT count(*) FROM files f WHERE ${READ_WITH_PROBLEMS}`).pluck().get() as number,
      files: db
        .prepare(
          `SELECT id, path, CASE WHEN undecodable IS NULL THEN warning
             ELSE 'no audio decodes, so no player is given it: ' || undecodable END AS error
           FROM files f WHERE ${READ_WITH_PROBLEMS} ORDER BY path LIMIT ? OFFSET ?`,
        )
        .all(limit, offset) as Array<{ id: number; path: string; error: string }>,
    }),
    'scan.errors': ({ offset, limit }) => ({
      total: db.prepare("SELECT count(*) FROM files WHERE status = 'error'").pluck().get() as number,
      files: db
        .prepare("SELECT id, path, error FROM files WHERE status = 'error' ORDER BY path LIMIT ? OFFSET ?")
        .all(limit, offset) as Array<{ id: number; path: string; error: string }>,
    }),
  };
}
