// What the FLAC and ID3 header builders share: the picture description, and a header laid out as
// segments so that its size is known without the picture data (getattr must not read cover art) and
// size and bytes come from the same layout, so they cannot disagree.

export interface PictureSpec {
  readonly mime: string;
  /** ID3/FLAC picture type, 0–20 (3 = front cover). */
  readonly type: number;
  readonly description: string;
  readonly width: number | null;
  readonly height: number | null;
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

export function assemble(
  segments: readonly Segment[],
  pictures: readonly PictureSpec[],
  pictureData: readonly Uint8Array[],
): Buffer {
  if (pictureData.length !== pictures.length) {
    throw new RangeError(`${pictureData.length} picture data for ${pictures.length} pictures`);
  }
  const out = Buffer.alloc(segmentsLength(segments));
  let at = 0;
  for (const s of segments) {
    if (s instanceof Uint8Array) out.set(s, at);
    else if (s.picture !== undefined) {
      const data = pictureData[s.picture]!;
      if (data.length !== s.length) {
        throw new RangeError(`picture ${s.picture} has ${data.length} bytes, its spec says ${s.length}`);
      }
      out.set(data, at);
    }
    at += s.length;
  }
  return out;
}
