// The identifiers a service names (recordings, releases, artists, AcoustID tracks) are UUIDs, checked as
// they enter: an id becomes a tag value, part of a cached answer and of the next request's URL. An answer
// naming anything else is left out with a warning that names the service and the id, never proposed nor
// written (a raw answer may sit in the web cache: the check runs again on every cached read).
import { UUID } from '../../shared/fields.ts';

/** What an id is, and its value. */
export type NamedId = readonly [what: string, id: string];

/** The warning for the first of `ids` that is not a UUID; undefined when every one is. */
export function idProblem(service: string, ids: Iterable<NamedId>, leftOut: string): string | undefined {
  for (const [what, id] of ids)
    if (!UUID.test(id))
      return `${service} named ${what} ${JSON.stringify(id.slice(0, 80))}, which is not an id (a UUID): ${leftOut} is left out`;
  return undefined;
}
