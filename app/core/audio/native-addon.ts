// The audio addon (native/: FFmpeg's decoders and Chromaprint, the libraries `fpcalc` links): where it is
// built, its functions' types, and loading it.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DecodeError } from './pcm.ts';

export const AUDIO_ADDON_FILE = fileURLToPath(new URL('native/build/sleeve_audio.node', import.meta.url));

/** What one read of a decode returns (see decoder.c's js_read): how many samples it wrote. */
export interface ReadCounts {
  /** Samples of the fingerprint stream written. */
  readonly mono: number;
  /** Samples of each channel written. */
  readonly planes: number;
  readonly ended: boolean;
  /** The next frame needs arrays of these sizes (the fingerprint stream's, a channel's). */
  readonly need?: [number, number];
  /** What FFmpeg said (errors in the data) since the read before, and how far into the audio, in seconds. */
  readonly messages?: string[];
  readonly messageTimes?: number[];
  /** Frames dropped so far because their rate or channel count differed from the stream's. */
  readonly dropped: number;
  /** Why the decode cannot go on. */
  readonly error?: string;
}

export interface AudioAddon {
  /** Decodes bytes [start, end) of the file (end -1: to its end); `flac`: after its STREAMINFO block. */
  open(
    path: string | Buffer,
    demuxers: string,
    flac: boolean,
    start: number,
    end: number,
  ): { handle: object; sampleRate: number; channels: number };
  convert(handle: object, monoRate: number, monoSamples: number, whole: boolean): void;
  read(handle: object, mono: Int16Array | null, planes: Int16Array | null): ReadCounts;
  close(handle: object): void;
  fingerprintStart(sampleRate: number, channels: number): object;
  fingerprintFeed(session: object, samples: Int16Array): void;
  fingerprintFinish(session: object): { raw: Uint32Array; compressed: string };
  fingerprintClose(session: object): void;
}

let addon: AudioAddon | undefined;

export function audioAddon(): AudioAddon {
  try {
    addon ??= createRequire(import.meta.url)(AUDIO_ADDON_FILE) as AudioAddon;
  } catch (err) {
    // The file's failure then says how to build it.
    throw new DecodeError(
      // Node's message goes on with the require stack: its first line says what is missing.
      `the audio addon is not built (npm install builds it; it needs FFmpeg's and Chromaprint's headers): ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return addon;
}
