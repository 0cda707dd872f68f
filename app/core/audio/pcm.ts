// Decoded audio as the loudness meter takes it (planar 16-bit samples at the track's rate), and what a
// decode starts from.

export interface PcmBlock {
  readonly sampleRate: number;
  /** One array per channel, equal lengths. */
  readonly planes: Int16Array[];
}

/** Where to decode from: the library's row for the file. */
export interface AudioSource {
  /** What the file system opens: the path, or its bytes when they are not valid UTF-8 (files.path_bytes). */
  readonly path: string | Buffer;
  /** What the scanner recognised the file as (sniff.ts): only that format's demuxers read it. */
  readonly format: string;
  /** Where the scan found the audio (files.audio_start, audio_end), when it knows: a FLAC or an MP3 is
   *  then decoded from there, its tags never read (native-decoder.ts says why). */
  readonly audioStart?: number | null;
  readonly audioEnd?: number | null;
  /** How many tag fields the scan found in a file whose tags FFmpeg reads (see TAGS_SKIPPED). */
  readonly tagFields?: number | null;
}

/** Errors of the system, not of the file's data (a share gone, a descriptor limit, memory): the file may
 *  decode another time. */
const SYSTEM_ERROR =
  /No such file|Permission denied|Input\/output error|Too many open files|Cannot allocate memory|out of memory|Resource temporarily unavailable|Operation not permitted|Stale file handle|Transport endpoint/i;

/** Whether a decoder's message names a system error rather than bad data. */
export const isSystemError = (message: string): boolean => SYSTEM_ERROR.test(message);

/** What a decode that ended without one sample says. */
export const NO_AUDIO_SAMPLES = 'no audio samples';

export class DecodeError extends Error {
  override name = 'DecodeError';
  /** Not one sample decoded: the file holds no audio this decoder can play (it is served to no player). */
  readonly nothing: boolean;
  constructor(message: string, nothing = false) {
    super(message);
    this.nothing = nothing;
  }
}
