// The Mount view's Players: media servers a mount tells of its changes beyond inotify watchers (mpd over
// its protocol, Jellyfin, Plex, Subsonic servers such as Navidrome), listed without their secrets, added,
// removed and tested; a server that cannot be told shows its reason.
import { type FormEvent, useState } from 'react';
import {
  canAdd,
  EMPTY_PLAYER,
  kindShape,
  PLAYER_KINDS,
  type PlayerDraft,
  type PlayerKind,
} from '../player-draft.ts';
import { usePlayers } from '../use-players.ts';

export function PlayersSection() {
  const { players, reasons, busy, add, remove, test } = usePlayers();
  return (
    <div className="players">
      <h3>Players told of each change</h3>
      <p className="dim">
        Servers that watch the mount on this machine see every change by themselves. Tell these too: servers
        on another machine, or with their own library.
      </p>
      {players && players.length === 0 && <div className="empty">No players.</div>}
      <ul aria-label="Players">
        {players?.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a player is its place in the list (two may read alike)
          <li key={i}>
            {p.description}
            {reasons && <span className={reasons[i] ? 'problem' : 'dim'}> — {reasons[i] ?? 'told'}</span>}{' '}
            <button
              type="button"
              disabled={busy}
              aria-label={`Remove ${p.description}`}
              onClick={() => void remove(i, p.description)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {players && players.length > 0 && (
        <button type="button" disabled={busy} onClick={() => void test()}>
          Test
        </button>
      )}
      <PlayerForm busy={busy} onAdd={add} />
    </div>
  );
}

/** A new player: its kind, address and secret, and what its kind also asks for. */
function PlayerForm({ busy, onAdd }: { readonly busy: boolean; onAdd(d: PlayerDraft): Promise<boolean> }) {
  const [draft, setDraft] = useState(EMPTY_PLAYER);
  const set = (change: Partial<PlayerDraft>) => setDraft((d) => ({ ...d, ...change }));
  const { kind } = draft;
  const shape = kindShape(kind);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await onAdd(draft)) set({ secret: '' });
  };
  return (
    <form className="player-form" aria-label="Add a player" onSubmit={(e) => void submit(e)}>
      <select
        aria-label="Kind of player"
        value={kind}
        onChange={(e) => set({ kind: e.target.value as PlayerKind })}
      >
        {PLAYER_KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.label}
          </option>
        ))}
      </select>
      <input
        aria-label="Address"
        placeholder={shape.address}
        value={draft.address}
        onChange={(e) => set({ address: e.target.value })}
      />
      {kind === 'subsonic' && (
        <input
          aria-label="User"
          placeholder="user"
          value={draft.user}
          onChange={(e) => set({ user: e.target.value })}
        />
      )}
      <input
        aria-label={shape.secret}
        placeholder={shape.secret}
        type="password"
        autoComplete="off"
        value={draft.secret}
        onChange={(e) => set({ secret: e.target.value })}
      />
      {kind === 'plex' && (
        <input
          aria-label="Section"
          value={draft.section}
          onChange={(e) => set({ section: e.target.value })}
        />
      )}
      {kind !== 'subsonic' && (
        <input
          aria-label="Where the server sees the mount"
          placeholder={
            kind === 'mpd' ? 'folder in music_directory (optional)' : 'its path for the mount (optional)'
          }
          value={draft.root}
          onChange={(e) => set({ root: e.target.value })}
        />
      )}
      <button type="submit" disabled={busy || !canAdd(draft)}>
        Add
      </button>
    </form>
  );
}
