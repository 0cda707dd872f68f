// A media server to tell of the mount's changes, as the Mount view's form drafts it, and the request
// adding it makes: each kind asks only for what it uses. Pure: no DOM, no React.
import type { Params } from '../../app/shared/rpc-contract.ts';

export type PlayerKind = Params<'players.add'>['kind'];

export interface PlayerDraft {
  readonly kind: PlayerKind;
  readonly address: string;
  readonly secret: string;
  /** A Subsonic server's user. */
  readonly user: string;
  /** A Plex library section, as typed. */
  readonly section: string;
  /** Where the server sees the mount (not a Subsonic server's: it names files by its own paths). */
  readonly root: string;
}

export const PLAYER_KINDS: ReadonlyArray<{
  kind: PlayerKind;
  label: string;
  address: string;
  secret: string;
}> = [
  { kind: 'mpd', label: 'mpd', address: '127.0.0.1:6600', secret: 'Password (if any)' },
  { kind: 'jellyfin', label: 'Jellyfin', address: 'http://127.0.0.1:8096', secret: 'API key' },
  { kind: 'plex', label: 'Plex', address: 'http://127.0.0.1:32400', secret: 'Token' },
  { kind: 'subsonic', label: 'Navidrome / Subsonic', address: 'http://127.0.0.1:4533', secret: 'Password' },
];

export const EMPTY_PLAYER: PlayerDraft = {
  kind: 'mpd',
  address: '',
  secret: '',
  user: '',
  section: '1',
  root: '',
};

export const kindShape = (kind: PlayerKind) => PLAYER_KINDS.find((k) => k.kind === kind)!;

/** Whether the form can add it: an address is all every kind needs. */
export const canAdd = (d: PlayerDraft): boolean => d.address.trim() !== '';

/** What adding the draft asks the backend: trimmed, and only the fields its kind uses. */
export const playerRequest = (d: PlayerDraft): Params<'players.add'> => ({
  kind: d.kind,
  address: d.address.trim(),
  ...(d.secret ? { secret: d.secret } : {}),
  ...(d.kind === 'subsonic' ? { user: d.user } : {}),
  ...(d.kind === 'plex' ? { section: Number(d.section) } : {}),
  ...(d.root.trim() && d.kind !== 'subsonic' ? { root: d.root.trim() } : {}),
});
