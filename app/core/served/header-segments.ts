// What the FLAC, ID3 and MP4 header builders share: the picture description, and a header laid out as
// segments so that its size is known without the picture data (getattr must not read cover art) and
// size and bytes come from the same layout, so they cannot disagree; built whole, or with its pictures'
// and its padding's places left as holes for the mount to fill (pictures from the library, padding with
// zeros).

export interface PictureSpec {
  readonly mime: string;
  /** ID3/FLAC picture type, 0–20 (3 = front cover). */
  readonly type: number;
  readonly description: string;
  readonly width: number | null;
  readonly height: number | null;
  /** Bits a pixel; null when not known (then the size is written as unknown too: every field 0). */
  readonly depth: number | null;
  /** Length of the image data. */
  readonly bytes: number;
}

/** `length` bytes filled when the header is built: picture `picture`'s data, or zeros (padding). */
export interface Reserved {
  readonly length: number;
  readonly picture?: number;
}

export type Segment = Uint8Array | Reserved;

export function segmentsLength(segments: readonly Segment[]): number {
  let n = 0;
  for (const s of segments) n += s.length;
  return n;
}

/** `length` bytes at `at` not held: picture `picture`'s data, or zeros (padding) when it has none. */
export interface Hole {
  readonly at: number;
  readonly length: number;
  readonly picture?: number;
}

/**
 * A header without its pictures' data and its padding: its own bytes, with each picture's and each
 * padding's place cut out (`holes`, in order, at their positions in the whole header). The mount serves
 * it so, reading each picture from the library as a reader reaches it: it caches no art (a cover shared
 * by an album is stored once), and no padding (most of a served FLAC's header: 0.5 % of its audio).
 */
export interface HoledHeader {
  readonly bytes: Buffer;
  readonly holes: readonly Hole[];
}

/** The segments' bytes, their pictures and padding left as holes. */
export function holed(segments: readonly Segment[]): HoledHeader {
  const holes: Hole[] = [];
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const s of segments) {
    if (s instanceof Uint8Array) parts.push(s);
    else if (s.length > 0) holes.push({ ...s, at });
    at += s.length;
  }
  return { bytes: Buffer.concat(parts), holes };
}

/** The holed header's total length: its bytes and its holes. */
export function holedLength(header: HoledHeader): number {
  return header.holes.reduce((n, h) => n + h.length, header.bytes.length);
}

/** Headers (or plain bytes) one after another, as one holed header. */
export function concatHoled(parts: ReadonlyArray<HoledHeader | Uint8Array>): HoledHeader {
  const holes: Hole[] = [];
  let at = 0;
  for (const part of parts) {
    if (part instanceof Uint8Array) at += part.length;
    else {
      for (const h of part.holes) holes.push({ ...h, at: at + h.at });
      at += holedLength(part);
    }
  }
  return { bytes: Buffer.concat(parts.map((p) => (p instanceof Uint8Array ? p : p.bytes))), holes };
}

/** The whole header: its holes filled with their pictures' data (`pictureData[hole.picture]`) or zeros. */
export function filled(header: HoledHeader, pictureData: readonly Uint8Array[]): Buffer {
  const out = Buffer.alloc(holedLength(header));
  let from = 0; // the next of header.bytes
  let at = 0; // the next of out
  for (const h of header.holes) {
    const own = h.at - at; // the header's own bytes before this hole
    header.bytes.copy(out, at, from, from + own);
    from += own;
    at += own;
    if (h.picture !== undefined) {
      const data = pictureData[h.picture];
      if (data?.length !== h.length) {
        throw new RangeError(`picture ${h.picture} has ${data?.length} bytes, its spec says ${h.length}`);
      }
      out.set(data, at);
    } // else padding: out is zeroed
    at += h.length;
  }
  header.bytes.copy(out, at, from);
  return out;
}

export function assemble(
  segments: readonly Segment[],
  pictures: readonly PictureSpec[],
  pictureData: readonly Uint8Array[],
): Buffer {
  if (pictureData.length !== pictures.length) {
    throw new RangeError(`${pictureData.length} picture data for ${pictures.length} pictures`);
  }
  return filled(holed(segments), pictureData);
}
