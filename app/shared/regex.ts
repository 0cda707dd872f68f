// Regular expressions in queries run on RE2's engine (re2js): matching takes time linear in the text,
// so no pattern can stall the library, such as `path:/^([^z]+[^z]+)+z/`, which backtracks for ever in
// JavaScript's engine. RE2's syntax is JavaScript's without backreferences and lookaround.
import { RE2JS } from 're2js';

const FLAGS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0, // RE2 matches Unicode code points already
};

/** A compiled pattern; throws with RE2's reason when the pattern is not valid. */
export function compileRegex(source: string, flags: string): { test(text: string): boolean } {
  let bits = 0;
  for (const f of flags) bits |= FLAGS[f] ?? 0;
  return RE2JS.compile(source, bits);
}
