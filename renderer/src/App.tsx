// The app's frame: views (tracks, albums, artists, duplicates, similar, mount, scan, history), the query bar, the tag editor beside
// the track table, the player, toasts and keyboard shortcuts.
import {
  type ReactNode,
  type PointerEvent as ReactPointerEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { parseQuery, QuerySyntaxError } from '../../app/shared/query.ts';
import { MAX_IDS, type Sort, type TrackRow } from '../../app/shared/rpc-contract.ts';
import { useApp, useWindowStore } from './app-context.tsx';
import { desktop } from './backend.ts';
import { AddToPlaylistMenu, PlaylistDropTargets } from './components/AddToPlaylist.tsx';
import { AlbumGrid } from './components/AlbumGrid.tsx';
import { ArtistList } from './components/ArtistList.tsx';
import { ColumnChooser } from './components/ColumnChooser.tsx';
import { ContextMenu, type MenuItem } from './components/ContextMenu.tsx';
import { DuplicatesView } from './components/DuplicatesView.tsx';
import { HelpDialog } from './components/HelpDialog.tsx';
import { HistoryPanel } from './components/HistoryPanel.tsx';
import { IdentifyView } from './components/IdentifyView.tsx';
import { MountView } from './components/MountView.tsx';
import { NameForm } from './components/NameForm.tsx';
import { Player, type PlayerControls } from './components/Player.tsx';
import { PlaylistsView } from './components/PlaylistsView.tsx';
import { QueryBar } from './components/QueryBar.tsx';
import { ScanPanel } from './components/ScanPanel.tsx';
import { type SimilarSeed, SimilarView } from './components/SimilarView.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { TagEditor } from './components/TagEditor.tsx';
import { ToolsPanel } from './components/ToolsPanel.tsx';
import { type ListOrder, type SelectMode, TrackTable } from './components/TrackTable.tsx';
import { ViewTabs } from './components/ViewTabs.tsx';
import { dragHorizontally } from './drag.ts';
import { formatCount } from './format.ts';
import { append, currentItem, EMPTY_QUEUE, playNext, playNow, type Queue, type QueueItem } from './queue.ts';
import { MAX_QUEUED, queueItem, queueItemsFor } from './queue-items.ts';
import { isConnectionError, RpcCallError } from './rpc-client.ts';
import {
  EMPTY,
  rangeBounds,
  type Selection,
  selectAll,
  selectedCount,
  selectOnly,
  selectRange,
  toggle,
  toTarget,
} from './selection.ts';
import { readStored } from './stored.ts';
import { extraTags, useTableColumns } from './table-columns.ts';
import { readUrlState, writeUrlState } from './url-state.ts';
import { useAwayNotices } from './use-away-notices.ts';
import { useConnection } from './use-connection.ts';
import { useKeyboardShortcuts } from './use-keyboard-shortcuts.ts';
import { useStoredFlag } from './use-stored-flag.ts';
import { useUndoRedo } from './use-undo-redo.ts';
import { type View, viewNamed } from './views.ts';

const IDS_PER_CALL = 10_000;
/** localStorage key of the Tracks view's "one per recording" switch (on unless turned off). */
const ONE_PER_RECORDING_KEY = 'sleeve.tracks.onePerRecording';
const EDITOR_HIDDEN_KEY = 'sleeve.editor.hidden';
const EDITOR_WIDTH_KEY = 'sleeve.editor.width';
const EDITOR_MIN = 260;
const EDITOR_MAX = 720;

const isEditorWidth = (v: unknown): v is number =>
  typeof v === 'number' && v >= EDITOR_MIN && v <= EDITOR_MAX;

/** Tracks whose paths the mount view previews when none are selected. */
const PREVIEW_TRACKS = 20;
const MAX_PREVIEW = 50;

/** The order a list is in: the header's sort, else the query's first sort term, else by path. */
function listOrder(query: string, sort: Sort | null): ListOrder {
  if (sort) return { sort, by: 'header' };
  try {
    const first = parseQuery(query).sorts[0];
    if (first) return { sort: first, by: 'query' };
  } catch (err) {
    if (!(err instanceof QuerySyntaxError)) throw err;
  }
  return { sort: { field: 'path', descending: false }, by: 'default' };
}

export function App() {
  const { backend, fail, toast, saved } = useApp();
  const { client } = backend;
  // The address bar's view, query, sort and selection (url-state.ts): a reload opens the same list.
  const [fromUrl] = useState(readUrlState);
  const [view, setView] = useState<View>(() => viewNamed(fromUrl.view) ?? 'tracks');
  const [query, setQuery] = useState(fromUrl.query);
  const [sort, setSort] = useState<Sort | null>(fromUrl.sort);
  const [onePerRecording, setOnePerRecording] = useStoredFlag(ONE_PER_RECORDING_KEY, true);
  const [selection, setSelection] = useState<Selection>(fromUrl.selection);
  useEffect(() => writeUrlState({ view, query, sort, selection }), [view, query, sort, selection]);
  const [queue, setQueue] = useState<Queue>(EMPTY_QUEUE);
  const onQueue = useCallback((update: (q: Queue) => Queue) => setQueue(update), []);
  const [similarSeed, setSimilarSeed] = useState<SimilarSeed | null>(null);
  const [help, setHelp] = useState(false);
  const [savingAs, setSavingAs] = useState(false);
  const [identifying, setIdentifying] = useState(false);
  const [tooling, setTooling] = useState(false);
  const queryInput = useRef<HTMLInputElement>(null);
  const player = useRef<PlayerControls>(null);
  const connection = useConnection(client);
  useAwayNotices();
  const { undo, redo } = useUndoRedo();

  const table = useTableColumns();
  const [choosingColumns, setChoosingColumns] = useState(false);
  const closeChooser = useCallback(() => setChoosingColumns(false), []);
  // The row menu holds the row it opened on: a list refreshed meanwhile does not move it to another track.
  const [rowMenu, setRowMenu] = useState<{ row: TrackRow; x: number; y: number } | null>(null);
  /** Where "Add to playlist…" opened its menu of lists. */
  const [addingTo, setAddingTo] = useState<{ x: number; y: number } | null>(null);
  /** Selected rows are being dragged: the lists to drop them on are shown. */
  const [draggingRows, setDraggingRows] = useState(false);
  // The editor beside the table: hidden or shown, and how wide (both remembered).
  const [editorHidden, setEditorHidden] = useStoredFlag(EDITOR_HIDDEN_KEY, false);
  const [editorWidth, setEditorWidth] = useState(() => readStored(EDITOR_WIDTH_KEY, isEditorWidth, 340));
  const resizeEditor = (e: ReactPointerEvent) => {
    const startWidth = editorWidth;
    // Its left edge: dragging left widens it.
    const widthAt = (dx: number) => Math.min(EDITOR_MAX, Math.max(EDITOR_MIN, Math.round(startWidth - dx)));
    dragHorizontally(
      e,
      (dx) => setEditorWidth(widthAt(dx)),
      (dx) => localStorage.setItem(EDITOR_WIDTH_KEY, String(widthAt(dx))),
    );
  };
  /** The tag editor's first field, the editor shown first (the row menu's Edit tags). */
  const editTags = useCallback(() => {
    setEditorHidden(false);
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>('.tag-editor input, .tag-editor textarea')?.focus(),
    );
  }, [setEditorHidden]);
  const closeRowMenu = useCallback(() => setRowMenu(null), []);
  const columns = extraTags(table.keys);
  const listKey = JSON.stringify([query, sort, onePerRecording]);
  // Parsed once per query, not on every render (scrolling renders the app as rows arrive).
  const order = useMemo(() => listOrder(query, sort), [query, sort]);
  // Another view or list: the menu belongs to the one it opened on.
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on these changes
  useEffect(() => setRowMenu(null), [view, listKey]);
  const tracks = useWindowStore<TrackRow>(
    `tracks:${listKey}`,
    (offset, limit) =>
      client
        .call('library.page', { query, sort, offset, limit, onePerRecording, columns })
        .then((r) => ({ total: r.total, items: r.rows })),
    100,
    () => client.call('library.count', { query, onePerRecording }).then((r) => r.total),
  );
  // A column added or removed reloads the rows in view, where they are (the same list, more tags).
  const columnsKey = columns.join(',');
  const shownColumns = useRef(columnsKey);
  useEffect(() => {
    if (shownColumns.current === columnsKey) return;
    shownColumns.current = columnsKey;
    tracks.refresh();
  }, [columnsKey, tracks]);
  // A selection from the address bar keeps only tracks that are still in the library.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, for the selection the page opened with
  useEffect(() => {
    const ids = [...fromUrl.selection.ids];
    if (ids.length === 0) return;
    client.call('library.rows', { ids }).then((r) => {
      const listed = new Set(
        r.rows.filter((row) => row.status === 'ok' || row.status === 'missing').map((row) => row.id),
      );
      if (listed.size < ids.length)
        setSelection((s) => (s.ids === fromUrl.selection.ids ? { ...s, ids: listed } : s));
    }, fail);
  }, []);
  // A new list starts with nothing selected (the first, from the address bar, keeps its selection).
  const firstList = useRef(listKey);
  useEffect(() => {
    if (firstList.current === listKey) return;
    firstList.current = '';
    selectSeq.current++;
    setSelection(EMPTY);
  }, [listKey]);
  // While a new query loads, the table keeps showing the last list that had loaded (no flicker, focus kept).
  const lastLoaded = useRef(tracks);
  if (tracks.total !== null) lastLoaded.current = tracks;
  const shown = lastLoaded.current;
  // A query the backend refused with a position (an unknown field) is marked in the query bar itself.
  const queryError = tracks.error instanceof RpcCallError ? tracks.error : null;
  const queryProblem = queryError?.position
    ? { message: queryError.message, start: queryError.position.start, length: queryError.position.length }
    : undefined;
  const total = shown.total ?? 0;
  // While the query bar shows a mistake, the rows of the last query it ran are dimmed: they are not
  // what it says.
  const [queryTypedValid, setQueryTypedValid] = useState(true);
  // The backend away while this list has not loaded: say so instead of the last list's rows under a
  // query they do not match. Any other failure is said instead of the table, never over it.
  const everOpen = useRef(false);
  if (connection === 'open') everOpen.current = true;
  const unreachable =
    tracks.total === null && (isConnectionError(tracks.error) || (connection !== 'open' && everOpen.current));
  const listProblem =
    tracks.error && !queryProblem && !isConnectionError(tracks.error) ? tracks.error.message : null;

  const idsIn = useCallback(
    async (from: number, to: number) => {
      const ids: number[] = [];
      for (let offset = from; offset <= to; offset += IDS_PER_CALL) {
        const r = await client.call('library.ids', {
          query,
          sort,
          offset,
          limit: Math.min(IDS_PER_CALL, to - offset + 1),
          onePerRecording,
        });
        ids.push(...r.ids);
      }
      return ids;
    },
    [client, query, sort, onePerRecording],
  );

  // A selection that needs ids from the backend applies only if nothing newer happened meanwhile.
  const selectSeq = useRef(0);
  const onSelect = (index: number, mode: SelectMode) => {
    const seq = ++selectSeq.current;
    const loaded = shown.get(index)?.id;
    let resolve: Promise<(s: Selection) => Selection>;
    if (mode === 'only' || mode === 'toggle') {
      resolve = (loaded !== undefined ? Promise.resolve([loaded]) : idsIn(index, index)).then(
        ([id]) =>
          (s: Selection) =>
            id === undefined ? s : mode === 'only' ? selectOnly(index, id) : toggle(s, index, id),
      );
    } else {
      const [a, b] = rangeBounds(selection, index);
      if (b - a + 1 > MAX_IDS) {
        toast(
          'error',
          `A range can hold up to ${MAX_IDS.toLocaleString('en')} tracks; Ctrl+A selects all of the query.`,
        );
        return;
      }
      resolve = idsIn(a, b).then((ids) => (s: Selection) => selectRange(s, index, ids, mode === 'range-add'));
    }
    resolve.then((update) => {
      if (seq === selectSeq.current) setSelection(update);
    }, fail);
  };

  /** The track after the lead, alone (the tag editor's "save, then next"); undefined at the end. */
  const lead = selection.lead;
  const nextTrack = lead !== null && lead + 1 < total ? () => onSelect(lead + 1, 'only') : undefined;

  /** Double-click: plays the row, then the loaded rows after it (as far as the list has loaded). */
  const play = (index: number) => {
    const items: QueueItem[] = [];
    for (let i = index; i < index + MAX_QUEUED; i++) {
      const row = shown.get(i);
      if (!row) break;
      items.push(queueItem(row));
    }
    if (items.length > 0) setQueue((q) => playNow(q, items));
  };
  const playTrack = useCallback((item: QueueItem) => setQueue((q) => playNow(q, [item])), []);

  /** The selection's tracks as queue items, in list order (at most MAX_QUEUED). */
  const selectedItems = async (): Promise<QueueItem[]> => {
    if (!target) return [];
    const ids =
      target.kind === 'ids'
        ? target.ids
        : (await idsIn(0, Math.min(total, MAX_QUEUED + target.except.length) - 1)).filter(
            (id) => !target.except.includes(id),
          );
    return queueItemsFor(client, ids);
  };
  const queueSelection = (how: (q: Queue, items: QueueItem[]) => Queue) =>
    selectedItems().then((items) => setQueue((q) => how(q, items)), fail);

  const openQuery = (q: string) => {
    setQuery(q);
    setSort(null);
    setView('tracks');
  };

  const count = selectedCount(selection, total);
  const target = useMemo(
    () => toTarget(selection, query, total, onePerRecording),
    [selection, query, total, onePerRecording],
  );
  const targetKey = useMemo(() => `${listKey}:${JSON.stringify(target)}`, [listKey, target]);
  const single = count === 1 && !selection.all ? [...selection.ids][0] : undefined;
  const singleRow =
    single === undefined
      ? undefined
      : (() => {
          for (let i = Math.max(0, (selection.lead ?? 0) - 1); i <= (selection.lead ?? 0) + 1; i++) {
            const r = shown.get(i);
            if (r?.id === single) return r;
          }
          return undefined;
        })();
  /** Why the one selected track cannot be played, identified or found alike: its file is gone or unreadable. */
  const unplayable =
    singleRow?.status === 'missing'
      ? 'The file is missing'
      : singleRow?.status === 'error'
        ? 'The file could not be read'
        : undefined;
  const editorTitle =
    count === 1 ? (singleRow?.tags.title ?? singleRow?.path ?? '1 track') : formatCount(count, 'track');
  const moreLikeThis = () => {
    if (!target) return;
    if (target.kind === 'query' && target.except.length > 0) {
      toast('error', 'More like this takes a whole query or up to 10,000 selected tracks.');
      return;
    }
    setSimilarSeed({
      label:
        count === 1 ? `“${editorTitle}”` : `${formatCount(count, 'track')}${query ? ` of “${query}”` : ''}`,
      seeds: target.kind === 'ids' ? target : { kind: 'query', query: target.query },
    });
    setView('similar');
  };
  const joinSelected = () => {
    const [a, b] = [...selection.ids];
    if (a === undefined || b === undefined) return;
    client.call('dup.join', { ids: [a, b] }).then((r) => saved(r.batch.description, r.batch.id, undo), fail);
  };
  /** The row menu: the selection's actions (the right-clicked row is in it), then the row's own file. */
  const rowMenuItems = (row: TrackRow): MenuItem[] => {
    const several = count > 1 ? ` (${formatCount(count, 'track')})` : '';
    return [
      { label: `Play${several}`, run: () => void queueSelection((q, items) => playNow(q, items)) },
      { label: 'Play next', run: () => void queueSelection(playNext) },
      { label: 'Add to queue', run: () => void queueSelection(append) },
      { label: 'Edit tags', run: editTags, separated: true },
      { label: 'More like this', run: moreLikeThis },
      { label: 'Identify…', run: () => setIdentifying(true) },
      { label: 'Tools…', run: () => setTooling(true) },
      // Two tracks the fingerprints did not group: the user says they are one recording.
      ...(count === 2 && !selection.all ? [{ label: 'Same recording', run: joinSelected }] : []),
      {
        label: 'Show in folder',
        separated: true,
        run: () => {
          if (desktop) desktop.revealInFolder(row.path).catch(fail);
          else
            client.call('track.reveal', { id: row.id }).then((r) => {
              if (!r.opened) toast('error', `No file manager could be started for ${r.folder}.`);
            }, fail);
        },
      },
      {
        label: 'Copy path',
        run: () => {
          navigator.clipboard.writeText(row.path).then(
            () => toast('info', `Copied ${row.path}`),
            () => toast('error', 'The browser did not allow copying to the clipboard.'),
          );
        },
      },
    ];
  };
  useKeyboardShortcuts({
    queryInput,
    player,
    setView,
    showHelp: () => setHelp(true),
    undo,
    editTags,
    moreLikeThis,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: rows arrive into the same store; its version says when
  const previewIds = useMemo(() => {
    if (target?.kind === 'ids') return target.ids.slice(0, MAX_PREVIEW);
    const ids: number[] = [];
    for (let i = 0; i < PREVIEW_TRACKS; i++) {
      const id = shown.get(i)?.id;
      if (id !== undefined) ids.push(id);
    }
    return ids;
  }, [target, shown, shown.version]);
  const previewLabel =
    target?.kind === 'ids'
      ? `the ${formatCount(Math.min(target.ids.length, MAX_PREVIEW), 'selected track')}`
      : `the first ${formatCount(previewIds.length, 'track')}${query ? ` of “${query}”` : ''}`;

  return (
    <div className="app">
      <header>
        <h1>Sleeve</h1>
        <ViewTabs view={view} onView={setView} />
        {(view === 'tracks' || view === 'albums' || view === 'artists') && (
          <>
            <QueryBar
              ref={queryInput}
              value={query}
              onQuery={setQuery}
              onValidity={setQueryTypedValid}
              remoteProblem={queryProblem}
            />
            <label
              className="checkbox"
              title="List and count each recording's kept copy only (Duplicates chooses it); off: every file"
            >
              <input
                type="checkbox"
                checked={onePerRecording}
                onChange={(e) => setOnePerRecording(e.target.checked)}
              />{' '}
              One per recording
            </label>
          </>
        )}
        <button
          type="button"
          className="help-button"
          aria-label="Keyboard shortcuts"
          onClick={() => setHelp(true)}
        >
          ?
        </button>
      </header>
      <main>
        {view === 'tracks' && (
          <div className="tracks-view">
            <div
              className={`table-area${queryTypedValid && !queryProblem ? '' : ' stale'}`}
              aria-busy={tracks.total === null}
              data-query={query}
            >
              {unreachable && (
                <div className="empty unreachable" role="status">
                  Sleeve’s backend is not answering: reconnecting… This list loads once it is back.
                </div>
              )}
              {shown.total === null && !tracks.error && !unreachable && (
                <div className="loading">Loading tracks…</div>
              )}
              {listProblem && <div className="problem">Could not load tracks: {listProblem}</div>}
              {tracks.total === 0 && query === '' && (
                <div className="empty">
                  <p>Your library is empty.</p>
                  <button type="button" className="primary" onClick={() => setView('scan')}>
                    Add a music folder
                  </button>
                </div>
              )}
              {tracks.total === 0 && query !== '' && <div className="empty">No tracks match “{query}”.</div>}
              {total > 0 && tracks.total !== 0 && !unreachable && !listProblem && (
                <TrackTable
                  store={shown}
                  selection={selection}
                  sort={sort}
                  order={order}
                  table={table}
                  onChooseColumns={() => setChoosingColumns(true)}
                  playingId={currentItem(queue)?.id ?? null}
                  onSort={setSort}
                  onSelect={onSelect}
                  onSelectAll={() => setSelection(selectAll)}
                  onClearSelection={() => setSelection(EMPTY)}
                  onActivate={play}
                  onDragRows={setDraggingRows}
                  onRowMenu={(index, x, y) => {
                    const row = shown.get(index);
                    if (row) setRowMenu({ row, x, y });
                  }}
                />
              )}
              {rowMenu && (
                <ContextMenu
                  x={rowMenu.x}
                  y={rowMenu.y}
                  label="Track actions"
                  items={rowMenuItems(rowMenu.row)}
                  onClose={closeRowMenu}
                />
              )}
              {choosingColumns && <ColumnChooser table={table} onClose={closeChooser} />}
            </div>
            {target && editorHidden && (
              <aside className="editor-area collapsed">
                <button type="button" onClick={() => setEditorHidden(false)} title="Show the tag editor">
                  ‹ Editor
                </button>
              </aside>
            )}
            {target && !editorHidden && (
              <aside className="editor-area" style={{ width: editorWidth }}>
                <hr
                  className="editor-resize"
                  aria-orientation="vertical"
                  aria-label="Resize the editor"
                  onPointerDown={resizeEditor}
                />
                <div className="aside-actions">
                  <button
                    type="button"
                    onClick={() => setEditorHidden(true)}
                    title="Hide the tag editor: the table takes the room"
                  >
                    Hide ›
                  </button>
                  <AudioAction
                    unplayable={unplayable}
                    onClick={() => queueSelection((q, items) => playNow(q, items))}
                  >
                    Play
                  </AudioAction>
                  <AudioAction unplayable={unplayable} onClick={() => queueSelection(playNext)}>
                    Play next
                  </AudioAction>
                  <AudioAction unplayable={unplayable} onClick={() => queueSelection(append)}>
                    Add to queue
                  </AudioAction>
                  <AudioAction
                    unplayable={unplayable}
                    onClick={moreLikeThis}
                    title="Similar-sounding tracks (M)"
                  >
                    More like this
                  </AudioAction>
                  <button
                    type="button"
                    disabled={singleRow?.status === 'error'}
                    title={singleRow?.status === 'error' ? unplayable : undefined}
                    onClick={() => setIdentifying(true)}
                  >
                    Identify…
                  </button>
                  <button type="button" onClick={() => setTooling(true)}>
                    Tools…
                  </button>
                  {savingAs ? (
                    <NameForm
                      label="Playlist name"
                      action="Save playlist"
                      onCancel={() => setSavingAs(false)}
                      onSave={(name) =>
                        client
                          .call('playlists.create', { name, from: { kind: 'selection', target, sort } })
                          .then((p) => {
                            setSavingAs(false);
                            toast(
                              'info',
                              `Saved ${formatCount(p.tracks, 'track')} as the playlist “${p.name}”.`,
                            );
                          }, fail)
                      }
                    />
                  ) : (
                    <>
                      <button type="button" onClick={() => setSavingAs(true)}>
                        Save as playlist…
                      </button>
                      <button
                        type="button"
                        onClick={(e) => {
                          const box = e.currentTarget.getBoundingClientRect();
                          setAddingTo({ x: box.left, y: box.bottom });
                        }}
                      >
                        Add to playlist…
                      </button>
                    </>
                  )}
                  {addingTo && (
                    <AddToPlaylistMenu
                      target={target}
                      sort={sort}
                      at={addingTo}
                      onNew={() => setSavingAs(true)}
                      onClose={() => setAddingTo(null)}
                    />
                  )}
                </div>
                {draggingRows && <PlaylistDropTargets target={target} sort={sort} />}
                {tooling && (
                  <ToolsPanel
                    target={target}
                    targetKey={targetKey}
                    sort={sort}
                    onClose={() => setTooling(false)}
                    onUndo={undo}
                  />
                )}
                <TagEditor
                  target={target}
                  targetKey={targetKey}
                  title={editorTitle}
                  onUndo={undo}
                  onNext={nextTrack}
                  unreadableId={singleRow?.status === 'error' ? singleRow.id : undefined}
                />
              </aside>
            )}
            {target && identifying && (
              <IdentifyView
                target={target}
                targetKey={targetKey}
                onClose={() => setIdentifying(false)}
                onUndo={undo}
              />
            )}
          </div>
        )}
        {view === 'albums' && (
          <AlbumGrid query={query} onePerRecording={onePerRecording} onOpen={openQuery} />
        )}
        {view === 'artists' && (
          <ArtistList query={query} onePerRecording={onePerRecording} onOpen={openQuery} />
        )}
        {view === 'duplicates' && <DuplicatesView onPlay={playTrack} onUndo={undo} />}
        {view === 'similar' && (
          <SimilarView seed={similarSeed} onSeed={setSimilarSeed} onPlay={playTrack} onQueue={onQueue} />
        )}
        {view === 'playlists' && <PlaylistsView query={query} onQueue={onQueue} />}
        {view === 'mount' && <MountView previewIds={previewIds} previewLabel={previewLabel} />}
        {view === 'scan' && <ScanPanel />}
        {view === 'history' && <HistoryPanel onUndo={undo} onRedo={redo} />}
      </main>
      <footer>
        <Player ref={player} queue={queue} onQueue={onQueue} />
        <StatusBar
          listed={shown.total}
          selected={count}
          onePerRecording={onePerRecording}
          connection={connection}
        />
      </footer>
      {help && <HelpDialog onClose={() => setHelp(false)} />}
    </div>
  );
}

/** A button of the editor's pane that needs the selected track's audio: off, saying why, when it has none. */
function AudioAction({
  unplayable,
  title,
  onClick,
  children,
}: {
  unplayable: string | undefined;
  title?: string;
  onClick(): void;
  children: ReactNode;
}) {
  return (
    <button type="button" disabled={unplayable !== undefined} title={unplayable ?? title} onClick={onClick}>
      {children}
    </button>
  );
}
