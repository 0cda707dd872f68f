// Tags of containers whose audio properties music-metadata reads (M4A, WavPack, Monkey's Audio, WAV,
// AIFF), read by Sleeve: music-metadata's common view is quadratic in the values of one field (100k
// ARTIST values took ~15 s). music-metadata then gets a view of the file with those tags hidden.

import type { AudioFormat } from '../../shared/format-table.ts';
import { parseId3v1, parseId3v2 } from '../tags/id3-reader.ts';
import { readAiffText, readRiffInfo } from '../tags/iff-text.ts';
import { DamagedTag, type NativeTags, NotHandledHere, type RawPicture } from '../tags/native.ts';
import { readApeTag } from './apev2-reader.ts';
import { trailingTags } from './audio-range.ts';
import { type ByteWindow, withBytes } from './file-window.ts';
import { iffChunks, isTagChunk } from './iff-chunks.ts';
import { findIlst } from './mp4-boxes.ts';
import { readIlst } from './mp4-ilst.ts';
import { sizedTo } from './truncation.ts';

export interface TagsApart {
  readonly native: NativeTags;
  readonly pictures: RawPicture[];
  /** The file as music-metadata should see it: without the tags read here. */
  readonly rest: ByteWindow;
}

// A chunk id no reader takes for tags: RIFF's own name for padding.
const HIDDEN = Buffer.from('JUNK');

/**
 * The ID3v1 and APEv2 tags between `from` and the end of the file; any other trailing tag (Lyrics3, an
 * appended ID3v2) is left to the general parser, or refused when `strict` (read-track's ReadOptions).
 */
export function addTrailingTags(
  window: ByteWindow,
  from: number,
  native: NativeTags,
  pictures: RawPicture[],
  strict = false,
): void {
  if (from === window.size) return;
  const found = trailingTags(window, window.size);
  if (found.at(-1)?.start !== from) throw new NotHandledHere('unrecognized bytes after the audio');
  for (const tag of found) {
    if (tag.kind === 'id3v1') {
      const v1 = parseId3v1(window.read(tag.start, 128));
      if (v1 && v1.length > 0) native.ID3v1 = v1;
    } else if (tag.kind === 'apev2') {
      const ape = readApeTag(window, tag.end);
      native.APEv2 = ape.tags;
      pictures.push(...ape.pictures);
    } else if (strict)
      throw new DamagedTag(`the file ends with a ${tag.kind} tag, which Sleeve does not read`);
    else throw new NotHandledHere(`a trailing ${tag.kind} tag`);
  }
}

/** WAV's `LIST/INFO` and `id3 ` chunks, AIFF's `ID3 ` and text chunks; each read is hidden as `JUNK`.
 *  `strict`: as read-track's ReadOptions, and one ID3 chunk at most (readers pick different ones). */
function iffTags(
  window: ByteWindow,
  native: NativeTags,
  pictures: RawPicture[],
  strict: boolean,
): ByteWindow {
  const iff = iffChunks(window);
  if (!iff) throw new NotHandledHere('no RIFF or FORM structure');
  const id3Chunks = iff.chunks.filter((c) => c.id === 'id3 ' || c.id === 'ID3 ').length;
  if (strict && id3Chunks > 1) throw new DamagedTag(`the file has ${id3Chunks} ID3 chunks`);
  const cset = iff.chunks.find((c) => c.id === 'CSET');
  const codePage =
    cset && cset.end - cset.bodyStart >= 2 ? window.read(cset.bodyStart, 2).readUInt16LE(0) : undefined;
  let rest = window;
  for (const chunk of iff.chunks) {
    const id = chunk.id;
    const listType = id === 'LIST' ? window.read(chunk.bodyStart, 4).toString('latin1') : undefined;
    if (!isTagChunk(iff, chunk, listType)) continue;
    const body = window.read(chunk.bodyStart, chunk.end - chunk.bodyStart);
    if (listType === 'INFO')
      native.exif = [...(native.exif ?? []), ...readRiffInfo(body.subarray(4), codePage)];
    else if (id !== 'id3 ' && id !== 'ID3 ')
      native.AIFF = [...(native.AIFF ?? []), ...readAiffText(id, body)];
    else {
      const tag = parseId3v2(body, strict);
      native[tag.type] = tag.tags;
      pictures.push(...tag.pictures);
    }
    rest = withBytes(rest, chunk.start, HIDDEN);
  }
  return rest;
}

/** The tags Sleeve reads itself for `format`; NotHandledHere leaves the whole file to music-metadata.
 *  `strict`: as read-track's ReadOptions. */
export function readTagsApart(window: ByteWindow, format: AudioFormat, strict = false): TagsApart {
  const native: NativeTags = {};
  const pictures: RawPicture[] = [];
  let rest = window;
  if (format === 'm4a') {
    const ilst = findIlst(window);
    if (ilst) {
      const own = readIlst(window, ilst);
      native.iTunes = own.tags;
      pictures.push(...own.pictures);
      rest = withBytes(window, ilst.start + 4, Buffer.from('free'));
    }
  } else if (format === 'wavpack' || format === 'ape' || format === 'musepack') {
    const found = trailingTags(window, window.size);
    const end = found.at(-1)?.start ?? window.size;
    addTrailingTags(window, end, native, pictures, strict);
    rest = sizedTo(window, end);
  } else if (format === 'wav' || format === 'aiff') {
    rest = iffTags(window, native, pictures, strict);
  } else throw new NotHandledHere(`${format} tags`);
  return { native, pictures, rest };
}
