// Tags from file names: a pattern such as `%tracknumber% - %title%` or `%artist%/%album%/%tracknumber%.
// %title%` (or in the template syntax, `$tracknumber - $title`, `${title}`) is matched against the end of each file's path inside its library folder (without its
// extension: folders above the library folder are never read as tags), one placeholder per field, `%_%`
// for a part to skip. A placeholder never crosses a `/`, and two need text between them (so a name splits
// one way only). The match runs on RE2's engine: no pattern can stall the library. A part that is empty is
// left out (the field keeps its value); a path the pattern does not fit is reported, not guessed at.
import { RE2JS } from 're2js';
import { UserError } from '../../../../kit/user-error.ts';

class PatternError extends UserError {
  override name = 'PatternError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

export interface PathPattern {
  readonly source: string;
  /** The fields in the order their placeholders appear (`_` for a skipped part). */
  readonly fields: readonly string[];
  readonly regex: RE2JS;
}

/** `%field%` (Mp3tag's), or `${field}` and `$field` (the templates'). */
const PLACEHOLDER = /%([^%/]*)%|\$\{([^}/]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compilePathPattern(source: string): PathPattern {
  const fields: string[] = [];
  let body = '';
  let at = 0;
  const marks = [...source.matchAll(PLACEHOLDER)];
  if (marks.length === 0)
    throw new PatternError(`the pattern "${source}" names no field: write fields as %title%, %tracknumber%…`);
  for (const m of marks) {
    const written = m[1] ?? m[2] ?? m[3]!;
    if (m.index === at && at > 0)
      throw new PatternError(`${m[0]} follows another field with nothing between them: where would one end?`);
    const name = written.trim().toLowerCase();
    if (!/^(_|[a-z][a-z0-9_ ]*)$/.test(name))
      throw new PatternError(`"${m[0]}" at character ${m.index + 1} of the pattern is not a field name`);
    if (name !== '_' && fields.includes(name))
      throw new PatternError(`${m[0]} appears twice in the pattern (as ${name})`);
    fields.push(name);
    // As short as the text after it allows: with the pattern anchored at the path's end, the last part
    // of a name or folder still takes all the rest of it.
    body += `${escapeRegex(source.slice(at, m.index))}([^/]*?)`;
    at = m.index + m[0].length;
  }
  body += escapeRegex(source.slice(at));
  return { source, fields, regex: RE2JS.compile(`(?:^|/)${body}$`) };
}

/** The fields a path (inside its library folder) gives, by name (empty parts and skipped ones left out);
 *  null when it does not fit. */
export function valuesFromPath(pattern: PathPattern, path: string): Record<string, string> | null {
  const withoutExtension = path.replace(/\.[^./]*$/, '');
  const m = pattern.regex.matcher(withoutExtension);
  if (!m.find()) return null;
  const out: Record<string, string> = {};
  pattern.fields.forEach((field, i) => {
    const value = (m.group(i + 1) ?? '').trim();
    if (field !== '_' && value !== '') out[field] = value;
  });
  return out;
}
