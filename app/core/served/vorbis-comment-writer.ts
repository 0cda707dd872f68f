// Library tags (Picard names) → a Vorbis comment, named as the field table declares (app/shared/field-table.ts), so that
// reading the comment back gives the same tags (docs/tag-formats.md: FLAC metadata blocks; Picard's
// field names).
import type { TagList } from '../tags/normalize.ts';
import { splitDescribed, VORBIS_NAMES } from '../tags/tag-names.ts';

// Printable ASCII except '='; 0x7E is left out too, as the older Vorbis spec does.
const VALID_NAME = /^[\x20-\x3c\x3e-\x7d]+$/;

export interface VorbisField {
  readonly name: string;
  readonly value: string;
}

/** The field a library key is written as, or undefined when Vorbis cannot name it. */
export function vorbisFieldName(key: string): string | undefined {
  // Vorbis comments have no descriptions: "comment:desc" and "lyrics:desc" lose theirs.
  const described = splitDescribed(key)?.field;
  if (described !== undefined) return VORBIS_NAMES.get(described) ?? described.toUpperCase();
  return VORBIS_NAMES.get(key.toLowerCase()) ?? (VALID_NAME.test(key) ? key.toUpperCase() : undefined);
}

/** One field per value (a repeated name is a multi-valued field); keys Vorbis cannot name are skipped. */
export function vorbisFields(tags: TagList): VorbisField[] {
  const out: VorbisField[] = [];
  for (const [key, values] of tags) {
    const name = vorbisFieldName(key);
    if (name !== undefined) for (const value of values) out.push({ name, value });
  }
  return out;
}

/** The comment as FLAC stores it (no framing bit): little-endian lengths, UTF-8 text. One allocation:
 *  the daemon sizes every FLAC of the library with it as it starts. */
export function vorbisCommentBody(vendor: string, fields: readonly VorbisField[]): Buffer {
  const texts = fields.map(({ name, value }) => `${name}=${value}`);
  let length = 8 + Buffer.byteLength(vendor);
  for (const text of texts) length += 4 + Buffer.byteLength(text);
  const out = Buffer.allocUnsafe(length);
  let at = lengthPrefixed(out, 0, vendor);
  at = out.writeUInt32LE(texts.length, at);
  for (const text of texts) at = lengthPrefixed(out, at, text);
  return out;
}

/** Writes `text` at `at` after its UTF-8 length; returns where it ends. */
function lengthPrefixed(out: Buffer, at: number, text: string): number {
  const written = out.write(text, at + 4, 'utf8');
  out.writeUInt32LE(written, at);
  return at + 4 + written;
}
