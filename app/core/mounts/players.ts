// The media servers a mount tells of its changes (`sleeve players`), for servers that do not watch the
// mount (inotify reaches only watchers on this machine) or that keep a library of their own: mpd (its
// protocol's `update`), Jellyfin (`POST /Library/Media/Updated`), Plex (a partial scan of the changed
// folder) and any Subsonic server such as Navidrome (`startScan`). Kept in <home>/players.json, readable by
// its owner only (it holds keys and passwords), validated as it is read.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFileAtomically } from '../../../kit/fs-durable.ts';
import { UserError } from '../../../kit/user-error.ts';

const HttpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'an http(s) address');
/** Where the server sees the mount's root: an absolute path on its machine (HTTP servers), or for mpd a
 *  folder inside its music_directory ('' when that is the mount). */
const Root = z.string().max(4096);

export const PlayerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('mpd'),
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535),
    password: z.string().max(256).optional(),
    root: Root,
  }),
  z.object({ kind: z.literal('jellyfin'), url: HttpUrl, key: z.string().min(1).max(256), root: Root }),
  z.object({
    kind: z.literal('plex'),
    url: HttpUrl,
    token: z.string().min(1).max(256),
    section: z.number().int().min(1),
    root: Root,
  }),
  z.object({
    kind: z.literal('subsonic'),
    url: HttpUrl,
    user: z.string().min(1).max(256),
    password: z.string().min(1).max(256),
  }),
]);
export type Player = z.infer<typeof PlayerSchema>;

const PlayersSchema = z.object({ players: z.array(PlayerSchema).max(32) });

export const playersFile = (home: string) => join(home, 'players.json');

export class PlayersError extends UserError {
  override name = 'PlayersError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

/** The players set up in `home` ([] when none); a file that does not read is refused with why. */
export function readPlayers(home: string): Player[] {
  const file = playersFile(home);
  if (!existsSync(file)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PlayersError(`${file} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = PlayersSchema.safeParse(json);
  if (!parsed.success)
    throw new PlayersError(`${file} is not a list of players: ${parsed.error.issues[0]?.message}`);
  return parsed.data.players;
}

/** Saves the players, readable and writable by the owner only. */
export function writePlayers(home: string, players: readonly Player[]): void {
  const file = playersFile(home);
  replaceFileAtomically(file, `${JSON.stringify({ players }, null, 2)}\n`, true, 0o600);
}

/** A player in words, without its secrets: "mpd at 127.0.0.1:6600". */
export function describePlayer(p: Player): string {
  switch (p.kind) {
    case 'mpd':
      return `mpd at ${p.host}:${p.port}`;
    case 'jellyfin':
      return `Jellyfin at ${p.url}`;
    case 'plex':
      return `Plex at ${p.url} (section ${p.section})`;
    case 'subsonic':
      return `Subsonic server at ${p.url} (as ${p.user})`;
  }
}

export const PLAYER_KINDS = ['mpd', 'jellyfin', 'plex', 'subsonic'] as const;

/** What a user gives for a new player: its kind, where it is (mpd: HOST[:PORT], others: a URL), and the
 *  options its kind takes. */
export interface PlayerRequest {
  readonly kind: string;
  readonly address: string;
  readonly password?: string | undefined;
  readonly key?: string | undefined;
  readonly token?: string | undefined;
  readonly section?: string | number | undefined;
  readonly user?: string | undefined;
  readonly root?: string | undefined;
}

/** The player a request describes, validated; PlayersError says what is wrong. */
export function playerOf(r: PlayerRequest): Player {
  const root = r.root ?? '';
  const draft = (() => {
    switch (r.kind) {
      case 'mpd': {
        const [host, port] = r.address.split(/:(?=\d+$)/);
        return {
          kind: r.kind,
          host,
          port: Number(port ?? 6600),
          root,
          ...(r.password ? { password: r.password } : {}),
        };
      }
      case 'jellyfin':
        return { kind: r.kind, url: r.address, key: r.key, root };
      case 'plex':
        return { kind: r.kind, url: r.address, token: r.token, section: Number(r.section), root };
      case 'subsonic':
        return { kind: r.kind, url: r.address, user: r.user, password: r.password };
      default:
        throw new PlayersError(`unknown player "${r.kind}": ${PLAYER_KINDS.join(', ')}`);
    }
  })();
  const parsed = PlayerSchema.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PlayersError(`${r.kind}: ${issue.path.join('.') || 'the player'}: ${issue.message}`);
  }
  return parsed.data;
}
