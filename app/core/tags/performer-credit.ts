// A performer credit as the library holds it: "Name (role)" — "Ed Sheeran (lead vocals)" — or "Name"
// alone, Picard's PERFORMER value in a Vorbis comment or an APEv2 item. ID3's TMCL holds the same as pairs
// of a role and a name, which the reader and the writer turn into and out of these values.

/** ID3's role for a performer credited without one: TagLib drops a TMCL holding an empty role (which Picard
 *  writes), and Picard reads this one as none. */
const NO_ROLE = 'performer';

/** The credit of `name` in `role` ('' for none). */
export const performerCredit = (name: string, role: string): string => (role ? `${name} (${role})` : name);

/** A credit's name and role: the role is in the parentheses that close it, as Picard reads PERFORMER
 *  ("Name (guitar (12-string))" keeps the inner ones); '' when it has none. */
export function splitPerformer(credit: string): { name: string; role: string } {
  if (!credit.endsWith(')')) return { name: credit, role: '' };
  let depth = 0;
  for (let i = credit.length - 1; i > 0; i--) {
    const c = credit[i];
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) {
      const name = credit.slice(0, i).trimEnd();
      return name === '' ? { name: credit, role: '' } : { name, role: credit.slice(i + 1, -1) };
    }
  }
  return { name: credit, role: '' };
}

/** A credit as a TMCL pair, [role, name]. */
export function id3Pair(credit: string): [role: string, name: string] {
  const { name, role } = splitPerformer(credit);
  return [role || NO_ROLE, name];
}

/** A TMCL (or TIPL) pair as a credit. */
export const creditOfPair = (role: string, name: string): string =>
  performerCredit(name, role.toLowerCase() === NO_ROLE ? '' : role);
