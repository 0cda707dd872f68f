// The format table: every audio format the scan recognises declared once, by the library's name for it
// (the scan's: "ogg-vorbis", "m4a"), with what each part of the app calls it — as the field table does for
// tag fields. The track table's Format column and the words saying why a copy is kept (format-names.ts),
// the MIME type files are served with (sniff.ts), the Subsonic server's suffix, container and codec
// (shape.ts, transcoding.ts) and FFmpeg's demuxer (native-decoder.ts) derive from it. Pure data: the
// renderer imports it.

export interface FormatRow {
  /** What people call it: "Vorbis" for ogg-vorbis (an M4A file is AAC unless its codec is ALAC). */
  readonly name: string;
  /** The file name suffix a Subsonic client is told (OpenSubsonic's `suffix`). */
  readonly suffix: string;
  readonly mime: string;
  /** The container and codec, in the names Subsonic clients use in their transcoding profiles. */
  readonly container: string;
  readonly codec: string;
  /** FFmpeg's demuxers for it, comma-separated (libavformat's short names). */
  readonly demuxer: string;
  /** beets' name for it where it is not `name` (its mediafile's: "OGG" for Vorbis, "WAVE"). */
  readonly beets?: string;
  /** Picard's %_format% for it as the mount serves it (its file class's NAME, or what its `_info` makes of
   *  it: an MP3's layer and the ID3v2.4 tag it is served with); an M4A's codec and a Musepack's stream
   *  version are added (format-names.ts: picardFormatName). */
  readonly picard: string;
}

export const FORMAT_TABLE = {
  flac: {
    name: 'FLAC',
    suffix: 'flac',
    mime: 'audio/flac',
    container: 'flac',
    codec: 'flac',
    demuxer: 'flac',
    picard: 'FLAC',
  },
  mp3: {
    name: 'MP3',
    suffix: 'mp3',
    mime: 'audio/mpeg',
    container: 'mp3',
    codec: 'mp3',
    demuxer: 'mp3',
    picard: 'MPEG-1 Layer 3 - ID3v2.4',
  },
  mp2: {
    name: 'MP2',
    suffix: 'mp2',
    mime: 'audio/mpeg',
    container: 'mp2',
    codec: 'mp2',
    demuxer: 'mp3',
    picard: 'MPEG-1 Layer 2',
  },
  'ogg-vorbis': {
    name: 'Vorbis',
    suffix: 'ogg',
    mime: 'audio/ogg',
    container: 'ogg',
    codec: 'vorbis',
    demuxer: 'ogg',
    beets: 'OGG',
    picard: 'Ogg Vorbis',
  },
  opus: {
    name: 'Opus',
    suffix: 'opus',
    mime: 'audio/ogg',
    container: 'ogg',
    codec: 'opus',
    demuxer: 'ogg',
    picard: 'Ogg Opus',
  },
  'ogg-flac': {
    name: 'Ogg FLAC',
    suffix: 'oga',
    mime: 'audio/ogg',
    container: 'ogg',
    codec: 'flac',
    demuxer: 'ogg',
    picard: 'Ogg FLAC',
  },
  m4a: {
    name: 'AAC',
    suffix: 'm4a',
    mime: 'audio/mp4',
    container: 'mp4',
    codec: 'aac',
    demuxer: 'mov',
    picard: 'MPEG-4 Audio',
  },
  wav: {
    name: 'WAV',
    suffix: 'wav',
    mime: 'audio/wav',
    container: 'wav',
    codec: 'pcm',
    demuxer: 'wav',
    beets: 'WAVE',
    picard: 'Microsoft WAVE',
  },
  aiff: {
    name: 'AIFF',
    suffix: 'aiff',
    mime: 'audio/aiff',
    container: 'aiff',
    codec: 'pcm',
    demuxer: 'aiff',
    picard: 'Audio Interchange File Format (AIFF)',
  },
  wavpack: {
    name: 'WavPack',
    suffix: 'wv',
    mime: 'audio/wavpack',
    container: 'wv',
    codec: 'wavpack',
    demuxer: 'wv',
    picard: 'WavPack',
  },
  ape: {
    name: 'APE',
    suffix: 'ape',
    mime: 'audio/ape',
    container: 'ape',
    codec: 'ape',
    demuxer: 'ape',
    picard: "Monkey's Audio",
  },
  musepack: {
    name: 'Musepack',
    suffix: 'mpc',
    mime: 'audio/musepack',
    container: 'mpc',
    codec: 'mpc',
    demuxer: 'mpc,mpc8',
    picard: 'Musepack',
  },
} as const satisfies Record<string, FormatRow>;

export type AudioFormat = keyof typeof FORMAT_TABLE;

/** The library's format names, in the table's order. */
export const AUDIO_FORMATS = Object.keys(FORMAT_TABLE) as AudioFormat[];

/** The row of a recorded format, if the scan names it so. */
export const formatRow = (format: string | null): FormatRow | undefined =>
  format !== null && Object.hasOwn(FORMAT_TABLE, format) ? FORMAT_TABLE[format as AudioFormat] : undefined;
