// Uncompressed PCM in WAV (RIFF/RF64, little-endian) and AIFF/AIFF-C (big-endian): parsed and streamed
// here, no decoder needed.
import { open } from 'node:fs/promises';
import { type AudioSource, DecodeError, floatToS16, type PcmSink } from './pcm.ts';

interface Layout {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bits: number;
  readonly float: boolean;
  readonly bigEndian: boolean;
  readonly dataStart: number;
  readonly dataEnd: number;
}

const HEAD = 64 * 1024;
const CHUNK_FRAMES = 16384;

/** IEEE 754 80-bit extended (AIFF's sample rate). */
function extended(b: Uint8Array, o: number): number {
  const exp = ((b[o]! & 0x7f) << 8) | b[o + 1]!;
  let mant = 0;
  for (let i = 0; i < 8; i++) mant = mant * 256 + b[o + 2 + i]!;
  return mant * 2 ** (exp - 16383 - 63);
}

function parseLayout(head: Uint8Array, size: number): Layout {
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (o: number) => String.fromCharCode(...head.subarray(o, o + 4));
  const riff = tag(0) === 'RIFF' || tag(0) === 'RF64';
  const aiff = tag(0) === 'FORM' && (tag(8) === 'AIFF' || tag(8) === 'AIFC');
  if (!riff && !aiff) throw new DecodeError('not a WAV or AIFF file');
  let fmt: Omit<Layout, 'dataStart' | 'dataEnd'> | undefined;
  for (let o = 12; o + 8 <= head.length; ) {
    const id = tag(o);
    const len = riff ? v.getUint32(o + 4, true) : v.getUint32(o + 4, false);
    const body = o + 8;
    /** The chunk's first `bytes` are there to read (a damaged size or a cut file may leave them out). */
    const holds = (bytes: number) => {
      if (body + bytes > head.length) throw new DecodeError(`the "${id}" chunk is cut short`);
    };
    if (riff && id === 'fmt ') {
      holds(16);
      let code = v.getUint16(body, true);
      if (code === 0xfffe && len >= 26 && body + 26 <= head.length) code = v.getUint16(body + 24, true); // WAVE_FORMAT_EXTENSIBLE
      if (code !== 1 && code !== 3) throw new DecodeError(`unsupported WAV encoding (format ${code})`);
      fmt = {
        channels: v.getUint16(body + 2, true),
        sampleRate: v.getUint32(body + 4, true),
        bits: v.getUint16(body + 14, true),
        float: code === 3,
        bigEndian: false,
      };
    } else if (aiff && id === 'COMM') {
      holds(tag(8) === 'AIFC' ? 22 : 18);
      const compression = tag(8) === 'AIFC' ? tag(body + 18) : 'NONE';
      if (compression !== 'NONE' && compression !== 'twos' && compression !== 'fl32')
        throw new DecodeError(`unsupported AIFF-C compression "${compression}"`);
      fmt = {
        channels: v.getUint16(body, false),
        bits: v.getUint16(body + 6, false),
        sampleRate: Math.round(extended(head, body + 8)),
        float: compression === 'fl32',
        bigEndian: true,
      };
    } else if ((riff && id === 'data') || (aiff && id === 'SSND')) {
      if (!fmt) throw new DecodeError('the audio data comes before its format');
      if (aiff) holds(4);
      const start = aiff ? body + 8 + v.getUint32(body, false) : body;
      // RF64 and streamed WAVs give a placeholder length: the data runs to the end of the file.
      const end = len === 0xffffffff || len === 0 ? size : Math.min(size, body + len);
      return { ...fmt, dataStart: start, dataEnd: end };
    }
    o = body + len + (len & 1);
  }
  throw new DecodeError('no audio data chunk');
}

export async function decodePcmFile(source: AudioSource, sink: PcmSink): Promise<void> {
  const file = await open(source.path, 'r');
  try {
    const size = (await file.stat()).size;
    const head = new Uint8Array(HEAD);
    const { bytesRead } = await file.read(head, 0, HEAD, 0);
    const l = parseLayout(head.subarray(0, bytesRead), size);
    const width = l.bits / 8;
    if (!(l.float ? l.bits === 32 : [8, 16, 24, 32].includes(l.bits)) || l.channels < 1 || l.sampleRate < 1)
      throw new DecodeError(
        `unsupported PCM: ${l.bits}-bit${l.float ? ' float' : ''}, ${l.channels} channels`,
      );
    const frameBytes = width * l.channels;
    const buffer = new Uint8Array(CHUNK_FRAMES * frameBytes);
    for (let pos = l.dataStart; pos + frameBytes <= l.dataEnd; ) {
      const want = Math.min(buffer.length, l.dataEnd - pos);
      const got = (await file.read(buffer, 0, want, pos)).bytesRead;
      const frames = Math.floor(got / frameBytes);
      if (frames === 0) break;
      pos += frames * frameBytes;
      if (!sink({ sampleRate: l.sampleRate, planes: toPlanes(buffer, frames, l) })) return;
    }
  } finally {
    await file.close();
  }
}

/** Deinterleaves to FFmpeg's 16-bit view: 8-bit is unsigned (shifted up), wider ints keep their top
 *  16 bits, floats round like swresample. */
function toPlanes(buf: Uint8Array, frames: number, l: Layout): Int16Array[] {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const le = !l.bigEndian;
  const width = l.bits / 8;
  return Array.from({ length: l.channels }, (_, c) => {
    if (l.float) {
      const f = new Float32Array(frames);
      for (let i = 0; i < frames; i++) f[i] = v.getFloat32((i * l.channels + c) * 4, le);
      return floatToS16(f);
    }
    const out = new Int16Array(frames);
    if (l.bits === 16 && le) {
      for (let i = 0, o = c * 2; i < frames; i++, o += l.channels * 2)
        out[i] = buf[o]! | ((buf[o + 1]! << 24) >> 16);
      return out;
    }
    for (let i = 0; i < frames; i++) {
      const o = (i * l.channels + c) * width;
      switch (l.bits) {
        case 8:
          out[i] = l.bigEndian ? buf[o]! << 8 : (buf[o]! - 128) << 8; // AIFF 8-bit is signed
          break;
        case 16:
          out[i] = v.getInt16(o, le);
          break;
        case 24:
          out[i] = le ? v.getInt16(o + 1, true) : v.getInt16(o, false);
          break;
        default:
          out[i] = le ? v.getInt16(o + 2, true) : v.getInt16(o, false);
      }
    }
    return out;
  });
}
