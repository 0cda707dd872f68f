// WavPack's properties from its first block's header (WavPack 5 file format, 2.0: the 32-byte block
// header) and its trailing APEv2/ID3v1 tags. music-metadata walks every block to count the bytes of
// audio for a bit rate, reading the whole file (688 KiB of a 785 KiB track); this reads 32 bytes and the
// tags. Anything unusual — more than two channels (blocks per channel pair), DSD, floating point, a
// custom sample rate, an unknown length — is left to music-metadata.
import { type NativeTags, NotHandledHere, type RawPicture } from '../tags/native.ts';
import { trailingTagsStart } from './audio-range.ts';
import type { FastRead } from './fast-readers.ts';
import type { ByteWindow } from './file-window.ts';
import { addTrailingTags } from './tags-apart.ts';

/** The sample rates of the flags' 4-bit index (15: a custom rate, in a metadata sub-block). */
const RATES = [
  6000, 8000, 9600, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000, 192000,
];

const BYTES_PER_SAMPLE = 0x3;
const MONO = 1 << 2;
const HYBRID = 1 << 3;
const FLOAT = 1 << 7;
const INITIAL_AND_FINAL = (1 << 11) | (1 << 12);
const DSD = 1 << 31;

export function readWavPack(window: ByteWindow, strict = false): FastRead {
  const h = window.read(0, 32);
  if (h.length < 32 || h.toString('latin1', 0, 4) !== 'wvpk') throw new NotHandledHere('no block header');
  const version = h.readUInt16LE(8);
  const flags = h.readUInt32LE(24);
  const rateIndex = (flags >>> 23) & 0xf;
  const totalLow = h.readUInt32LE(12);
  if (version < 0x402 || version > 0x410) throw new NotHandledHere(`WavPack version ${version}`);
  if ((flags & INITIAL_AND_FINAL) !== INITIAL_AND_FINAL) throw new NotHandledHere('more than two channels');
  if (flags & (DSD | FLOAT) || rateIndex >= RATES.length)
    throw new NotHandledHere('DSD, float or custom rate');
  if (totalLow === 0xffffffff || h[10] !== 0 || h.readUInt32LE(16) !== 0)
    throw new NotHandledHere('an unknown length, or not the first block');
  const native: NativeTags = {};
  const pictures: RawPicture[] = [];
  const end = trailingTagsStart(window, window.size);
  addTrailingTags(window, end, native, pictures, strict);
  const sampleRate = RATES[rateIndex]!;
  const duration = (h[11]! * 2 ** 32 + totalLow) / sampleRate;
  return {
    properties: {
      codec: 'PCM',
      lossless: (flags & HYBRID) === 0,
      sampleRate,
      channels: flags & MONO ? 1 : 2,
      bitDepth: ((flags & BYTES_PER_SAMPLE) + 1) * 8,
      duration,
      // The whole stream, block headers included (music-metadata leaves 8 bytes of each out).
      bitrate: duration > 0 ? Math.round((end * 8) / duration) : null,
    },
    native,
    pictures,
  };
}
