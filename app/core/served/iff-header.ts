// The head of a served WAV or AIFF file (docs/tag-formats.md: WAV and AIFF chunks): the form header with
// the served size, the original's chunks other than the audio, the tags and padding (copied as they
// are), then, made from the library, a LIST/INFO chunk (WAV) and an ID3v2.4 tag in an `id3 `/`ID3 `
// chunk, as Picard writes them. The original's audio chunk follows byte for byte.
import type { TagList } from '../tags/normalize.ts';
import { RIFF_INFO_ITEMS } from '../tags/tag-names.ts';
import { concatHoled, filled, type HoledHeader, holedLength, type PictureSpec } from './header-segments.ts';
import { holedId3Header, id3HeaderSize } from './id3v2-writer.ts';

export type IffForm = 'RIFF' | 'FORM';

export interface IffHeaderInput {
  readonly form: IffForm;
  /** Bytes of the original chunks copied (headers and pad bytes included). */
  readonly kept: number;
  readonly tags: TagList;
  readonly pictures: readonly PictureSpec[];
  /** The audio chunk's bytes, header and pad byte included. */
  readonly audioBytes: number;
}

function chunkHeader(form: IffForm, id: string, size: number): Buffer {
  const h = Buffer.alloc(8);
  h.write(id, 0, 'latin1');
  if (form === 'RIFF') h.writeUInt32LE(size, 4);
  else h.writeUInt32BE(size, 4);
  return h;
}

/** A chunk with its header and, for an odd size, its pad byte. */
function chunk(form: IffForm, id: string, body: Buffer): Buffer {
  return Buffer.concat([chunkHeader(form, id, body.length), body, Buffer.alloc(body.length & 1)]);
}

/** WAV's LIST/INFO chunk: one NUL-ended UTF-8 item per field INFO names (the field table's `riff`, in its
 *  order; values joined by "; "); none if empty. */
function infoChunk(tags: TagList): Buffer {
  const byKey = new Map(tags.map(([k, v]) => [k.toLowerCase(), v]));
  const items: Buffer[] = [];
  for (const [key, id] of RIFF_INFO_ITEMS) {
    const values = byKey.get(key);
    if (values?.length) items.push(chunk('RIFF', id, Buffer.from(`${values.join('; ')}\0`, 'utf8')));
  }
  return items.length
    ? chunk('RIFF', 'LIST', Buffer.concat([Buffer.from('INFO'), ...items]))
    : Buffer.alloc(0);
}

function id3Input(input: IffHeaderInput) {
  return { tags: input.tags, pictures: input.pictures, audioBytes: input.audioBytes };
}

/** The exact length of buildIffHeader's result, without the picture data. */
export function iffHeaderSize(input: IffHeaderInput): number {
  const id3 = id3HeaderSize(id3Input(input));
  const info = input.form === 'RIFF' ? infoChunk(input.tags).length : 0;
  return 12 + input.kept + info + 8 + id3 + (id3 & 1);
}

/**
 * `formType` (`WAVE`, `AIFF`, `AIFC`) and `kept` (the copied chunks, `input.kept` bytes) are the
 * original's; `pictureData[i]` holds `input.pictures[i].bytes` bytes.
 */
export function buildIffHeader(
  input: IffHeaderInput,
  original: { readonly formType: string; readonly kept: Buffer },
  pictureData: readonly Uint8Array[],
): Buffer {
  if (pictureData.length !== input.pictures.length) {
    throw new RangeError(`${pictureData.length} picture data for ${input.pictures.length} pictures`);
  }
  return filled(holedIffHeader(input, original), pictureData);
}

/** buildIffHeader's result with its pictures' places left as holes. */
export function holedIffHeader(
  input: IffHeaderInput,
  original: { readonly formType: string; readonly kept: Buffer },
): HoledHeader {
  const size = iffHeaderSize(input);
  const id3 = holedId3Header(id3Input(input));
  const id3Length = holedLength(id3);
  return concatHoled([
    chunkHeader(input.form, input.form, size + input.audioBytes - 8),
    Buffer.from(original.formType, 'latin1'),
    original.kept,
    input.form === 'RIFF' ? infoChunk(input.tags) : Buffer.alloc(0),
    chunkHeader(input.form, input.form === 'RIFF' ? 'id3 ' : 'ID3 ', id3Length),
    id3,
    Buffer.alloc(id3Length & 1), // the pad byte of an odd-sized chunk
  ]);
}
