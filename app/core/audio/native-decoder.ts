// The native decoder (native/decoder.c: FFmpeg's libraries, the ones `fpcalc` links), typed. A decode
// reads one local file, through the demuxers of the format the scanner recognised in it and no others.

import { isPlausible } from '../media/plausible.ts';
import type { AudioFormat } from '../media/sniff.ts';
import { type AudioAddon, audioAddon, type DecodedBlock } from './native-addon.ts';
import { DecodeError } from './pcm.ts';

/** FFmpeg's demuxers for each format the scanner recognises. */
const DEMUXERS: Record<AudioFormat, string> = {
  flac: 'flac',
  mp3: 'mp3',
  mp2: 'mp3',
  'ogg-vorbis': 'ogg',
  opus: 'ogg',
  'ogg-flac': 'ogg',
  m4a: 'mov',
  wav: 'wav',
  aiff: 'aiff',
  wavpack: 'wv',
  ape: 'ape',
  musepack: 'mpc,mpc8',
};

export class NativeDecode {
  readonly sampleRate: number;
  readonly channels: number;
  readonly #handle: object;

  /** Opens `path`; `monoSamples` of the fingerprint stream (at `monoRate`) are wanted, and the whole track
   *  if `whole`. */
  constructor(path: string | Buffer, format: string, monoRate: number, monoSamples: number, whole: boolean) {
    const demuxers = DEMUXERS[format as AudioFormat];
    if (demuxers === undefined) throw new DecodeError(`no decoder for the format ${format}`);
    const addon = audioAddon();
    let opened: ReturnType<AudioAddon['open']>;
    try {
      opened = addon.open(path, demuxers);
    } catch (err) {
      throw new DecodeError((err as Error).message);
    }
    ({ handle: this.#handle, sampleRate: this.sampleRate, channels: this.channels } = opened);
    if (!isPlausible('sampleRate', this.sampleRate) || !isPlausible('channels', this.channels)) {
      this.close();
      throw new DecodeError(
        `the audio stream claims an impossible format: ${this.sampleRate} Hz, ${this.channels} channel${this.channels === 1 ? '' : 's'}`,
      );
    }
    try {
      addon.convert(this.#handle, monoRate, monoSamples, whole);
    } catch (err) {
      this.close();
      throw new DecodeError((err as Error).message);
    }
  }

  read(): DecodedBlock {
    return audioAddon().read(this.#handle);
  }

  /** Closes the file now (else it stays open until the handle is collected). */
  close(): void {
    audioAddon().close(this.#handle);
  }
}
