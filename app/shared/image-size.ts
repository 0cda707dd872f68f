// The type, width, height and colour depth of cover art from its first bytes: PNG, JPEG, GIF, WebP and
// BMP. The type a tag claims is never trusted: it is what a browser would act on (an SVG "cover" runs
// script). Pure: the library's migrations measure stored images with it too.

export interface ImageSize {
  readonly width: number;
  readonly height: number;
  /** Bits a pixel (24 for an RGB JPEG, 32 for an RGBA PNG), as a FLAC picture block states it. */
  readonly depth: number;
}

/** A PNG's channels by its colour type (gray, -, RGB, palette, gray+alpha, -, RGBA). */
const PNG_CHANNELS = [1, 0, 3, 1, 2, 0, 4];

/** `bytes[from, to)` as Latin-1 text: a format's magic. */
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

function jpegSize(b: Uint8Array, v: DataView): ImageSize | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = v.getUint16(i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size and its sample precision
    // and components.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: v.getUint16(i + 5), width: v.getUint16(i + 7), depth: b[i + 4]! * b[i + 9]! };
    }
    i += 2 + length;
  }
  return undefined;
}

function webpSize(b: Uint8Array, v: DataView): ImageSize | undefined {
  const kind = ascii(b, 12, 16);
  const uint24 = (at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
  // WebP decodes to RGB, or RGBA where it says it has an alpha channel.
  if (kind === 'VP8X')
    return { width: 1 + uint24(24), height: 1 + uint24(27), depth: b[20]! & 0x10 ? 32 : 24 };
  if (kind === 'VP8 ')
    return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff, depth: 24 };
  if (kind === 'VP8L') {
    const bits = v.getUint32(21, true);
    return {
      width: 1 + (bits & 0x3fff),
      height: 1 + ((bits >> 14) & 0x3fff),
      depth: bits & (1 << 28) ? 32 : 24,
    };
  }
  return undefined;
}

export function imageSize(b: Uint8Array): ImageSize | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 26 && v.getUint32(0) === 0x89504e47)
    return { width: v.getUint32(16), height: v.getUint32(20), depth: b[24]! * (PNG_CHANNELS[b[25]!] ?? 0) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpegSize(b, v);
  if (b.length >= 11 && ascii(b, 0, 4) === 'GIF8')
    return { width: v.getUint16(6, true), height: v.getUint16(8, true), depth: (b[10]! & 0x07) + 1 };
  if (b.length >= 30 && ascii(b, 0, 2) === 'BM')
    return {
      width: v.getInt32(18, true),
      height: Math.abs(v.getInt32(22, true)),
      depth: v.getUint16(28, true),
    };
  if (b.length >= 30 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return webpSize(b, v);
  return undefined;
}

/** The MIME type of a PNG, JPEG, GIF, WebP or BMP image by its magic bytes; undefined for anything else. */
export function imageMime(b: Uint8Array): string | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 8 && v.getUint32(0) === 0x89504e47 && v.getUint32(4) === 0x0d0a1a0a) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && /^GIF8[79]a$/.test(ascii(b, 0, 6))) return 'image/gif';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') return 'image/bmp';
  return undefined;
}
