// The Mount view's Players: media servers a mount tells of its changes beyond inotify watchers (mpd over
// its protocol, Jellyfin, Plex, Subsonic servers such as Navidrome), listed without their secrets, added,
// removed and tested; a server that cannot be told shows its reason.
import { type FormEvent, useEffect, useState } from 'react';
import type { Params, Result } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';

type Kind = Params<'players.add'>['kind'];

const KINDS: ReadonlyArray<{ kind: Kind; label: string; address: string; secret: string }> = [
  { kind: 'mpd', label: 'mpd', address: '127.0.0.1:6600', secret: 'Password (if any)' },
  { kind: 'jellyfin', label: 'Jellyfin', address: 'http://127.0.0.1:8096', secret: 'API key' },
  { kind: 'plex', label: 'Plex', address: 'http://127.0.0.1:32400', secret: 'Token' },
  { kind: 'subsonic', label: 'Navidrome / Subsonic', address: 'http://127.0.0.1:4533', secret: 'Password' },
];

export function PlayersSection() {
  const { backend, fail, toast } = useApp();
  const [players, setPlayers] = useState<Result<'players.list'>['players'] | null>(null);
  const [reasons, setReasons] = useState<Array<string | null> | null>(null);
  const [kind, setKind] = useState<Kind>('mpd');
  const [address, setAddress] = useState('');
  const [secret, setSecret] = useState('');
  const [user, setUser] = useState('');
  const [section, setSection] = useState('1');
  const [root, setRoot] = useState('');
  const [busy, setBusy] = useState(false);
  const shape = KINDS.find((k) => k.kind === kind)!;

  useEffect(() => {
    backend.client.call('players.list', {}).then((r) => setPlayers(r.players), fail);
  }, [backend, fail]);

  const act = async (call: () => Promise<Result<'players.list'>>, done: string) => {
    setBusy(true);
    try {
      setPlayers((await call()).players);
      setReasons(null);
      toast('info', done);
      return true;
    } catch (err) {
      fail(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const added = await act(
      () =>
        backend.client.call('players.add', {
          kind,
          address: address.trim(),
          ...(secret ? { secret } : {}),
          ...(kind === 'subsonic' ? { user } : {}),
          ...(kind === 'plex' ? { section: Number(section) } : {}),
          ...(root.trim() && kind !== 'subsonic' ? { root: root.trim() } : {}),
        }),
      `Added ${shape.label}: it is told of each change from now on`,
    );
    if (added) setSecret('');
  };

  const test = async () => {
    setBusy(true);
    try {
      setReasons((await backend.client.call('players.test', {})).reasons);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

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
              onClick={() =>
                void act(
                  () => backend.client.call('players.remove', { index: i + 1 }),
                  `Removed ${p.description}`,
                )
              }
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
      <form className="player-form" aria-label="Add a player" onSubmit={(e) => void add(e)}>
        <select aria-label="Kind of player" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        <input
          aria-label="Address"
          placeholder={shape.address}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
        {kind === 'subsonic' && (
          <input
            aria-label="User"
            placeholder="user"
            value={user}
            onChange={(e) => setUser(e.target.value)}
          />
        )}
        <input
          aria-label={shape.secret}
          placeholder={shape.secret}
          type="password"
          autoComplete="off"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
        />
        {kind === 'plex' && (
          <input aria-label="Section" value={section} onChange={(e) => setSection(e.target.value)} />
        )}
        {kind !== 'subsonic' && (
          <input
            aria-label="Where the server sees the mount"
            placeholder={
              kind === 'mpd' ? 'folder in music_directory (optional)' : 'its path for the mount (optional)'
            }
            value={root}
            onChange={(e) => setRoot(e.target.value)}
          />
        )}
        <button type="submit" disabled={busy || address.trim() === ''}>
          Add
        </button>
      </form>
    </div>
  );
}
