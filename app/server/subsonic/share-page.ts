// A share's public link, for someone with no login (shares.ts makes them): /share/<id> is a page of its
// songs, each playable in the browser and downloadable, and /share/<id>/<n> the n-th song's bytes as the
// mount serves them (the library's tags over the untouched audio), with byte ranges. The id is the only
// credential: an expired or revoked share answers nothing of its songs, and an address that asks for too
// many links that are not shared (a guess, or a share revoked) is turned away for a while. No script, no
// outside resource, no disk path, not its maker's login: the page names the songs as the library does.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../core/db/database.ts';
import { addShareVisits, type Share, type ShareVisits, shareById } from '../../core/library/shares.ts';
import type { MediaServices } from '../media.ts';
import { FailedLogins } from './auth.ts';
import { sendServed } from './binary.ts';
import { clientAddress } from './client-address.ts';
import { markupText } from './response.ts';
import { songTitle } from './shape.ts';
import { SHARE_PATH } from './shares.ts';
import type { View } from './view.ts';

/** Links asked for that are not shared, per address in MISS_WINDOW_MS, before it is turned away. */
const MAX_MISSES = 20;
const MISS_WINDOW_MS = 10 * 60_000;
/** A visit is one address opening a share's page within this time: a page reloaded in a loop counts (and
 *  writes to the library) once. */
const VISIT_MS = 30 * 60_000;
/** Visits remembered (the oldest forgotten first: a bound, not a policy). */
const MAX_VISITS = 10_000;

const STYLE =
  'body{font:16px system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}' +
  'li{margin:0 0 1.2rem}audio{display:block;width:100%;margin:.3rem 0}small{color:#666}';
const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': `default-src 'none'; media-src 'self'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex"><title>${markupText(title)}</title><style>${STYLE}</style></head><body><h1>${markupText(title)}</h1>${body}</body></html>\n`;
}

/** The share's page: its songs as the library has them now, in the order shared. */
function sharePage(share: Share, view: View): string {
  const items = share.entries.flatMap((fileId, n) => {
    const t = view.track(fileId);
    if (!t) return [];
    const title = songTitle(t);
    const by = [t.artists.join(', '), t.album].filter((x) => x !== '').join(' — ');
    const src = `${SHARE_PATH}${share.id}/${n}`;
    return [
      `<li><strong>${markupText(title)}</strong>${by ? ` <small>${markupText(by)}</small>` : ''}<audio controls preload="none" src="${src}"></audio><a href="${src}?download" download>Download</a></li>`,
    ];
  });
  const until = `<p><small>Shared until ${new Date(share.expiresAt).toUTCString()}.</small></p>`;
  return page(
    share.description ?? 'Shared songs',
    items.length > 0
      ? `${until}<ol>${items.join('')}</ol>`
      : `${until}<p>These songs are no longer in the library.</p>`,
  );
}

export class SharePages {
  readonly #db: Db;
  readonly #media: MediaServices;
  readonly #view: () => View;
  readonly #misses = new FailedLogins(MAX_MISSES, MISS_WINDOW_MS);
  /** When each address last had each share's page counted as a visit ("address share"). */
  readonly #visits = new Map<string, number>();
  /** Visits counted but not yet written (another writer held the library), by share. */
  readonly #pending: ShareVisits = new Map();

  constructor(db: Db, media: MediaServices, view: () => View) {
    this.#db = db;
    this.#media = media;
    this.#view = view;
  }

  /** Answers a request below SHARE_PATH. */
  async answer(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const address = clientAddress(req);
    const text = (status: number, title: string, line: string) => {
      res.writeHead(status, HEADERS);
      res.end(req.method === 'HEAD' ? undefined : page(title, `<p>${markupText(line)}</p>`));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return text(405, 'Not allowed', 'A share is only read.');
    }
    try {
      this.#misses.check(address);
    } catch {
      return text(
        429,
        'Too many links',
        'This address asked for too many links that are not shared: try again later.',
      );
    }
    const m = url.pathname.slice(SHARE_PATH.length).match(/^([A-Za-z0-9_-]{22})(?:\/(\d{1,4}))?$/);
    const share = m ? shareById(this.#db, m[1]!) : undefined;
    if (!share) {
      this.#misses.fail(address);
      return text(404, 'Not shared', 'Nothing is shared at this link (any more).');
    }
    // Expired: a link shared widely is opened again and again; that is no guessing.
    if (share.expiresAt <= Date.now())
      return text(410, 'Expired', `This share expired on ${new Date(share.expiresAt).toUTCString()}.`);
    const view = this.#view();
    if (m![2] === undefined) {
      if (req.method === 'GET') this.#visit(address, share.id);
      res.writeHead(200, HEADERS);
      return void res.end(req.method === 'HEAD' ? undefined : sharePage(share, view));
    }
    const fileId = share.entries[Number(m![2])];
    const track = fileId === undefined ? undefined : view.track(fileId);
    if (!track) return text(404, 'Not shared', 'This song is not in the share, or no longer in the library.');
    await sendServed(
      this.#db,
      this.#media,
      track,
      req,
      res,
      (err, status = 404) => text(status, 'Not available', err.message),
      url.searchParams.has('download'),
    );
  }

  /** Counts a visit of the share's page, once per address in VISIT_MS. */
  #visit(address: string, shareId: string): void {
    const key = `${address} ${shareId}`;
    const now = Date.now();
    const last = this.#visits.get(key);
    if (last !== undefined && now - last < VISIT_MS) return;
    this.#visits.delete(key);
    this.#visits.set(key, now);
    if (this.#visits.size > MAX_VISITS) this.#visits.delete(this.#visits.keys().next().value!);
    const pending = this.#pending.get(shareId);
    if (pending) {
      pending.count++;
      pending.last = now;
    } else this.#pending.set(shareId, { count: 1, last: now });
    // Written when the library is free, else kept for the next visit: a public page never waits for it.
    if (addShareVisits(this.#db, this.#pending)) this.#pending.clear();
  }
}
