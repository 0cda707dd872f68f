// Playlists: every list and smart playlist, one opened with its tracks; play it, rename or remove it, and
// for a list remove or reorder its tracks (PlaylistEntries); a new smart playlist from a query. (Lists are also made from the
// selection beside the tag editor and from the play queue.) Every mount shows them as .m3u8 files.
import { useEffect, useState } from 'react';
import type { PlaylistInfo, Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import { exportPlaylistFile, importPlaylistFile } from '../playlist-file.ts';
import { playNow, type Queue } from '../queue.ts';
import { queueItemsFor } from '../queue-items.ts';
import { usePlaylists } from '../use-playlists.ts';
import { NameForm } from './NameForm.tsx';
import { PlaylistEntries } from './PlaylistEntries.tsx';
import { ImportReport, SmartPlaylistForm } from './PlaylistForms.tsx';

interface Props {
  /** The Tracks view's query: what a new smart playlist starts from. */
  readonly query: string;
  onQueue(update: (q: Queue) => Queue): void;
}

const kindOf = (p: PlaylistInfo) =>
  p.query === null ? 'list' : `smart: ${p.query}${p.limit === null ? '' : `, at most ${p.limit}`}`;

export function PlaylistsView({ query, onQueue }: Props) {
  const { backend, fail, toast } = useApp();
  const { client } = backend;
  const [openId, setOpenId] = useState<number | null>(null);
  const { playlists, tracks } = usePlaylists(openId);
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [smart, setSmart] = useState<{ name: string; query: string; limit: string } | null>(null);
  const [imported, setImported] = useState<Result<'playlists.import'> | null>(null);
  // Another playlist opened: its own name and buttons, not the last one's questions.
  // biome-ignore lint/correctness/useExhaustiveDependencies: openId is what resets them
  useEffect(() => {
    setRenaming(false);
    setConfirmDelete(false);
  }, [openId]);
  const open = playlists?.find((p) => p.id === openId) ?? null;

  const importFile = async (file: File) => {
    const report = await importPlaylistFile(backend, file);
    setImported(report);
    setOpenId(report.playlist.id);
  };
  const exportFile = (p: PlaylistInfo) => exportPlaylistFile(client, p);

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
        {imported && <ImportReport report={imported} onDismiss={() => setImported(null)} />}
        {smart && (
          <SmartPlaylistForm
            draft={smart}
            onDraft={setSmart}
            onCreate={() => createSmart().catch(fail)}
            onCancel={() => setSmart(null)}
          />
        )}
        {playlists?.length === 0 && (
          <div className="empty">
            No playlists yet. Select tracks and choose “Save as playlist”, save the play queue, or make a
            smart playlist from a query.
          </div>
        )}
        <PlaylistNames playlists={playlists ?? []} openId={openId} onOpen={setOpenId} />
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

/** Every playlist's name, the open one marked, each with its size and kind. */
function PlaylistNames(props: {
  playlists: readonly PlaylistInfo[];
  openId: number | null;
  onOpen(id: number): void;
}) {
  const { playlists, openId, onOpen } = props;
  return (
    <ul aria-label="Playlist names">
      {playlists.map((p) => (
        <li key={p.id}>
          <button
            type="button"
            className={p.id === openId ? 'link active' : 'link'}
            aria-current={p.id === openId}
            onClick={() => onOpen(p.id)}
          >
            {p.name}
          </button>{' '}
          <span className="dim">
            {formatCount(p.tracks, 'track')} · {p.query === null ? 'list' : 'smart'}
          </span>
        </li>
      ))}
    </ul>
  );
}
