// Playlists: every list and smart playlist, one opened with its tracks; play it, rename or remove it, and
// for a list remove or reorder its tracks (PlaylistEntries); a new smart playlist from a query. (Lists are also made from the
// selection beside the tag editor and from the play queue.) Every mount shows them as .m3u8 files.
import { useEffect, useState } from 'react';
import type { PlaylistInfo, Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import { playNow, type Queue } from '../queue.ts';
import { queueItemsFor } from '../queue-items.ts';
import { MAX_UPLOAD_BYTES, toBase64 } from '../upload.ts';
import { NameForm } from './NameForm.tsx';
import { PlaylistEntries } from './PlaylistEntries.tsx';

/** Tracks shown of an open playlist (all of them are played). */
const SHOWN = 500;
interface Props {
  /** The Tracks view's query: what a new smart playlist starts from. */
  readonly query: string;
  onQueue(update: (q: Queue) => Queue): void;
}

const kindOf = (p: PlaylistInfo) =>
  p.query === null ? 'list' : `smart: ${p.query}${p.limit === null ? '' : `, at most ${p.limit}`}`;

export function PlaylistsView({ query, onQueue }: Props) {
  const { backend, fail, toast, libraryVersion } = useApp();
  const { client } = backend;
  const [playlists, setPlaylists] = useState<PlaylistInfo[] | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [tracks, setTracks] = useState<Result<'playlists.tracks'> | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [smart, setSmart] = useState<{ name: string; query: string; limit: string } | null>(null);
  const [imported, setImported] = useState<Result<'playlists.import'> | null>(null);

  /** Imports an M3U8 file as a new list named after it; what could not be placed is listed. */
  const importFile = async (file: File) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length > MAX_UPLOAD_BYTES)
      return toast('error', `${file.name} is too large to import here: use sleeve playlist import.`);
    const report = await client.call('playlists.import', {
      name: file.name.replace(/\.m3u8?$/i, ''),
      base64: toBase64(bytes),
    });
    setImported(report);
    setOpenId(report.playlist.id);
  };
  const exportFile = async (p: PlaylistInfo) => {
    const { name, text } = await client.call('playlists.export', { id: p.id });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'audio/x-mpegurl' }));
    link.download = `${name.replace(/[/\\]/g, '_')}.m3u8`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the library or a playlist changes
  useEffect(() => {
    let live = true;
    client.call('playlists.list', {}).then((r) => live && setPlaylists(r.playlists), fail);
    return () => {
      live = false;
    };
  }, [client, fail, libraryVersion]);
  const open = playlists?.find((p) => p.id === openId) ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the library or a playlist changes
  useEffect(() => {
    setRenaming(false);
    setConfirmDelete(false);
    if (openId === null) return;
    let live = true;
    client
      .call('playlists.tracks', { id: openId, offset: 0, limit: SHOWN })
      .then((r) => live && setTracks(r), fail);
    return () => {
      live = false;
    };
  }, [client, fail, openId, libraryVersion]);

  const play = async (p: PlaylistInfo) => {
    const { ids } = await client.call('playlists.ids', { id: p.id });
    if (ids.length === 0) return toast('info', `“${p.name}” has no tracks to play.`);
    const items = await queueItemsFor(client, ids);
    onQueue((q) => playNow(q, items));
  };
  /** A list's tracks changed: all of them sent back, in their new order. */
  const change = async (p: PlaylistInfo, edit: (ids: number[]) => number[]) => {
    const { ids } = await client.call('playlists.ids', { id: p.id });
    await client.call('playlists.setTracks', { id: p.id, ids: edit(ids) });
  };
  const createSmart = async () => {
    if (!smart) return;
    const limit = smart.limit.trim() === '' ? null : Number(smart.limit);
    const made = await client.call('playlists.create', {
      name: smart.name,
      from: { kind: 'smart', query: smart.query, limit },
    });
    setSmart(null);
    setOpenId(made.id);
    toast('info', `Made the smart playlist “${made.name}”: ${formatCount(made.tracks, 'track')} now.`);
  };

  return (
    <section className="playlists-view" aria-label="Playlists">
      <div className="playlist-list">
        <div className="view-toolbar">
          <h2>Playlists</h2>
          <button type="button" onClick={() => setSmart({ name: '', query, limit: '' })}>
            New smart playlist
          </button>
          <label className="button">
            Import M3U8…
            <input
              type="file"
              accept=".m3u8,.m3u,audio/x-mpegurl"
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) importFile(file).catch(fail);
              }}
            />
          </label>
        </div>
        {imported && (
          <div className="import-report" role="status">
            Imported {formatCount(imported.entries - imported.skipped.length, 'entry', 'entries')} of{' '}
            {imported.entries} into “{imported.playlist.name}”.
            {imported.skipped.length > 0 && (
              <>
                {' '}
                Not placed:
                <ul aria-label="Entries not imported">
                  {imported.skipped.map((e) => (
                    <li key={e.line}>
                      line {e.line}: {e.location} <span className="dim">({e.reason})</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <button type="button" className="link" onClick={() => setImported(null)}>
              Dismiss
            </button>
          </div>
        )}
        {smart && (
          <form
            className="smart-form"
            aria-label="New smart playlist"
            onSubmit={(e) => {
              e.preventDefault();
              createSmart().catch(fail);
            }}
          >
            <input
              aria-label="Name"
              placeholder="Name"
              value={smart.name}
              onChange={(e) => setSmart({ ...smart, name: e.target.value })}
            />
            <input
              aria-label="Query"
              placeholder="Query, e.g. genre:ambient date-"
              value={smart.query}
              onChange={(e) => setSmart({ ...smart, query: e.target.value })}
            />
            <input
              aria-label="Most tracks"
              placeholder="Most tracks (empty: all)"
              inputMode="numeric"
              value={smart.limit}
              onChange={(e) => setSmart({ ...smart, limit: e.target.value })}
            />
            <button type="submit" className="primary" disabled={smart.name.trim() === ''}>
              Create
            </button>
            <button type="button" onClick={() => setSmart(null)}>
              Cancel
            </button>
          </form>
        )}
        {playlists?.length === 0 && (
          <div className="empty">
            No playlists yet. Select tracks and choose “Save as playlist”, save the play queue, or make a
            smart playlist from a query.
          </div>
        )}
        <ul aria-label="Playlist names">
          {playlists?.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className={p.id === openId ? 'link active' : 'link'}
                aria-current={p.id === openId}
                onClick={() => setOpenId(p.id)}
              >
                {p.name}
              </button>{' '}
              <span className="dim">
                {formatCount(p.tracks, 'track')} · {p.query === null ? 'list' : 'smart'}
              </span>
            </li>
          ))}
        </ul>
      </div>
      {open && (
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
            <button type="button" className="primary" onClick={() => play(open).catch(fail)}>
              Play
            </button>
            {!renaming && (
              <button type="button" onClick={() => setRenaming(true)}>
                Rename
              </button>
            )}
            <button type="button" onClick={() => exportFile(open).catch(fail)}>
              Export M3U8
            </button>
            {confirmDelete ? (
              <span role="alert">
                Remove “{open.name}”? No track or file is touched.{' '}
                <button
                  type="button"
                  className="danger"
                  onClick={() =>
                    client.call('playlists.delete', { id: open.id }).then(({ deleted }) => {
                      setOpenId(null);
                      toast('info', `Removed the playlist “${deleted.name}”.`, {
                        label: 'Undo',
                        run: () =>
                          client
                            .call('playlists.restore', { id: deleted.id })
                            .then((p) => setOpenId(p.id), fail),
                      });
                    }, fail)
                  }
                >
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
              onRemove={(i) => change(open, (ids) => ids.filter((_, j) => j !== i)).catch(fail)}
            />
          )}
          {tracks && tracks.total > tracks.rows.length && (
            <div className="dim">and {formatCount(tracks.total - tracks.rows.length, 'more track')}</div>
          )}
        </div>
      )}
    </section>
  );
}
