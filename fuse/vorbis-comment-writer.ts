// Library tags (Picard names) → a Vorbis comment: the inverse of app/core/tags/normalize.ts's Vorbis mapping,
// so that reading the comment back gives the same tags (docs/tag-formats.md: FLAC metadata blocks; Picard's
// field names).
import type { TagList } from '../app/core/tags/normalize.ts';

// Picard names whose field is not the upper-cased name (releasestatus, releasetype and releasecountry
// are: RELEASESTATUS…). Picard writes the totals twice, as TRACKTOTAL and TOTALTRACKS; the reader maps
// both to one key and would see every total twice, so only one spelling is written.
const RENAMED: Record<string, string> = {
  totaltracks: 'TRACKTOTAL',
  totaldiscs: 'DISCTOTAL',
  musicbrainz_recordingid: 'MUSICBRAINZ_TRACKID',
  musicbrainz_trackid: 'MUSICBRAINZ_RELEASETRACKID',
};

// Printable ASCII except '='; 0x7E is left out too, as the older Vorbis spec does.
const VALID_NAME = /^[\x20-\x3c\x3e-\x7d]+$/;

export interface VorbisField {
  readonly name: string;
  readonly value: string;
}

/** The field a library key is written as, or undefined when Vorbis cannot name it. */
export function vorbisFieldName(key: string): string | undefined {
  const lower = key.toLowerCase();
  // Vorbis comments have no descriptions: "comment:desc" and "lyrics:desc" lose theirs.
  if (lower.startsWith('comment:')) return 'COMMENT';
  if (lower.startsWith('lyrics:')) return 'LYRICS';
  return RENAMED[lower] ?? (VALID_NAME.test(key) ? key.toUpperCase() : undefined);
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

/** The comment as FLAC stores it (no framing bit): little-endian lengths, UTF-8 text. */
export function vorbisCommentBody(vendor: string, fields: readonly VorbisField[]): Buffer {
  const parts = [lengthPrefixed(Buffer.from(vendor, 'utf8')), u32le(fields.length)];
  for (const { name, value } of fields) parts.push(lengthPrefixed(Buffer.from(`${name}=${value}`, 'utf8')));
  return Buffer.concat(parts);
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function lengthPrefixed(bytes: Buffer): Buffer {
  return Buffer.concat([u32le(bytes.length), bytes]);
}
