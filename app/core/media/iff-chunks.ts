// RIFF (WAV) and FORM (AIFF/AIFC) chunk structure (docs/tag-formats.md: WAV and AIFF chunks): a 12-byte
// header (`RIFF`/`FORM`, the size of what follows, the form type), then chunks of a 4-character id, a u32
// size (little-endian in RIFF, big-endian in FORM) and the body, padded to an even length.
import type { ByteWindow } from './file-window.ts';

export interface IffChunk {
  readonly id: string;
  readonly start: number;
  readonly bodyStart: number;
  /** The body's end, without the pad byte. */
  readonly end: number;
}

export interface IffFile {
  readonly form: 'RIFF' | 'FORM';
  /** `WAVE`, `AIFF` or `AIFC`. */
  readonly type: string;
  readonly chunks: IffChunk[];
}

/** The file's top-level chunks, or undefined if it is not RIFF/FORM or a size cannot be followed. */
export function iffChunks(window: ByteWindow): IffFile | undefined {
  const head = window.read(0, 12);
  const form = head.toString('latin1', 0, 4);
  if (head.length < 12 || (form !== 'RIFF' && form !== 'FORM')) return undefined;
  const little = form === 'RIFF';
  const chunks: IffChunk[] = [];
  let at = 12;
  while (at + 8 <= window.size) {
    const h = window.read(at, 8);
    const size = little ? h.readUInt32LE(4) : h.readUInt32BE(4);
    const end = at + 8 + size;
    // A cut last chunk (often the audio) is still listed; its reader decides what that means.
    chunks.push({
      id: h.toString('latin1', 0, 4),
      start: at,
      bodyStart: at + 8,
      end: Math.min(end, window.size),
    });
    if (end > window.size) break;
    at = end + (size & 1);
  }
  return { form, type: head.toString('latin1', 8, 12), chunks };
}

/** Chunks holding tags, which a served header replaces and music-metadata is not shown. */
export function isTagChunk(file: IffFile, chunk: IffChunk, listType: string | undefined): boolean {
  const { id } = chunk;
  if (id === 'id3 ' || id === 'ID3 ') return true;
  if (file.form === 'RIFF') return id === 'LIST' && listType === 'INFO';
  return id === 'NAME' || id === 'AUTH' || id === '(c) ' || id === 'ANNO';
}

/** Padding chunks, which a served header leaves out. */
function isPadding(chunk: IffChunk): boolean {
  return chunk.id === 'JUNK' || chunk.id === 'PAD ' || chunk.id === 'FLLR';
}

export interface IffLayout {
  /** The audio chunk (`data` or `SSND`), its 8-byte header and pad byte included. */
  readonly audio: { readonly start: number; readonly end: number };
  /** The chunks a served header copies (all but the audio, tags and padding), in file order. */
  readonly keptChunks: IffChunk[];
  /** Their bytes, headers and pad bytes included. */
  readonly kept: number;
}

/** A chunk's bytes with its pad byte (when the file has it). */
export function paddedEnd(chunk: IffChunk, fileSize: number): number {
  return Math.min(chunk.end + ((chunk.end - chunk.bodyStart) & 1), fileSize);
}

/** Where a WAV's or AIFF's audio chunk is and what else a served header keeps; undefined when the
 *  audio chunk is missing, repeated or cut short (the file is then served as it is). */
export function iffLayout(window: ByteWindow, file: IffFile): IffLayout | undefined {
  const audioId = file.form === 'RIFF' ? 'data' : 'SSND';
  const audio = file.chunks.filter((c) => c.id === audioId);
  if (audio.length !== 1) return undefined;
  const chunk = audio[0]!;
  if (chunk.end - chunk.bodyStart !== declaredSize(window, file, chunk)) return undefined;
  // An odd-sized chunk is followed by a pad byte, which some writers leave off at the end of the file.
  const end = paddedEnd(chunk, window.size);
  let kept = 0;
  const keptChunks: IffChunk[] = [];
  for (const c of file.chunks) {
    if (c === chunk || isPadding(c)) continue;
    const listType = c.id === 'LIST' ? window.read(c.bodyStart, 4).toString('latin1') : undefined;
    if (isTagChunk(file, c, listType)) continue;
    if (c.end !== c.bodyStart + declaredSize(window, file, c)) return undefined;
    kept += paddedEnd(c, window.size) - c.start;
    keptChunks.push(c);
  }
  return { audio: { start: chunk.start, end }, keptChunks, kept };
}

function declaredSize(window: ByteWindow, file: IffFile, chunk: IffChunk): number {
  const h = window.read(chunk.start + 4, 4);
  return file.form === 'RIFF' ? h.readUInt32LE(0) : h.readUInt32BE(0);
}
