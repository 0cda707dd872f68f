// beets' legalize_path (beets/util), for a beets config's layout: the parts of a rendered path replaced by
// the config's `replace:` (beets' own list when it sets none) and, with `max_filename_length`, each cut to
// that length, its extension kept on the last. beets does this in stages: replace and cut; then replace and
// cut again what the first stage gave (a cut can leave a trailing space that a rule removes); and when that
// second cut still changed something, the first stage's result replaced by beets' built-in rules instead.
// Sleeve's own safe names (path-template.ts: sanitizeComponent) follow.
import { cutToBytes } from '../../../kit/utf8-cut.ts';

/** A replacement rule, compiled: re.sub(pattern, replacement, ·). */
export type Rule = (text: string) => string;

/** beets' `replace:` as its config_default.yaml sets it: a config that sets none has these. */
export const BEETS_REPLACE: ReadonlyArray<readonly [string, string]> = [
  ['[\\\\/]', '_'],
  ['^\\.', '_'],
  ['[\\x00-\\x1f]', '_'],
  ['[<>:"\\?\\*\\|]', '_'],
  ['\\.$', '_'],
  ['\\s+$', ''],
  ['^\\s+', ''],
  ['^-', '_'],
];

/** beets' CHAR_REPLACE: the rules of its last stage, when the config's own made a cut path long again. */
export const BEETS_LAST_RESORT: ReadonlyArray<readonly [string, string]> = [
  ['[\\\\/]', '_'],
  ['^\\.', '_'],
  ['[\\x00-\\x1f]', ''],
  ['[<>:"\\?\\*\\|]', '_'],
  ['\\.$', '_'],
  ['\\s+$', ''],
];

/** One stage: each part through `rules`, then each cut to `max` bytes, as beets cuts a name on disk (the
 *  last with `extension` kept on it; at a character's end, where beets may cut through one). */
function stage(parts: readonly string[], rules: readonly Rule[], extension: string, max: number) {
  const replaced = parts.map((part) => rules.reduce((text, rule) => rule(text), part));
  const last = replaced.length - 1;
  const cutParts = replaced.map((part, i) =>
    cutToBytes(part, i < last ? max : Math.max(0, max - Buffer.byteLength(extension))),
  );
  return { parts: cutParts, changed: cutParts.some((part, i) => part !== replaced[i]) };
}

/**
 * A rendered path's parts as beets' legalize_path leaves them (the last without its extension, which beets
 * lowercases and keeps), `max` bytes a name (0: no cut of beets' own; Sleeve's 255 still holds).
 */
export function legalized(
  parts: readonly string[],
  extension: string,
  rules: readonly Rule[],
  lastResort: readonly Rule[],
  max: number,
): string[] {
  const limit = max > 0 ? max : Number.POSITIVE_INFINITY;
  const ext = extension.toLowerCase();
  const first = stage(parts, rules, ext, limit).parts;
  const second = stage(first, rules, ext, limit);
  return second.changed ? stage(first, lastResort, ext, limit).parts : second.parts;
}
