// A name cut to a number of bytes of UTF-8, as file systems count a name's length: at a character's end,
// never through one.

/** `text` cut to at most `maxBytes` bytes of UTF-8, at a character's end. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes) break;
    end += ch.length;
  }
  return text.slice(0, end);
}
