// Tag edits written through the mount: when a writable handle is flushed, the written file is read
// back with the scanner's parsers, strictly (its tags must parse completely: a damaged or half-written
// tag is refused, never read around), its audio must be byte-identical to the original's, and whatever
// the tagger changed (compared with what that process read: reader-base.ts) is saved as one edit batch,
// merged by field where it is applied (app/core/library/save-merge.ts). What reads the
// original runs in its passes (original-file.ts): its mount's file lane reads it, with a deadline.

import { basename } from 'node:path';
import { UserError } from '../../../kit/user-error.ts';
import { FIELD_TABLE } from '../../shared/field-table.ts';
import { isValidTagKey, validateFieldValue } from '../../shared/fields.ts';
import { storedNumbers } from '../../shared/track-numbers.ts';
import { type PictureRef, pictureRefs as refs } from '../library/art.ts';
import type { PlannedArt, PlannedChange } from '../library/edits.ts';
import type { NewSave } from '../library/save-journal.ts';
import { type Layout, readServed } from '../library/served-layout.ts';
import { type OggKept, oggHeaderPackets } from '../media/fast-readers.ts';
import { mp4SampleDigests } from '../media/mp4-layout.ts';
import { artOverCap, type PictureRecord, readTrackWindow, type TrackRecord } from '../media/read-track.ts';
import { readOggOriginal } from '../served/ogg-original.ts';
import type { OriginalFile } from '../served/original-file.ts';
import type { TagList } from '../tags/normalize.ts';
import { oggPackets } from './ogg-packets.ts';
import type { ReadState } from './reader-base.ts';
import { type BaseReader, WriteOverlay } from './write-overlay.ts';

const COMPARE_CHUNK = 1024 * 1024;

/** The write cannot be taken in; nothing was changed. */
export class WriteRejected extends UserError {
  override name = 'WriteRejected';
  constructor(message: string) {
    super('bad_request', message);
  }
}

/** The served bytes of `layout`: its header, the original's audio, its trailer (read in its passes). */
export function servedBytes(layout: Layout, bytes: Buffer, original: OriginalFile): BaseReader {
  return (target, targetOffset, length, position) =>
    readServed(layout, bytes, original, target, targetOffset, length, position);
}

/** A writable handle as the commit needs it. */
export interface WrittenHandle {
  readonly layout: Layout;
  readonly header: Buffer;
  /** The original, opened read-only. */
  readonly original: OriginalFile;
}

/** What the writing process read of the file, given what is served now (reader-base.ts). */
export type ReadBy = (fileId: number, served: TrackRecord) => ReadState;

/**
 * Checks what was written and says what it changes relative to what the writer read (`readBy`): the save
 * to apply (undefined when no tag changed), the parsed written file as saved, and what the log should say
 * of values saved as text (a track number that reads as none, "A1") and of pictures refused (larger than
 * `maxArtBytes`). `path` is the served path (its extension hints at the format). Reads only: nothing here
 * waits for the library's write lock.
 */
export async function checkWrite(
  h: WrittenHandle,
  written: WriteOverlay,
  path: string,
  maxArtBytes: number,
  readBy: ReadBy,
): Promise<{ fileId: number; save: NewSave | undefined; after: TrackRecord; warnings: string[] }> {
  const name = basename(path);
  const { original } = h;
  const parsed = await original.pass(() => parse(written, name, 'the written file', true));
  if (parsed.audioStart === null || parsed.audioEnd === null) {
    throw new WriteRejected(
      'the audio of the written file cannot be located, so it cannot be checked against the original’s (a fragmented MP4, or a structure Sleeve does not splice)',
    );
  }
  await checkAudio(h.layout, written, parsed.audioStart, parsed.audioEnd, original);
  const served = new WriteOverlay(servedBytes(h.layout, h.header, original), h.layout.size);
  const { fileId } = h.layout.record;
  const before = readBy(fileId, await original.pass(() => parse(served, name, 'the served file')));
  const { kept, refused } = capPictures(before.pictures, parsed.pictures, maxArtBytes);
  // As saved: the writer's next save compares with this, so a refused picture is refused again.
  const after = {
    ...parsed,
    tags: parsed.tags.map(([k, v]): [string, string[]] => [k, beetsListSpelled(v) ?? v]),
    pictures: kept,
  };
  // Both read by the scanner's readers, so numbers compare as stored: TRCK "02/03" is the served 2 and 3.
  const changes = tagChanges(fileId, before.tags, after.tags);
  checkValues(changes);
  const { warnings } = storedNumbers(changes.map(({ key, after }) => ({ key, values: after })));
  const art = pictureChange(fileId, before.pictures, after.pictures);
  if (changes.length === 0 && !art) return { fileId, save: undefined, after, warnings: refused };
  warnings.push(...refused);
  const images = art
    ? after.pictures.flatMap(({ hash, mime, width, height, depth, bytes, data }) =>
        data ? [{ hash, mime, width, height, depth, bytes, data: Buffer.from(data).toString('base64') }] : [],
      )
    : [];
  const save: NewSave = {
    path,
    // What was refused is said where the batch is listed (history), not only in the mount's log.
    description: [`written through the mount: ${name}`, ...refused].join('; '),
    changes: changes.map((c) => ({ ...c, before: [...c.before], after: [...c.after] })),
    art: art ? [{ fileId: art.fileId, pictures: [...art.pictures], read: refs(before.pictures) }] : [],
    images,
    readAt: before.readAt,
    ...(before.readUntil === undefined ? {} : { readUntil: before.readUntil }),
    own: [...before.own],
  };
  return { fileId, save, after, warnings };
}

/** `strict` for what a tagger wrote: a damaged tag read leniently would save what it lost as cleared.
 *  Every picture is read, however large: `capPictures` decides which a save may bring in. */
async function parse(window: WriteOverlay, name: string, what: string, strict = false): Promise<TrackRecord> {
  try {
    return await readTrackWindow(window, name, new Set(), { strict, maxArtBytes: Number.POSITIVE_INFINITY });
  } catch (err) {
    throw new WriteRejected(`${what} cannot be read: ${(err as Error).message}`);
  }
}

/**
 * The written audio must be the original's, byte for byte; in Ogg, but for each page's sequence number
 * and checksum (a tagger whose comment needs another number of pages renumbers every page after it), or
 * packet for packet when the tagger laid the audio out on pages of its own (TagLib). In
 * MP4, the mdat payload and the sample tables, chunk offsets counted from the payload: a tagger moves
 * moov and shifts every offset.
 */
async function checkAudio(
  layout: Layout,
  written: WriteOverlay,
  start: number,
  end: number,
  original: OriginalFile,
) {
  const { kind } = layout.record;
  if (kind === 'mp4' && layout.headerSize + layout.trailerSize > 0) {
    return checkMp4(layout, written, start, end, original);
  }
  const length = layout.audioEnd - layout.audioStart;
  if ((kind === 'vorbis' || kind === 'opus' || kind === 'oggflac') && layout.headerSize > 0) {
    const moved = await original.pass(() => checkOggTail(layout, written, original));
    return checkOggAudio(layout, written, start, end, original, moved);
  }
  if (end - start !== length) {
    throw new WriteRejected(`the audio is ${end - start} bytes long where the original's is ${length}`);
  }
  return compareRange(written, start, original, layout.audioStart, length, layout.headerSize);
}

/** Ogg audio: the original's pages (renumbered at most), or failing that its packets laid out on pages
 *  anew (ogg-packets.ts), ending at the same granule position; first the packets `moved` off the last
 *  header page (checkOggTail). */
async function checkOggAudio(
  layout: Layout,
  written: WriteOverlay,
  start: number,
  end: number,
  original: OriginalFile,
  moved: readonly Buffer[],
) {
  if (moved.length === 0 && end - start === layout.audioEnd - layout.audioStart) {
    try {
      return await checkOggPages(layout, written, start, original);
    } catch (err) {
      if (!(err instanceof WriteRejected)) throw err;
    }
  }
  const mine = await oggPackets(
    (target, offset, length, position) =>
      original.pass(() => written.readInto(target, offset, length, position)),
    start,
    end,
  );
  if (typeof mine === 'string') throw new WriteRejected(`the written audio cannot be read: ${mine}`);
  const theirs = await oggPackets(
    (target, offset, length, position) => original.readFully(target, offset, length, position),
    layout.audioStart,
    layout.audioEnd,
    moved,
  );
  if (typeof theirs === 'string') throw new WriteRejected(`the original's audio cannot be read: ${theirs}`);
  if (mine.packets !== theirs.packets || mine.digest !== theirs.digest) {
    throw new WriteRejected(
      `the audio differs from the original's: ${mine.packets} Ogg packets where the original has ${theirs.packets}` +
        (mine.packets === theirs.packets ? ', some of them different' : ''),
    );
  }
  if (mine.granule !== theirs.granule) {
    throw new WriteRejected(
      `the audio ends at granule position ${mine.granule} where the original's ends at ${theirs.granule}`,
    );
  }
}

/** `start`–`end` is the written file's mdat payload. */
async function checkMp4(
  layout: Layout,
  written: WriteOverlay,
  start: number,
  end: number,
  original: OriginalFile,
) {
  const { record } = layout;
  const length = record.audioEnd - record.audioStart;
  if (end - start !== length) {
    throw new WriteRejected(
      `the mdat payload is ${end - start} bytes long where the original's is ${length}`,
    );
  }
  // Where the served file had the payload: a save that did not move or touch it kept it.
  const served = layout.headerSize + record.audioStart - layout.audioStart;
  await compareRange(written, start, original, record.audioStart, length, served);
  const same = await original.pass(() => {
    const mine = mp4SampleDigests(written);
    return mine !== undefined && mine.join() === mp4SampleDigests(original)?.join();
  });
  if (!same) {
    throw new WriteRejected(
      "the sample tables differ from the original's: the audio would not play the same",
    );
  }
}

/**
 * Compares `length` written bytes at `writtenAt` with the original's at `originalAt`; `servedAt` is where
 * the served file had those bytes (left there and not written over, they are the original's).
 */
async function compareRange(
  written: WriteOverlay,
  writtenAt: number,
  original: OriginalFile,
  originalAt: number,
  length: number,
  servedAt: number,
) {
  const mine = Buffer.allocUnsafe(COMPARE_CHUNK);
  const theirs = Buffer.allocUnsafe(COMPARE_CHUNK);
  for (let done = 0; done < length; done += COMPARE_CHUNK) {
    const n = Math.min(COMPARE_CHUNK, length - done);
    if (writtenAt === servedAt && !written.touched(writtenAt + done, writtenAt + done + n)) continue;
    await original.pass(() => written.readInto(mine, 0, n, writtenAt + done));
    const bytesRead = await original.readFully(theirs, 0, n, originalAt + done);
    if (bytesRead !== n || !mine.subarray(0, n).equals(theirs.subarray(0, n))) {
      throw new WriteRejected(`the audio differs from the original's at audio byte ${done} or after`);
    }
  }
}

/** Audio packets an old encoder put on the last header page (libVorbis up to 1.1) must be the written
 *  file's there too, or, those a tagger moved off it when the comment outgrew the page (mutagen, TagLib),
 *  the first of its audio: the ones moved, for checkOggAudio. */
function checkOggTail(layout: Layout, written: WriteOverlay, original: OriginalFile): Buffer[] {
  const kept = JSON.parse(layout.record.headerKept!) as OggKept;
  if (!kept.tail?.length) return [];
  const codec = layout.record.kind === 'opus' ? 'opus' : 'vorbis';
  let mine: Buffer[];
  try {
    mine = oggHeaderPackets(written, codec === 'opus' ? 2 : 3).tail;
  } catch (err) {
    throw new WriteRejected(`the written Ogg headers cannot be read: ${(err as Error).message}`);
  }
  const theirs = readOggOriginal(original, codec, kept, layout.audioStart).tail;
  if (mine.length > theirs.length || !mine.every((p, i) => p.equals(theirs[i]!))) {
    throw new WriteRejected('the audio packets on the last header page differ from the original’s');
  }
  return theirs.slice(mine.length);
}

const OGG_PAGE_MAX = 27 + 255 + 255 * 255;

/** Ogg audio page by page, each page's bytes 18–25 (sequence number, CRC) left out of the comparison. */
async function checkOggPages(layout: Layout, written: WriteOverlay, start: number, original: OriginalFile) {
  const length = layout.audioEnd - layout.audioStart;
  if (start === layout.headerSize && !written.touched(start, start + length)) return;
  const mine = Buffer.allocUnsafe(OGG_PAGE_MAX);
  const theirs = Buffer.allocUnsafe(OGG_PAGE_MAX);
  for (let done = 0; done < length; ) {
    const at = layout.audioStart + done;
    const head = await original.readFully(theirs, 0, Math.min(27 + 255, length - done), at);
    const segments = head >= 27 && theirs.toString('latin1', 0, 4) === 'OggS' ? theirs[26]! : -1;
    if (segments < 0 || head < 27 + segments) {
      // Not a page where one should start (the original's tail is not Ogg): compare the rest whole.
      const rest = length - done;
      return compareRange(
        written,
        start + done,
        original,
        layout.audioStart + done,
        rest,
        layout.headerSize + done,
      );
    }
    let pageLength = 27 + segments;
    for (let i = 0; i < segments; i++) pageLength += theirs[27 + i]!;
    const n = Math.min(pageLength, length - done);
    const bytesRead = await original.readFully(theirs, 0, n, at);
    await original.pass(() => written.readInto(mine, 0, n, start + done));
    if (n >= 26) {
      mine.fill(0, 18, 26);
      theirs.fill(0, 18, 26);
    }
    if (bytesRead !== n || !mine.subarray(0, n).equals(theirs.subarray(0, n))) {
      throw new WriteRejected(`the audio differs from the original's in the Ogg page at audio byte ${done}`);
    }
    done += n;
  }
}

/**
 * What a tagger wrote must pass the checks an edit from the CLI or the app passes: a valid key, values
 * that are text (random bytes in a tag area decode to replacement and control characters), and values
 * each known field accepts (a date that is a date; a track number that reads as none is kept as text).
 */
function checkValues(plan: readonly PlannedChange[]): void {
  for (const { key, after } of plan) {
    if (!isValidTagKey(key))
      throw new WriteRejected(`the written tags have an invalid field name ${JSON.stringify(key)}`);
    for (const value of after) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
      if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/.test(value))
        throw new WriteRejected(
          `${key}: the written value is not text (${JSON.stringify(value.slice(0, 40))})`,
        );
      const problem = validateFieldValue(key.toLowerCase(), value);
      if (problem) throw new WriteRejected(problem);
    }
  }
}

function valuesByKey(tags: TagList): Map<string, { key: string; values: string[] }> {
  return new Map(tags.map(([key, values]) => [key.toLowerCase(), { key, values }]));
}

/**
 * Whether a field reads back as the tagger's rendering of the same values: ID3v2.3 (Picard's option,
 * mutagen's v2_version=3) joins multi-values with "/" and keeps only the year of a date; a figure (the
 * field table's `figure`) is the same number however its sign, zeros and unit are written; iTunes' Sound
 * Check is never the user's (SOUND_CHECK).
 */
export function sameField(key: string, before: readonly string[], after: readonly string[]): boolean {
  if (SOUND_CHECK.has(key)) return true;
  const same = FIELD_TABLE[key]?.figure ? sameFigure : (a: string, b: string) => a === b;
  if (before.length === after.length && before.every((v, i) => same(v, after[i]!))) return true;
  if (before.length === 0) return after.every((v) => saysNone(key, v));
  if (after.length !== 1) return false;
  const only = after[0]!;
  if (before.length > 1 && only === before.join('/')) return true;
  return (key === 'date' || key === 'originaldate') && /^\d{4}$/.test(only) && before[0]!.startsWith(only);
}

/** beets 1.6 keeps a list field as the text of a Python list (albumtypes: "['album', 'live']") and writes
 *  it one character a value, as its tag library walks the text: "[", "'", "a"…. Such values are the list
 *  they spell (undefined: they are not one). */
export function beetsListSpelled(values: readonly string[]): string[] | undefined {
  if (values.length < 2 || values.some((v) => v.length !== 1)) return undefined;
  const text = values.join('');
  if (!/^\[(?:'[^']*'(?:, '[^']*')*)?\]$/.test(text)) return undefined;
  return [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
}

/** iTunes' Sound Check (iTunNORM: an ID3 comment of that description, an MP4 or Vorbis field), which beets
 *  and iTunes work out from the ReplayGain a file carries and write beside it: a save that adds, changes
 *  or drops it says nothing the user typed (the gain the mount serves moves it). */
const SOUND_CHECK = new Set(['comment:itunnorm', 'itunnorm']);

/** Whether `value` is what a tagger that writes every field it knows writes for one the file has none of
 *  (the field table's `zeroIsNone`: beets writes BPM 0, COMPILATION 0 and ORIGINALDATE 0000). */
function saysNone(key: string, value: string): boolean {
  const row = FIELD_TABLE[key];
  if (!row?.zeroIsNone) return false;
  return row.kind === 'date' ? /^0000(-00(-00)?)?$/.test(value.trim()) : /^\s*0+(\.0*)?\s*$/.test(value);
}

/** A decimal number, its sign and unit optional ("+0.32 dB", "0.32", "-7.230000 dB", "-18.00 LUFS"). */
const FIGURE = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(db|lufs|lu)?\s*$/i;

/** Whether two figures are one number (and one unit, where both name theirs). Exactly: a number that
 *  differs only past the digits one of them shows may still be the user's own value. */
function sameFigure(a: string, b: string): boolean {
  const [x, y] = [FIGURE.exec(a), FIGURE.exec(b)];
  if (!x || !y) return a === b;
  const unit = (m: RegExpExecArray) => m[2]?.toLowerCase();
  return Number(x[1]) === Number(y[1]) && (!unit(x) || !unit(y) || unit(x) === unit(y));
}

/** The fields the tagger changed: set, changed or removed. */
function tagChanges(fileId: number, before: TagList, after: TagList): PlannedChange[] {
  const was = valuesByKey(before);
  const now = valuesByKey(after);
  const plan: PlannedChange[] = [];
  for (const [k, { key, values }] of now) {
    const old = was.get(k)?.values ?? [];
    if (!sameField(k, old, values)) plan.push({ fileId, key, before: old, after: values });
  }
  for (const [k, { key, values }] of was) {
    if (!now.has(k) && !sameField(k, values, [])) plan.push({ fileId, key, before: values, after: [] });
  }
  return plan;
}

/**
 * The written pictures a save takes in: one the served file did not have that is larger than the cap is
 * left out (the rest of the save is kept), with the reason. One the library already holds stays, however
 * large (the cap lowered since it was taken in: a tag edit must not remove it).
 */
function capPictures(
  before: readonly PictureRef[],
  after: readonly PictureRecord[],
  maxArtBytes: number,
): { kept: PictureRecord[]; refused: string[] } {
  const had = new Set(before.map((p) => p.hash));
  const kept: PictureRecord[] = [];
  const refused: string[] = [];
  for (const p of after) {
    if (p.bytes > maxArtBytes && !had.has(p.hash)) refused.push(artOverCap(p.bytes, maxArtBytes));
    else kept.push(p);
  }
  return { kept, refused };
}

function pictureChange(
  fileId: number,
  before: readonly PictureRef[],
  after: readonly PictureRef[],
): PlannedArt | undefined {
  const [was, now] = [refs(before), refs(after)];
  if (JSON.stringify(was) === JSON.stringify(now)) return undefined;
  return { fileId, pictures: now };
}
