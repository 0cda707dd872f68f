// What people call each audio format (the library's format names are the scan's: "ogg-vorbis", "m4a";
// the names people use are the format table's): the track table's Format column, the words saying why a
// copy is kept, and the words a copy rule may name a format by.

import { AUDIO_FORMATS, formatRow } from './format-table.ts';

/** A format's common name: "Vorbis" for ogg-vorbis; an M4A file is AAC unless its codec is ALAC. */
export function formatName(format: string | null, codec?: string | null): string {
  if (format === null) return '';
  if (format === 'm4a' && codec && /alac/i.test(codec)) return 'ALAC';
  return formatRow(format)?.name ?? format.toUpperCase();
}

/** A format as beets names it in a path ($format: its mediafile's type names, "OGG" for Vorbis). */
export function beetsFormatName(format: string | null, codec?: string | null): string {
  return (format !== null && formatRow(format)?.beets) || formatName(format, codec);
}

/** The words a user may name a format by (a copy rule's format:NAME), each the library's format name. */
export const FORMAT_NAMES_BY_WORD: ReadonlyMap<string, string> = new Map([
  ...AUDIO_FORMATS.map((f) => [f, f] as const),
  ['vorbis', 'ogg-vorbis'],
  ['ogg', 'ogg-vorbis'],
  ['aac', 'm4a'],
  ['alac', 'm4a'],
  ['mp4', 'm4a'],
  ['wv', 'wavpack'],
  ['mpc', 'musepack'],
  ['aif', 'aiff'],
]);
