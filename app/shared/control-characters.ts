// Control characters in text a user names things with (a query, a playlist's name): never meant, and a
// NUL cuts a C string (a file name, a log line) short. A query may hold a tab (it separates words).

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is found
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is found
const CONTROL_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

/** The first control character of `text` (a tab allowed when `tab`): where it is, and its code point as
 *  U+XXXX. */
export function controlCharacter(
  text: string,
  { tab = false } = {},
): { readonly index: number; readonly code: string } | undefined {
  const found = (tab ? CONTROL_BUT_TAB : CONTROL).exec(text);
  if (!found) return undefined;
  return {
    index: found.index,
    code: `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  };
}
