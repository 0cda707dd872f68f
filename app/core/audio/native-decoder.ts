// The native decoder (native/decoder.c: FFmpeg's libraries, the ones `fpcalc` links), typed. A decode
// reads one local file, through the demuxers of the format the scanner recognised in it and no others.

import { formatRow } from '../../shared/format-table.ts';
import { isPlausible } from '../media/plausible.ts';
import { type AudioAddon, audioAddon, type ReadCounts } from './native-addon.ts';
import { type AudioSource, DecodeError, isSystemError } from './pcm.ts';

/** Formats decoded from where the scan found their audio, their tags unread (audioView). */
export const TAGS_SKIPPED: ReadonlySet<string> = new Set(['flac', 'mp3', 'mp2']);

/** Tag fields FFmpeg may read: it files them in time that grows with their square (10,000 about a second
 *  here, 50,000 half a minute), and no real tagger writes this many. */
export const MAX_TAG_FIELDS = 10_000;

/** What of the file FFmpeg reads: where the scan knows where a FLAC's or an MP3's audio is, only the
 *  audio (after a FLAC's STREAMINFO, which file_view.c reads and marks as the last metadata block). FFmpeg
 *  keeps tag fields in a dictionary that looks each new key up among all the earlier ones: a FLAC with
 *  50,000 fields took 29 s to open. Elsewhere the whole file, refused when it holds more than
 *  MAX_TAG_FIELDS tag fields. */
function audioView(source: AudioSource): { flac: boolean; start: number; end: number } {
  const whole = { flac: false, start: 0, end: -1 };
  if (TAGS_SKIPPED.has(source.format))
    return source.audioStart == null
      ? whole
      : { flac: source.format === 'flac', start: source.audioStart, end: source.audioEnd ?? -1 };
  const fields = source.tagFields ?? 0;
  if (fields > MAX_TAG_FIELDS)
    throw new DecodeError(
      `its tags hold ${fields.toLocaleString('en-US')} fields, more than the ${MAX_TAG_FIELDS.toLocaleString('en-US')} the decoder reads in reasonable time`,
    );
  return whole;
}

/** What one read gives: views of the decode's own arrays, valid until the next read. */
export interface DecodedBlock extends Omit<ReadCounts, 'mono' | 'planes' | 'need'> {
  /** The fingerprint stream's next samples, when it is wanted: 16-bit mono at Chromaprint's rate,
   *  converted as fpcalc converts. */
  readonly mono?: Int16Array;
  /** Every channel's next samples at the track's own rate, when the whole track is wanted. */
  readonly planes?: Int16Array[];
}

/** Samples a read gathers, per stream and channel, before it returns (more when one frame needs it). */
const BLOCK_SAMPLES = 16384;

export class NativeDecode {
  readonly sampleRate: number;
  readonly channels: number;
  readonly #handle: object;
  // Reused from read to read: a decode allocates nothing per block (whole tracks made a worker's heap
  // grow by tens of megabytes before the garbage collector freed blocks allocated one per read).
  #mono: Int16Array | null = null;
  #planes: Int16Array | null = null;

  /** Opens the source; `monoSamples` of the fingerprint stream (at `monoRate`) are wanted, and the whole
   *  track if `whole`. */
  constructor(source: AudioSource, monoRate: number, monoSamples: number, whole: boolean) {
    const demuxers = formatRow(source.format)?.demuxer;
    if (demuxers === undefined) throw new DecodeError(`no decoder for the format ${source.format}`);
    const addon = audioAddon();
    let opened: ReturnType<AudioAddon['open']>;
    const { flac, start, end } = audioView(source);
    try {
      opened = addon.open(source.path, demuxers, flac, start, end);
    } catch (err) {
      // The file is no audio this decoder can open (unless the system failed: it may open next time).
      const message = (err as Error).message;
      throw new DecodeError(message, !isSystemError(message));
    }
    ({ handle: this.#handle, sampleRate: this.sampleRate, channels: this.channels } = opened);
    if (!isPlausible('sampleRate', this.sampleRate) || !isPlausible('channels', this.channels)) {
      this.close();
      throw new DecodeError(
        `the audio stream claims an impossible format: ${this.sampleRate} Hz, ${this.channels} channel${this.channels === 1 ? '' : 's'}`,
        true,
      );
    }
    try {
      addon.convert(this.#handle, monoRate, monoSamples, whole);
    } catch (err) {
      this.close();
      throw new DecodeError((err as Error).message);
    }
    if (monoSamples > 0) this.#mono = new Int16Array(BLOCK_SAMPLES);
    if (whole) this.#planes = new Int16Array(BLOCK_SAMPLES * this.channels);
  }

  read(): DecodedBlock {
    const { mono, planes, need, ...rest } = audioAddon().read(this.#handle, this.#mono, this.#planes);
    if (need) {
      // One frame larger than the arrays (nothing was written): larger ones for the next read.
      if (this.#mono && need[0] > this.#mono.length) this.#mono = new Int16Array(need[0]);
      if (this.#planes && need[1] * this.channels > this.#planes.length)
        this.#planes = new Int16Array(need[1] * this.channels);
    }
    const all = this.#planes;
    const capacity = all ? all.length / this.channels : 0;
    return {
      ...rest,
      ...(this.#mono && { mono: this.#mono.subarray(0, mono) }),
      ...(all && {
        planes: Array.from({ length: this.channels }, (_, c) =>
          all.subarray(c * capacity, c * capacity + planes),
        ),
      }),
    };
  }

  /** Closes the file now (else it stays open until the handle is collected). */
  close(): void {
    audioAddon().close(this.#handle);
  }
}
