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

/** A format's common name: "Vorbis" for ogg-vorbis; an M4A file is AAC unless its codec is ALAC. */
export function formatName(format: string | null, codec?: string | null): string {
  if (format === null) return '';
  if (format === 'm4a' && codec && /alac/i.test(codec)) return 'ALAC';
  return NAMES[format] ?? format.toUpperCase();
}
