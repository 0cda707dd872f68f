// The app's frame: the header (view tabs, the query bar), the current view, the footer (player and status),
// help and keyboard shortcuts. The Tracks view's list and selection live here: the footer counts them, the
// Mount view previews them and the keys act on them in every view.
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from './app-context.tsx';
import { AlbumGrid } from './components/AlbumGrid.tsx';
import { ArtistList } from './components/ArtistList.tsx';
import { DuplicatesView } from './components/DuplicatesView.tsx';
import { HelpDialog } from './components/HelpDialog.tsx';
import { HistoryPanel } from './components/HistoryPanel.tsx';
import { MountView } from './components/MountView.tsx';
import { Player, type PlayerControls } from './components/Player.tsx';
import { PlaylistsView } from './components/PlaylistsView.tsx';
import { QueryBar } from './components/QueryBar.tsx';
import { ScanPanel } from './components/ScanPanel.tsx';
import { SimilarView } from './components/SimilarView.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { TracksView } from './components/TracksView.tsx';
import { ViewTabs } from './components/ViewTabs.tsx';
import { focusWhenShown } from './focus-when-shown.ts';
import type { InputProblem } from './input-problem.ts';
import { currentItem, EMPTY_QUEUE, playNow, type Queue, type QueueItem } from './queue.ts';
import type { SimilarSeed } from './similar-search.ts';
import { readUrlState, writeUrlState } from './url-state.ts';
import { useAwayNotices } from './use-away-notices.ts';
import { useConnection } from './use-connection.ts';
import { useEditorLayout } from './use-editor-layout.ts';
import { useKeyboardShortcuts } from './use-keyboard-shortcuts.ts';
import { useMountPreview } from './use-mount-preview.ts';
import { useSelection } from './use-selection.ts';
import { useSelectionActions } from './use-selection-actions.ts';
import { useStoredFlag } from './use-stored-flag.ts';
import { useTrackList } from './use-track-list.ts';
import { useTracksPanels } from './use-tracks-panels.ts';
import { type UndoRedo, useUndoRedo } from './use-undo-redo.ts';
import { useViewQuerySort } from './use-view-query-sort.ts';
import type { View } from './views.ts';

/** localStorage key of the Tracks view's "one per recording" switch (on unless turned off). */
const ONE_PER_RECORDING_KEY = 'sleeve.tracks.onePerRecording';

/** The player's queue, changed by the views (`onQueue`), or one track played at once. */
function usePlayQueue() {
  const [queue, setQueue] = useState<Queue>(EMPTY_QUEUE);
  const onQueue = useCallback((update: (q: Queue) => Queue) => setQueue(update), []);
  const playTrack = useCallback((item: QueueItem) => setQueue((q) => playNow(q, [item])), []);
  return { queue, setQueue, onQueue, playTrack };
}

/** The status bar: the rows listed (dimmed while the query bar shows a mistake, as the rows are), those
 *  selected, the scope and the connection. */
function AppStatus(props: {
  readonly list: ReturnType<typeof useTrackList>;
  readonly queryCurrent: boolean;
  readonly selected: ReturnType<typeof useSelection>;
  readonly onePerRecording: boolean;
  readonly connection: ReturnType<typeof useConnection>;
}) {
  const { list, selected } = props;
  return (
    <StatusBar
      listed={list.shown.total}
      // The rows left under a query that does not run are the last query's, dimmed: their count too.
      listedStale={!props.queryCurrent || list.queryProblem !== undefined}
      selected={selected.count}
      onePerRecording={props.onePerRecording}
      connection={props.connection}
    />
  );
}

/** Down from the query bar: into the track list, on its first row when none is chosen. */
function focusList(list: ReturnType<typeof useTrackList>, selected: ReturnType<typeof useSelection>) {
  document.querySelector<HTMLElement>('.track-table')?.focus();
  if (selected.selection.lead === null && list.total > 0) selected.onSelect(0, 'only');
}

export function App() {
  const { backend } = useApp();
  // The address bar's view, query, sort and selection (url-state.ts): a reload opens the same list.
  const [fromUrl] = useState(readUrlState);
  const { view, showView, query, setQuery, sort, setSort, openQuery } = useViewQuerySort(fromUrl);
  const [onePerRecording, setOnePerRecording] = useStoredFlag(ONE_PER_RECORDING_KEY, true);
  const { queue, setQueue, onQueue, playTrack } = usePlayQueue();
  const [similarSeed, setSimilarSeed] = useState<SimilarSeed | null>(null);
  const [help, setHelp] = useState(false);
  // While the query bar shows a mistake, the rows of the last query it ran are dimmed: they are not
  // what it says.
  const [queryTypedValid, setQueryTypedValid] = useState(true);
  const queryInput = useRef<HTMLInputElement>(null);
  const player = useRef<PlayerControls>(null);
  const connection = useConnection(backend.client);
  useAwayNotices();
  const { undo, redo, undoLast } = useUndoRedo();

  const list = useTrackList(query, sort, onePerRecording, connection);
  const selected = useSelection(list, fromUrl.selection, query, onePerRecording);
  const { selection, target } = selected;
  useEffect(() => writeUrlState({ view, query, sort, selection }), [view, query, sort, selection]);
  const actions = useSelectionActions({ list, selected, query, setQueue, setSimilarSeed, setView: showView });
  const editor = useEditorLayout();
  const panels = useTracksPanels();
  const preview = useMountPreview(target, list, query);
  const intoList = () => focusList(list, selected);
  useKeyboardShortcuts({
    queryInput,
    player,
    setView: showView,
    showHelp: () => setHelp(true),
    undo: undoLast,
    redo,
    editTags: editor.editTags,
    moreLikeThis: actions.moreLikeThis,
  });

  return (
    <div className="app">
      <AppHeader
        view={view}
        onView={showView}
        query={{
          value: query,
          onQuery: setQuery,
          onValidity: setQueryTypedValid,
          problem: list.queryProblem,
          onArrowDown: intoList,
        }}
        queryInput={queryInput}
        onePerRecording={onePerRecording}
        onOnePerRecording={setOnePerRecording}
        onHelp={() => setHelp(true)}
      />
      <main>
        {view === 'tracks' && (
          <TracksView
            query={query}
            sort={sort}
            queryCurrent={queryTypedValid}
            list={list}
            selected={selected}
            actions={actions}
            panels={panels}
            editor={editor}
            playingId={currentItem(queue)?.id ?? null}
            onSort={setSort}
            onQuery={setQuery}
            onAddFolder={() => showView('scan')}
            onUndo={undo}
          />
        )}
        <OtherViews
          view={view}
          query={query}
          onePerRecording={onePerRecording}
          onOpen={(q) => {
            openQuery(q);
            // The album's or artist's tracks take the keyboard, as they show (↓, Enter play).
            focusWhenShown(document, '.track-table');
          }}
          similarSeed={similarSeed}
          onSimilarSeed={setSimilarSeed}
          onPlay={playTrack}
          onQueue={onQueue}
          preview={preview}
          onUndo={undo}
          onRedo={redo}
        />
      </main>
      <footer>
        <Player ref={player} queue={queue} onQueue={onQueue} />
        <AppStatus
          list={list}
          queryCurrent={queryTypedValid}
          {...{ selected, onePerRecording, connection }}
        />
      </footer>
      {help && <HelpDialog onClose={() => setHelp(false)} />}
    </div>
  );
}

/** The views other than Tracks (which keeps its list and selection in App), the one chosen. */
function OtherViews(props: {
  readonly view: View;
  readonly query: string;
  readonly onePerRecording: boolean;
  /** Opens the Tracks view on a query (an album's, an artist's). */
  onOpen(query: string): void;
  readonly similarSeed: SimilarSeed | null;
  onSimilarSeed(seed: SimilarSeed | null): void;
  onPlay(item: QueueItem): void;
  onQueue(update: (q: Queue) => Queue): void;
  readonly preview: ReturnType<typeof useMountPreview>;
  readonly onUndo: UndoRedo['undo'];
  readonly onRedo: UndoRedo['redo'];
}) {
  const { view, query, onePerRecording, onOpen, onPlay, onQueue, onUndo } = props;
  switch (view) {
    case 'albums':
      return <AlbumGrid query={query} onePerRecording={onePerRecording} onOpen={onOpen} />;
    case 'artists':
      return <ArtistList query={query} onePerRecording={onePerRecording} onOpen={onOpen} />;
    case 'duplicates':
      return <DuplicatesView onPlay={onPlay} onUndo={onUndo} />;
    case 'similar':
      return (
        <SimilarView
          seed={props.similarSeed}
          onSeed={props.onSimilarSeed}
          onPlay={onPlay}
          onQueue={onQueue}
        />
      );
    case 'playlists':
      return <PlaylistsView query={query} onQueue={onQueue} />;
    case 'mount':
      return <MountView previewIds={props.preview.previewIds} previewLabel={props.preview.previewLabel} />;
    case 'scan':
      return <ScanPanel />;
    case 'history':
      return <HistoryPanel onUndo={onUndo} onRedo={props.onRedo} />;
    default:
      return null;
  }
}

/** The header: the views' tabs, the query bar and the one-per-recording switch where a list is shown,
 *  and the keyboard shortcuts' help. */
function AppHeader(props: {
  readonly view: View;
  onView(view: View): void;
  readonly query: {
    readonly value: string;
    onQuery(query: string): void;
    onValidity(valid: boolean): void;
    readonly problem: InputProblem | undefined;
    onArrowDown(): void;
  };
  readonly queryInput: RefObject<HTMLInputElement | null>;
  readonly onePerRecording: boolean;
  onOnePerRecording(on: boolean): void;
  onHelp(): void;
}) {
  const { view, onView, query, queryInput, onePerRecording, onOnePerRecording, onHelp } = props;
  return (
    <header>
      <h1>Sleeve</h1>
      <ViewTabs view={view} onView={onView} />
      {(view === 'tracks' || view === 'albums' || view === 'artists') && (
        <>
          <QueryBar
            ref={queryInput}
            value={query.value}
            onQuery={query.onQuery}
            onValidity={query.onValidity}
            remoteProblem={query.problem}
            {...(view === 'tracks' && { onArrowDown: query.onArrowDown })}
          />
          <label
            className="checkbox"
            title="List and count each recording's kept copy only (Duplicates chooses it); off: every file"
          >
            <input
              type="checkbox"
              checked={onePerRecording}
              onChange={(e) => onOnePerRecording(e.target.checked)}
            />{' '}
            One per recording
          </label>
        </>
      )}
      <button type="button" className="help-button" aria-label="Keyboard shortcuts" onClick={onHelp}>
        ?
      </button>
    </header>
  );
}
