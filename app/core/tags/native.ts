// The shape the tag readers produce before normalization: tags by tag type (as music-metadata names
// them), in file order, plus embedded pictures.

export interface NativeTag {
  readonly id: string;
  readonly value: unknown;
}

export type NativeTags = Record<string, NativeTag[]>;

export interface RawPicture {
  readonly mime: string;
  /** ID3/FLAC picture type, 0–20 (3 = front cover). */
  readonly type: number;
  readonly description: string;
  readonly data: Uint8Array;
}

/** Thrown by a fast reader for input it deliberately leaves to the general parser (rare encodings). */
export class NotHandledHere extends Error {
  override name = 'NotHandledHere';
}

/**
 * A tag read strictly (write-back: a save through the mount) that does not parse completely; the message
 * says what is wrong, in plain words. The scan reads the same bytes leniently instead.
 */
export class DamagedTag extends Error {
  override name = 'DamagedTag';
}
