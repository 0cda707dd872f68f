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

/** A format as Picard's %_format% names it (its file classes': "Ogg Vorbis", "MPEG-1 Layer 3 - ID3v2.4"); an
 *  M4A with its codec as mutagen describes it (the scan's "MPEG-4/AAC" is AAC LC: an HE-AAC file signals
 *  its extension implicitly, as AAC LC, to mutagen too), a Musepack file with its stream version (the
 *  scan records a codec for SV7 only). */
export function picardFormatName(format: string | null, codec?: string | null): string {
  const row = formatRow(format);
  if (!row) return format ?? '';
  if (format === 'm4a') return `${row.picard} (${codec && /alac/i.test(codec) ? 'ALAC' : 'AAC LC'})`;
  if (format === 'musepack') return `${row.picard}, SV${codec ? 7 : 8}`;
  return row.picard;
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
