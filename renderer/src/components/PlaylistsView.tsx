// Playlists: every list and smart playlist, one opened with its tracks; play it, rename or remove it, and
// for a list remove or reorder its tracks (PlaylistEntries); a new smart playlist from a query. (Lists are also made from the
// selection beside the tag editor and from the play queue.) Every mount shows them as .m3u8 files.
import { useRef, useState } from 'react';
import type { PlaylistInfo, Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatCount } from '../format.ts';
import { importPlaylistFile } from '../playlist-file.ts';
import { type SmartDraft, smartRequest } from '../playlist-words.ts';
import type { Queue } from '../queue.ts';
import { usePlaylists } from '../use-playlists.ts';
import { OpenPlaylist } from './OpenPlaylist.tsx';
import { ImportReport, NewListButton, SmartPlaylistForm } from './PlaylistForms.tsx';

interface Props {
  /** The Tracks view's query: what a new smart playlist starts from. */
  readonly query: string;
  onQueue(update: (q: Queue) => Queue): void;
}

export function PlaylistsView({ query, onQueue }: Props) {
  const { backend, fail, toast } = useApp();
  const [openId, setOpenId] = useState<number | null>(null);
  const { playlists, tracks } = usePlaylists(openId);
  const [smart, setSmart] = useState<SmartDraft | null>(null);
  const [imported, setImported] = useState<Result<'playlists.import'> | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const open = playlists?.find((p) => p.id === openId) ?? null;

  const importFile = async (file: File) => {
    const report = await importPlaylistFile(backend, file);
    setImported(report);
    setOpenId(report.playlist.id);
  };
  const createSmart = async (draft: SmartDraft) => {
    const made = await backend.client.call('playlists.create', smartRequest(draft));
    setSmart(null);
    setOpenId(made.id);
    toast('info', `Made the smart playlist “${made.name}”: ${formatCount(made.tracks, 'track')} now.`);
  };

  return (
    <section className="playlists-view" aria-label="Playlists">
      <div className="playlist-list">
        <div className="view-toolbar">
          <h2>Playlists</h2>
          <NewListButton onMade={setOpenId} />
          <button type="button" onClick={() => setSmart({ name: '', query, limit: '' })}>
            New smart playlist
          </button>
          {/* A button, not a label around the file input: the keyboard reaches it (Tab, Enter). */}
          <button type="button" onClick={() => picker.current?.click()}>
            Import M3U8…
          </button>
          <input
            ref={picker}
            type="file"
            accept=".m3u8,.m3u,audio/x-mpegurl"
            aria-label="M3U8 file to import"
            hidden
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) importFile(file).catch(fail);
            }}
          />
        </div>
        {imported && <ImportReport report={imported} onDismiss={() => setImported(null)} />}
        {smart && (
          <SmartPlaylistForm
            draft={smart}
            onDraft={setSmart}
            onCreate={() => createSmart(smart).catch(fail)}
            onCancel={() => setSmart(null)}
          />
        )}
        {playlists?.length === 0 && (
          <div className="empty">
            No playlists yet. Make an empty list (New list…), select tracks and choose “Save as playlist”,
            save the play queue, or make a smart playlist from a query.
          </div>
        )}
        <PlaylistNames playlists={playlists ?? []} openId={openId} onOpen={setOpenId} />
      </div>
      {/* Keyed: another playlist opened starts with its own name and buttons, not the last one's questions. */}
      {open && (
        <OpenPlaylist key={open.id} playlist={open} tracks={tracks} onQueue={onQueue} onOpen={setOpenId} />
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
