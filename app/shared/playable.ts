// Which files the app's player (Chromium's <audio>, in a browser or Electron) plays as they are, by the
// format and codec the scan recorded: the backend serves those with byte ranges and transcodes the rest
// (app/server/transcode.ts), and the player seeks a transcoded stream by asking for it from a time. Tried
// in Debian's Chromium 156: it plays MP3, FLAC (in Ogg too), Ogg Vorbis, Opus, AAC in M4A and PCM or
// float WAV (16, 24 and 32 bits, extensible too); not MP2, ALAC, AIFF, WavPack or Musepack. Monkey's Audio,
// which no tool here writes, has no decoder in Chromium either.
const AS_IS = new Set(['flac', 'ogg-flac', 'mp3', 'ogg-vorbis', 'opus']);
/** WAV's codecs as the scan names them (music-metadata's): 0xFFFE is WAVE_FORMAT_EXTENSIBLE, what
 *  encoders write for more than 16 bits or 2 channels (PCM or float inside). */
const WAV_AS_IS = new Set(['PCM', 'IEEE_FLOAT', 'non-PCM (65534)']);

export function playsAsIs(format: string | null, codec: string | null): boolean {
  if (format === 'm4a') return codec !== null && /AAC/.test(codec);
  if (format === 'wav') return codec !== null && WAV_AS_IS.has(codec);
  return AS_IS.has(format ?? '');
}
