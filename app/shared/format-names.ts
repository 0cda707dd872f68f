// What people call each audio format (the library's format names are the scan's: "ogg-vorbis", "m4a"):
// the track table's Format column and the words saying why a copy is kept.

const NAMES: Readonly<Record<string, string>> = {
  flac: 'FLAC',
  mp3: 'MP3',
  mp2: 'MP2',
  'ogg-vorbis': 'Vorbis',
  opus: 'Opus',
  'ogg-flac': 'Ogg FLAC',
  m4a: 'AAC',
  wav: 'WAV',
  aiff: 'AIFF',
  wavpack: 'WavPack',
  ape: 'APE',
  musepack: 'Musepack',
};

/** The library's format names, as a rule or a choice lists them. */
export const LIBRARY_FORMATS: readonly string[] = Object.keys(NAMES);

/** A format's common name: "Vorbis" for ogg-vorbis; an M4A file is AAC unless its codec is ALAC. */
export function formatName(format: string | null, codec?: string | null): string {
  if (format === null) return '';
  if (format === 'm4a' && codec && /alac/i.test(codec)) return 'ALAC';
  return NAMES[format] ?? format.toUpperCase();
}

/** The words a user may name a format by (a copy rule's format:NAME), each the library's format name. */
export const FORMAT_NAMES_BY_WORD: ReadonlyMap<string, string> = new Map([
  ...Object.keys(NAMES).map((f) => [f, f] as const),
  ['vorbis', 'ogg-vorbis'],
  ['ogg', 'ogg-vorbis'],
  ['aac', 'm4a'],
  ['alac', 'm4a'],
  ['mp4', 'm4a'],
  ['wv', 'wavpack'],
  ['mpc', 'musepack'],
  ['aif', 'aiff'],
]);
