// Internet radio stations, as the Subsonic server lists them to clients (getInternetRadioStations): a name,
// the address of the stream, and the station's home page. Added and removed on the server
// (`sleeve subsonic radio`), as its users are: clients only read them. An address is an http or https URL,
// so a client is never handed a file path or a script to open.
import { UserError } from '../../../kit/user-error.ts';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/write-lock.ts';

export interface RadioStation {
  readonly id: number;
  readonly name: string;
  readonly streamUrl: string;
  readonly homePageUrl: string | null;
}

/** Stations kept at most (a bound, as on every store). */
export const MAX_STATIONS = 1000;
const MAX_NAME = 200;
const MAX_URL = 2000;

/** `text` as a station's address: an absolute http or https URL, else a specific refusal. */
function stationUrl(what: string, text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  if (text.length > MAX_URL) throw new UserError('bad_request', `the ${what} is over ${MAX_URL} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(
      'bad_request',
      `the ${what} "${shown}" is not a URL (like https://radio.example/stream)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UserError('bad_request', `the ${what} "${shown}" is not an http or https address`);
  return url.href;
}

export function listStations(db: Db): RadioStation[] {
  return db
    .prepare(
      'SELECT id, name, stream_url AS streamUrl, home_page_url AS homePageUrl FROM radio_stations ORDER BY name, id',
    )
    .all() as RadioStation[];
}

export function addStation(
  db: Db,
  station: { name: string; streamUrl: string; homePageUrl?: string },
): RadioStation {
  const name = station.name.trim();
  if (name === '' || name.length > MAX_NAME)
    throw new UserError('bad_request', `a station's name is 1 to ${MAX_NAME} characters`);
  const streamUrl = stationUrl('stream address', station.streamUrl.trim());
  const homePageUrl =
    station.homePageUrl === undefined ? null : stationUrl('home page', station.homePageUrl.trim());
  return writeTransaction(db, () => {
    const count = db.prepare('SELECT count(*) FROM radio_stations').pluck().get() as number;
    if (count >= MAX_STATIONS)
      throw new UserError('conflict', `the library keeps at most ${MAX_STATIONS} stations: remove one first`);
    const id = Number(
      db
        .prepare('INSERT INTO radio_stations (name, stream_url, home_page_url, added_at) VALUES (?, ?, ?, ?)')
        .run(name, streamUrl, homePageUrl, Date.now()).lastInsertRowid,
    );
    return { id, name, streamUrl, homePageUrl };
  });
}

export function removeStation(db: Db, id: number): void {
  const removed = writeTransaction(db, () => db.prepare('DELETE FROM radio_stations WHERE id = ?').run(id));
  if (removed.changes === 0) throw new UserError('not_found', `there is no station ${id}`);
}
