// A list's tracks in order, reordered by ↑ / ↓ (the keyboard's too: focus follows the track to its new
// place) or by dragging a track to another place; ✕ removes one; ▶ (or a double-click) plays the list
// from that track. A smart playlist's tracks are shown as its query orders them.
import { type DragEvent, useEffect, useRef, useState } from 'react';
import type { PlaylistInfo, TrackRow } from '../../../app/shared/rpc-contract.ts';
import { formatDuration, trackTitle } from '../format.ts';

interface Props {
  readonly playlist: PlaylistInfo;
  readonly rows: readonly TrackRow[];
  onMove(from: number, to: number): void;
  onRemove(index: number): void;
  /** Plays the list from the entry at `index`. */
  onPlayFrom(index: number): void;
}

/** The type a dragged entry carries: its place, so a drop from elsewhere is not taken for one. */
const ENTRY_TYPE = 'application/x-sleeve-playlist-entry';

export function PlaylistEntries({ playlist, rows, onMove, onRemove, onPlayFrom }: Props) {
  const list = playlist.query === null;
  /** The place a dragged entry would land (drawn as a line above it). */
  const [dropAt, setDropAt] = useState<number | null>(null);
  const entries = useRef<HTMLOListElement>(null);
  /** The button to focus once the list shows a move: the moved track's own, at its new place. */
  const [focusAfter, setFocusAfter] = useState<{ index: number; label: string } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: run when the reloaded rows show the move
  useEffect(() => {
    if (!focusAfter) return;
    const entry = entries.current?.children[focusAfter.index];
    const button = entry?.querySelector<HTMLButtonElement>(`button[data-move="${focusAfter.label}"]`);
    // At the end it moved to, its button that way is disabled: the keyboard stays on the track, on the
    // other one, not dropped to the page.
    const other = entry?.querySelector<HTMLButtonElement>('button[data-move]:not(:disabled)');
    (button && !button.disabled ? button : other)?.focus();
  }, [rows, focusAfter]);
  const move = (from: number, to: number, label: string) => {
    setFocusAfter({ index: to, label });
    onMove(from, to);
  };
  const drop = (e: DragEvent, i: number) => {
    setDropAt(null);
    const from = Number(e.dataTransfer.getData(ENTRY_TYPE));
    if (!e.dataTransfer.types.includes(ENTRY_TYPE) || from === i) return;
    e.preventDefault();
    onMove(from, from < i ? i - 1 : i);
  };
  return (
    <ol ref={entries} className="playlist-entries" aria-label={`Tracks of ${playlist.name}`}>
      {rows.map((row, i) => (
        <li
          // biome-ignore lint/suspicious/noArrayIndexKey: a list can hold a track twice; its place tells them apart
          key={`${row.id}:${i}`}
          className={`${row.status === 'missing' ? 'missing' : ''}${dropAt === i ? ' drop-before' : ''}`}
          draggable={list}
          onDragStart={(e) => {
            e.dataTransfer.setData(ENTRY_TYPE, String(i));
            e.dataTransfer.effectAllowed = 'move';
          }}
          onDragOver={(e) => {
            if (!list || !e.dataTransfer.types.includes(ENTRY_TYPE)) return;
            e.preventDefault();
            setDropAt(i);
          }}
          onDragLeave={() => setDropAt((d) => (d === i ? null : d))}
          onDrop={(e) => drop(e, i)}
          // Not a quick ↓ ↓ on its buttons: that moves it twice.
          onDoubleClick={(e) => !(e.target as Element).closest('button') && onPlayFrom(i)}
        >
          <button
            type="button"
            className="link"
            aria-label={`Play ${playlist.name} from ${trackTitle(row)}`}
            onClick={() => onPlayFrom(i)}
          >
            ▶
          </button>
          <span>{trackTitle(row)}</span>
          <span className="dim">
            {' '}
            · {row.tags.artist ?? ''} · {formatDuration(row.duration)}
          </span>
          {list && (
            <span className="queue-actions">
              <button
                type="button"
                aria-label={`Move ${trackTitle(row)} up`}
                data-move="up"
                disabled={i === 0}
                onClick={() => move(i, i - 1, 'up')}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move ${trackTitle(row)} down`}
                data-move="down"
                disabled={i === rows.length - 1}
                onClick={() => move(i, i + 1, 'down')}
              >
                ↓
              </button>
              <button
                type="button"
                aria-label={`Remove ${trackTitle(row)} from the playlist`}
                onClick={() => onRemove(i)}
              >
                ✕
              </button>
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
