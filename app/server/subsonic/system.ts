// The server itself: ping, its license (free), the OpenSubsonic extensions it implements, the user asking
// (getUser, tokenInfo), Sleeve's scan as getScanStatus / startScan (the library's folders scanned again,
// as `sleeve scan` does), and why the methods a music library does not serve are not served.
import type { Db } from '../../core/db/database.ts';
import { libraryRoots } from '../../core/library/library-folders.ts';
import type { ScanState } from '../../shared/rpc-contract.ts';
import { ERROR, SubsonicError } from './errors.ts';
import { MUSIC_FOLDER } from './ids.ts';
import type { Params } from './params.ts';
import type { Fields } from './response.ts';
import { nameKey } from './users.ts';

export const EXTENSIONS = [
  { name: 'apiKeyAuthentication', versions: [1] },
  { name: 'formPost', versions: [1] },
  { name: 'indexBasedQueue', versions: [1] },
  { name: 'playbackReport', versions: [1] },
  { name: 'songLyrics', versions: [1] },
  { name: 'sonicSimilarity', versions: [1] },
  { name: 'transcodeOffset', versions: [1] },
  { name: 'transcoding', versions: [1] },
];

export function getOpenSubsonicExtensions(): Fields {
  return { openSubsonicExtensions: EXTENSIONS };
}

export function getLicense(): Fields {
  return { license: { valid: true } };
}

/** What runs Sleeve's scans (the backend's ScanRunner). */
export interface Scans {
  state(): ScanState;
  start(folders: readonly string[]): Promise<ScanState>;
}

function status(db: Db, state: ScanState): Fields {
  const files = db.prepare("SELECT count(*) FROM files WHERE status = 'ok'").pluck().get() as number;
  return { scanStatus: { scanning: state.running, count: state.progress?.done ?? files } };
}

export function getScanStatus(db: Db, scans: Scans): Fields {
  return status(db, scans.state());
}

export async function startScan(db: Db, scans: Scans): Promise<Fields> {
  if (scans.state().running) return status(db, scans.state());
  const roots = libraryRoots(db);
  if (roots.length === 0)
    throw new SubsonicError(ERROR.generic, 'the library has no folders yet: add one with sleeve scan FOLDER');
  return status(db, await scans.start(roots));
}

/** What a user may do here: play, download, star, rate, keep playlists, queues and bookmarks, share; nothing an
 *  administrator does (users are managed with `sleeve subsonic user`). */
export function getUser(p: Params, user: string): Fields {
  const asked = p.get('username') ?? user;
  if (nameKey(asked) !== nameKey(user))
    throw new SubsonicError(ERROR.notAuthorized, `a user may ask only about themself (${user})`);
  return {
    user: {
      username: user,
      scrobblingEnabled: true,
      adminRole: false,
      settingsRole: false,
      downloadRole: true,
      uploadRole: false,
      playlistRole: true,
      coverArtRole: false,
      commentRole: false,
      podcastRole: false,
      streamRole: true,
      jukeboxRole: false,
      shareRole: true,
      videoConversionRole: false,
      folder: [MUSIC_FOLDER.id],
    },
  };
}

export function tokenInfo(user: string): Fields {
  return { tokenInfo: { username: user } };
}

const MANAGED = 'users are managed on the server, with sleeve subsonic user and sleeve subsonic key';
/** The methods Sleeve answers with a reason rather than "not implemented": a music library's server. */
export const NOT_SERVED: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'getPodcasts',
      'getNewestPodcasts',
      'getPodcastEpisode',
      'refreshPodcasts',
      'createPodcastChannel',
      'deletePodcastChannel',
      'deletePodcastEpisode',
      'downloadPodcastEpisode',
    ].map((m) => [m, 'Sleeve serves a music library: podcasts are not part of it']),
  ),
  ...Object.fromEntries(
    ['getVideos', 'getVideoInfo', 'getCaptions', 'hls'].map((m) => [
      m,
      'Sleeve serves a music library: it holds no videos',
    ]),
  ),
  ...Object.fromEntries(
    ['getChatMessages', 'addChatMessage'].map((m) => [m, 'Sleeve keeps no chat: it serves a music library']),
  ),
  jukeboxControl: 'Sleeve plays nothing on the server itself: it streams to your clients',
  getAvatar: 'Sleeve keeps no pictures of its users',
};

/** The methods only an administrator may call, and no Subsonic user of Sleeve is one: refused as not
 *  authorized (50), the code a client shows as such, not as a missing method. */
export const ADMINISTRATORS_ONLY: Readonly<Record<string, string>> = Object.fromEntries(
  ['getUsers', 'createUser', 'updateUser', 'deleteUser', 'changePassword'].map((m) => [m, MANAGED]),
);
