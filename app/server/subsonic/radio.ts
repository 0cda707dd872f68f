// Internet radio: the stations added on the server (app/core/library/radio-stations.ts), listed to every
// user. Changing them is an administrator's in the protocol; Sleeve's users are none (their stations, like
// the users themselves, are managed with the CLI), so those calls are refused with where to do it.
import type { Db } from '../../core/db/database.ts';
import { listStations } from '../../core/library/radio-stations.ts';
import { ERROR, SubsonicError } from './errors.ts';
import type { Fields } from './response.ts';

export function getInternetRadioStations(db: Db): Fields {
  return {
    internetRadioStations: {
      internetRadioStation: listStations(db).map((s) => ({
        id: String(s.id),
        name: s.name,
        streamUrl: s.streamUrl,
        homePageUrl: s.homePageUrl ?? undefined,
      })),
    },
  };
}

/** create-, update- and deleteInternetRadioStation. */
export function changeStations(): never {
  throw new SubsonicError(
    ERROR.notAuthorized,
    'internet radio stations are added on the server: sleeve subsonic radio NAME URL (and --remove ID)',
  );
}
