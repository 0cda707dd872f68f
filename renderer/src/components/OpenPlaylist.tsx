// The playlist opened in the Playlists view: its name (renamed in place), size and kind (a smart playlist's
// query and limit changed in place); play, export or remove it (asked first, undone from the notice); its
// tracks, reordered or removed for a list.
import { useState } from 'react';
import type { PlaylistInfo, Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import { exportPlaylistFile } from '../playlist-file.ts';
import { kindOf, withoutEntry } from '../playlist-words.ts';
import { playNow, type Queue } from '../queue.ts';
import { queueItemsFor } from '../queue-items.ts';
import { NameForm } from './NameForm.tsx';
import { PlaylistEntries } from './PlaylistEntries.tsx';
import { SmartQueryEdit } from './PlaylistForms.tsx';

interface Props {
  readonly playlist: PlaylistInfo;
  readonly tracks: Result<'playlists.tracks'> | null;
  onQueue(update: (q: Queue) => Queue): void;
  /** Another playlist to open, or none (this one was removed). */
  onOpen(id: number | null): void;
}

export function OpenPlaylist({ playlist: open, tracks, onQueue, onOpen }: Props) {
  const { backend, fail, toast } = useApp();
  const { client } = backend;
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  /** The list played from its entry at `start` (its first by default). */
  const play = async (start = 0) => {
    const { ids } = await client.call('playlists.ids', { id: open.id });
    if (ids.length === 0) return toast('info', `“${open.name}” has no tracks to play.`);
    const items = await queueItemsFor(client, ids);
    // A file gone from the library leaves the queue shorter: start at the entry's own track then.
    const at =
      items.length === ids.length
        ? start
        : Math.max(
            0,
            items.findIndex((t) => t.id === ids[start]),
          );
    onQueue((q) => playNow(q, items, at));
  };
  /** A list's tracks changed: all of them sent back, in their new order. */
  const change = async (edit: (ids: number[]) => number[]) => {
    const { ids } = await client.call('playlists.ids', { id: open.id });
    await client.call('playlists.setTracks', { id: open.id, ids: edit(ids) });
  };
  const remove = () =>
    client.call('playlists.delete', { id: open.id }).then(({ deleted }) => {
      onOpen(null);
      toast('info', `Removed the playlist “${deleted.name}”.`, {
        label: 'Undo',
        run: () => client.call('playlists.restore', { id: deleted.id }).then((p) => onOpen(p.id), fail),
      });
    }, fail);

  return (
    <div className="playlist-tracks">
      <div className="view-toolbar">
        {renaming ? (
          <NameForm
            label="New name"
            initial={open.name}
            action="Rename"
            onCancel={() => setRenaming(false)}
            onSave={(name) =>
              client.call('playlists.rename', { id: open.id, name }).then(() => setRenaming(false), fail)
            }
          />
        ) : (
          <h2>{open.name}</h2>
        )}
        <span className="dim">
          {formatCount(open.tracks, 'track')} · {kindOf(open)}
        </span>
        <button type="button" className="primary" onClick={() => play().catch(fail)}>
          Play
        </button>
        <SmartQueryEdit key={open.id} playlist={open} />
        {!renaming && (
          <button type="button" onClick={() => setRenaming(true)}>
            Rename
          </button>
        )}
        <button type="button" onClick={() => exportPlaylistFile(client, open).catch(fail)}>
          Export M3U8
        </button>
        {confirmDelete ? (
          <span role="alert">
            Remove “{open.name}”? No track or file is touched.{' '}
            <button type="button" className="danger" onClick={remove}>
              Remove playlist
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirmDelete(true)}>
            Remove…
          </button>
        )}
      </div>
      {tracks && tracks.total === 0 && <div className="empty">No tracks.</div>}
      {tracks && (
        <PlaylistEntries
          playlist={open}
          rows={tracks.rows}
          onMove={(from, to) => client.call('playlists.move', { id: open.id, from, to }).catch(fail)}
          onRemove={(i) => change((ids) => withoutEntry(ids, i)).catch(fail)}
          onPlayFrom={(i) => play(i).catch(fail)}
        />
      )}
      {tracks && tracks.total > tracks.rows.length && (
        <div className="dim">and {formatCount(tracks.total - tracks.rows.length, 'more track')}</div>
      )}
    </div>
  );
}
