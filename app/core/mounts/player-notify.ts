// Telling one media server which folders of the mount changed, by its own API: mpd's protocol
// (`update PATH` in one command list), Jellyfin's `POST /Library/Media/Updated`, Plex's partial scan of a
// section's folder, a Subsonic server's `startScan`. Each within one deadline, answers read up to a cap,
// no redirect followed (every request carries a key or a password), and a refusal said with the server's
// own reason, never with the secret.
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { posix } from 'node:path';
import { HttpFetchError, httpFetch } from '../../../kit/http-fetch.ts';
import { listMounts } from './mount-registry.ts';
import { describePlayer, type Player } from './players.ts';

const TIMEOUT_MS = 10_000;
const MAX_ANSWER = 64 * 1024;
/** Plex takes one folder a request: past this many, the whole section is scanned in one. */
const PLEX_MAX_FOLDERS = 16;

/** A path inside the mount ('' its root) as the server sees it: under its root. */
const under = (root: string, folder: string) => (folder === '' ? root : posix.join(root, folder));

/** mpd's quoting of an argument: in double quotes, `"` and `\` escaped. */
const mpdQuoted = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** mpd: greeting, password if any, then one command list of updates; its ACK is the refusal. */
function tellMpd(p: Extract<Player, { kind: 'mpd' }>, folders: readonly string[]): Promise<void> {
  // mpd's protocol is a line a command: a path with a line break (never a served name, but a root may
  // hold one) would end the command there, so the whole library is updated instead.
  const paths = folders.map((f) => under(p.root, f)).map((path) => (/[\n\r\0]/.test(path) ? '' : path));
  const updates = paths.map((path) => (path === '' ? 'update\n' : `update ${mpdQuoted(path)}\n`)).join('');
  const steps = [
    ...(p.password === undefined ? [] : [`password ${mpdQuoted(p.password)}\n`]),
    `command_list_begin\n${updates}command_list_end\n`,
  ];
  return new Promise((resolve, reject) => {
    const socket = connect({ host: p.host, port: p.port });
    let answer = '';
    let greeted = false;
    const end = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(
      () => end(new Error(`did not answer within ${TIMEOUT_MS / 1000} s`)),
      TIMEOUT_MS,
    );
    socket.on('error', (err) =>
      end(new Error(`cannot be reached (${(err as NodeJS.ErrnoException).code ?? err.message})`)),
    );
    socket.on('close', () => end(new Error('closed the connection')));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      if (answer.length > MAX_ANSWER) return end(new Error('answered more than an mpd says'));
      for (let nl = answer.indexOf('\n'); nl >= 0; nl = answer.indexOf('\n')) {
        const line = answer.slice(0, nl);
        answer = answer.slice(nl + 1);
        if (!greeted) {
          if (!line.startsWith('OK MPD '))
            return end(new Error(`is not mpd (it said "${line.slice(0, 80)}")`));
          greeted = true;
        } else if (line.startsWith('ACK ')) return end(new Error(`refused: ${line.slice(4, 200)}`));
        else if (line !== 'OK') continue; // updating_db: N
        if (line === 'OK' && steps.length === 0) return end();
        const next = steps.shift();
        if (next) socket.write(next);
      }
    });
  });
}

async function tellHttp(p: Exclude<Player, { kind: 'mpd' }>, folders: readonly string[], mountpoint: string) {
  const server = describePlayer(p);
  const base = p.url.replace(/\/+$/, '');
  const options = { server, maxBytes: MAX_ANSWER, timeoutMs: TIMEOUT_MS, redirects: 'none' as const };
  switch (p.kind) {
    case 'jellyfin': {
      const root = p.root || mountpoint;
      const body = JSON.stringify({
        Updates: folders.map((f) => ({ Path: under(root, f), UpdateType: 'Modified' })),
      });
      const a = await httpFetch(`${base}/Library/Media/Updated`, {
        ...options,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-emby-token': p.key },
        body,
      });
      if (a.status < 200 || a.status > 299) throw new Error(`refused: HTTP ${a.status}`);
      return;
    }
    case 'plex': {
      const root = p.root || mountpoint;
      const section = `${base}/library/sections/${p.section}/refresh`;
      const urls =
        folders.length > PLEX_MAX_FOLDERS
          ? [section]
          : folders.map((f) => `${section}?path=${encodeURIComponent(under(root, f))}`);
      for (const url of urls) {
        const a = await httpFetch(url, {
          ...options,
          headers: { 'x-plex-token': p.token, accept: 'application/json' },
        });
        if (a.status < 200 || a.status > 299) throw new Error(`refused: HTTP ${a.status}`);
      }
      return;
    }
    case 'subsonic': {
      // The Subsonic API's token: md5(password + salt), a new salt each time (never the password itself).
      const salt = randomBytes(6).toString('hex');
      const token = createHash('md5')
        .update(p.password + salt)
        .digest('hex');
      const query = new URLSearchParams({
        u: p.user,
        t: token,
        s: salt,
        v: '1.16.1',
        c: 'sleeve',
        f: 'json',
      });
      const a = await httpFetch(`${base}/rest/startScan.view?${query}`, options);
      if (a.status !== 200) throw new Error(`refused: HTTP ${a.status}`);
      const said = subsonicAnswer(a.body);
      if (said !== 'ok') throw new Error(`refused: ${said}`);
    }
  }
}

/** 'ok', or the server's reason: a Subsonic answer is {"subsonic-response": {status, error?: {message}}}. */
function subsonicAnswer(body: Buffer): string {
  try {
    const r = (JSON.parse(body.toString('utf8')) as Record<string, unknown>)['subsonic-response'] as
      | { status?: unknown; error?: { message?: unknown } }
      | undefined;
    if (r?.status === 'ok') return 'ok';
    return typeof r?.error?.message === 'string'
      ? r.error.message.slice(0, 200)
      : 'an answer that is not Subsonic';
  } catch {
    return 'an answer that is not JSON';
  }
}

/** Tells `player` that `folders` (inside the mount, '' its root) changed; rejects with why it could not.
 *  `mountpoint`: where the mount is here, which an HTTP server sees unless its root says otherwise. */
export async function tellPlayer(
  player: Player,
  folders: readonly string[],
  mountpoint: string,
): Promise<void> {
  try {
    if (player.kind === 'mpd') await tellMpd(player, folders);
    else await tellHttp(player, folders, mountpoint);
  } catch (err) {
    const why = err instanceof HttpFetchError ? err.reason : err instanceof Error ? err.message : String(err);
    throw new Error(`${describePlayer(player)} ${why}`);
  }
}

/** Tells each of `players` the whole mount changed (`sleeve players test`, the Mount view's Test): each
 *  one's reason when it could not be told. An HTTP server without a root sees the mount where it is here. */
export async function testPlayers(home: string, players: readonly Player[]): Promise<Array<string | null>> {
  const mountpoint = listMounts(home).mounts[0]?.mountpoint ?? '/';
  return Promise.all(
    players.map((p) =>
      tellPlayer(p, [''], mountpoint).then(
        () => null,
        (err: Error) => err.message,
      ),
    ),
  );
}
