// One file → everything the library stores about it, from a bounded window of the file.
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type { ICommonTagsResult } from 'music-metadata';
import { NotHandledHere, type RawPicture } from '../tags/native.ts';
import { normalizeTags, type TagList } from '../tags/normalize.ts';
import { type AudioRange, AudioStructureError, flacAudioRange, mpegAudioRange } from './audio-range.ts';
import {
  type AudioProperties,
  type FastRead,
  type FlacKept,
  type OggKept,
  readFlac,
  readMpeg,
  readOgg,
  readOggFlac,
} from './fast-readers.ts';
import { type ByteWindow, FileWindow } from './file-window.ts';
import { imageMime, imageSize } from './image-size.ts';
import { oggDuration } from './ogg-duration.ts';
import { plausible } from './plausible.ts';
import { type AudioFormat, sniff } from './sniff.ts';
import { readTagsApart, type TagsApart } from './tags-apart.ts';
import { mp4CutBox, mp4Truncation, oggTruncation, sizedTo } from './truncation.ts';

/**
 * Raised whenever the readers record something they did not before (a new format's tags, a splice fact):
 * a rescan then reads again every file an older version read, even if the file did not change (its
 * fingerprint and embedding are kept: they depend on the audio only). 1: M4A/APEv2/WAV/AIFF/Ogg FLAC
 * tags read by Sleeve (Ogg FLAC's were not read at all), FLAC's kept blocks recorded. 2: Ogg Vorbis/Opus
 * audio ranges and what a regenerated header keeps (files.ogg_kept).
 */
export const READER_VERSION = 2;

export interface PictureRecord {
  readonly hash: string;
  readonly mime: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly bytes: number;
  readonly type: number;
  readonly description: string;
  /** Omitted when the same reader already sent these bytes (the receiver has them). */
  data?: Uint8Array;
}

export interface TrackRecord extends AudioProperties {
  readonly format: AudioFormat;
  readonly audioStart: number | null;
  readonly audioEnd: number | null;
  /** For FLAC read by the fast reader; null otherwise. */
  readonly flacKept: FlacKept | null;
  /** For Ogg Vorbis/Opus laid out as the specs say; null otherwise. */
  readonly oggKept: OggKept | null;
  readonly tags: TagList;
  readonly pictures: PictureRecord[];
  /** Problems that did not stop the file from being read (kept in files.warning). */
  readonly warnings: string[];
}

/** A file that cannot be read as audio; `message` is the specific reason kept in the library. */
export class UnreadableTrackError extends Error {
  override name = 'UnreadableTrackError';
  /** The content is not audio at all (as opposed to broken audio). */
  readonly notAudio: boolean;
  constructor(message: string, notAudio = false) {
    super(message);
    this.notAudio = notAudio;
  }
}

// ID3 picture types by name, as music-metadata reports them.
const PICTURE_TYPES = [
  'Other',
  "32x32 pixels 'file icon' (PNG only)",
  'Other file icon',
  'Cover (front)',
  'Cover (back)',
  'Leaflet page',
  'Media (e.g. label side of CD)',
  'Lead artist/lead performer/soloist',
  'Artist/performer',
  'Conductor',
  'Band/Orchestra',
  'Composer',
  'Lyricist/text writer',
  'Recording Location',
  'During recording',
  'During performance',
  'Movie/video screen capture',
  'A bright coloured fish',
  'Illustration',
  'Band/artist logotype',
  'Publisher/Studio logotype',
];

function pictureType(type: string | undefined): number {
  const i = type === undefined ? -1 : PICTURE_TYPES.indexOf(type);
  return i >= 0 ? i : 3;
}

function finite(n: number | undefined): number | null {
  return n !== undefined && Number.isFinite(n) ? n : null;
}

function ioReason(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'unreadable: the file vanished or is a broken symbolic link';
    case 'EACCES':
    case 'EPERM':
      return 'unreadable: permission denied';
    case 'EISDIR':
      return 'unreadable: is a directory';
    case 'EIO':
      return 'unreadable: I/O error';
    default:
      return `unreadable: ${err.code ?? err.message}`;
  }
}

/**
 * Reads one file. `seenArt` holds picture hashes this reader already sent, so an album's shared cover
 * crosses the thread boundary once. `disk`: the path's bytes when its name is not valid UTF-8 (`path` is
 * then the library's escaped text, used for its extension).
 */
export async function readTrack(
  path: string,
  seenArt: Set<string>,
  disk: string | Buffer = path,
): Promise<TrackRecord> {
  let window: FileWindow;
  try {
    window = FileWindow.open(disk);
  } catch (err) {
    throw new UnreadableTrackError(ioReason(err as NodeJS.ErrnoException));
  }
  try {
    return await readTrackWindow(window, path, seenArt);
  } finally {
    window.close();
  }
}

/** Reads a track from any byte view (`name` only hints at the format by its extension). */
export async function readTrackWindow(
  window: ByteWindow,
  name: string,
  seenArt: Set<string>,
): Promise<TrackRecord> {
  try {
    return await readOpenTrack(window, name, seenArt);
  } catch (err) {
    if (err instanceof UnreadableTrackError) throw err;
    if (err instanceof AudioStructureError) throw new UnreadableTrackError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code && e.syscall) throw new UnreadableTrackError(ioReason(e));
    if (e.name === 'EndOfStreamError')
      throw new UnreadableTrackError('truncated: the file ends inside its headers');
    throw new UnreadableTrackError(`corrupt: ${e.message}`);
  }
}

/** The general path: music-metadata, for every container (and for FLAC/MP3 the fast readers decline). */
/** What either reader returns; music-metadata also gives its common view, the fallback for small tag sets. */
type TrackRead = FastRead & { readonly common?: ICommonTagsResult };

async function readGeneral(window: ByteWindow, mimeType: string): Promise<TrackRead> {
  // Loaded on first use: a library of only FLAC and MP3 never pays for it.
  const [{ parseFromTokenizer }, { WindowTokenizer }] = await Promise.all([
    import('music-metadata'),
    import('./window-tokenizer.ts'),
  ]);
  const meta = await parseFromTokenizer(new WindowTokenizer(window, { mimeType }), {
    duration: false,
    skipCovers: false,
  }).catch((err: unknown) => {
    // music-metadata trusts sizes and counts: one reaching past its buffer ends in the engine's RangeError
    // ("Offset is outside the bounds of the DataView"), which says nothing about the file.
    if (err instanceof RangeError)
      throw new UnreadableTrackError('corrupt: a size or count in its headers reaches past their end');
    throw err;
  });
  const f = meta.format;
  if (f.hasAudio === false || (!f.sampleRate && !f.codec)) {
    throw new UnreadableTrackError('corrupt: no audio stream could be read');
  }
  return {
    properties: {
      codec: f.codec ?? null,
      lossless: f.lossless ?? null,
      sampleRate: finite(f.sampleRate),
      channels: finite(f.numberOfChannels),
      bitDepth: finite(f.bitsPerSample),
      duration: finite(f.duration),
      bitrate: f.bitrate ? Math.round(f.bitrate) : null,
    },
    native: meta.native,
    pictures: (meta.common.picture ?? []).map((p) => ({
      mime: p.format.includes('/') ? p.format : `image/${p.format.toLowerCase()}`,
      type: pictureType(p.type),
      description: p.description ?? '',
      data: p.data,
    })),
    common: meta.common,
  };
}

/** The general path with the tags Sleeve reads itself (tags-apart) taken out first, where it can. */
async function readTagsFirst(window: ByteWindow, format: AudioFormat, mimeType: string): Promise<TrackRead> {
  let own: TagsApart;
  try {
    own = readTagsApart(window, format);
  } catch (err) {
    if (!(err instanceof NotHandledHere)) throw err;
    return readGeneral(window, mimeType);
  }
  const general = await readGeneral(own.rest, mimeType);
  return {
    ...general,
    native: { ...general.native, ...own.native },
    pictures: [...general.pictures, ...own.pictures],
  };
}

function fastRead(
  window: ByteWindow,
  format: AudioFormat,
  offset: number,
  range: AudioRange | null,
): FastRead | undefined {
  try {
    if (format === 'ogg-vorbis' || format === 'opus') return readOgg(window, format);
    if (format === 'ogg-flac') return readOggFlac(window);
    if (!range) return undefined;
    if (format === 'flac') return readFlac(window, offset, range);
    if (format === 'mp3' || format === 'mp2') return readMpeg(window, range);
  } catch (err) {
    // A structure the fast reader knows is broken (a cut file) has its reason; unusual or damaged tags
    // give the general parser its chance (and the error if it fails too).
    if (err instanceof AudioStructureError) throw err;
  }
  return undefined;
}

function pictureRecords(
  pictures: readonly RawPicture[],
  seenArt: Set<string>,
  warnings: string[],
): PictureRecord[] {
  const records: PictureRecord[] = [];
  const hashes = new Set<string>();
  for (const pic of pictures) {
    const mime = imageMime(pic.data);
    if (!mime) {
      warnings.push(
        `cover art tagged ${JSON.stringify(pic.mime)} is not a JPEG, PNG, GIF, WebP or BMP image: not kept`,
      );
      continue;
    }
    const hash = createHash('sha256').update(pic.data).digest('hex');
    if (hashes.has(hash)) continue;
    hashes.add(hash);
    const size = imageSize(pic.data);
    const record: PictureRecord = {
      hash,
      mime,
      width: size?.width ?? null,
      height: size?.height ?? null,
      bytes: pic.data.byteLength,
      type: pic.type,
      description: pic.description,
    };
    if (!seenArt.has(hash)) {
      record.data = pic.data;
      seenArt.add(hash);
    }
    records.push(record);
  }
  return records;
}

async function readOpenTrack(window: ByteWindow, path: string, seenArt: Set<string>): Promise<TrackRecord> {
  const ext = extname(path).toLowerCase();
  const sniffed = sniff(window, ext === '.mp3' || ext === '.mp2');
  if (sniffed.kind === 'other') throw new UnreadableTrackError(sniffed.reason, true);
  const { format } = sniffed;
  const range =
    format === 'flac'
      ? flacAudioRange(window, sniffed.offset)
      : format === 'mp3' || format === 'mp2'
        ? mpegAudioRange(window, sniffed.offset)
        : null;
  const cutBox = format === 'm4a' ? mp4CutBox(window) : undefined;
  const read: TrackRead =
    fastRead(window, format, sniffed.offset, range) ??
    (await readTagsFirst(
      cutBox?.type === 'mdat' ? sizedTo(window, cutBox.end) : window,
      format,
      sniffed.mimeType,
    ));
  let { duration, bitrate } = read.properties;
  const ogg = format === 'ogg-vorbis' || format === 'opus' || format === 'ogg-flac';
  if (duration === null && ogg) {
    duration = oggDuration(window, format);
    bitrate ??= duration ? Math.round((window.size * 8) / duration) : null;
  }
  const warnings: string[] = [];
  const truncation =
    read.truncation ??
    (ogg
      ? oggTruncation(window, duration)
      : format === 'm4a'
        ? mp4Truncation(cutBox, window.size, duration)
        : undefined);
  if (truncation) {
    warnings.push(truncation.reason);
    duration = truncation.duration ?? duration;
  }
  return {
    format,
    ...plausible({ ...read.properties, duration, bitrate }, warnings),
    audioStart: (range ?? read.audioRange)?.start ?? null,
    audioEnd: (range ?? read.audioRange)?.end ?? null,
    flacKept: read.flacKept ?? null,
    oggKept: read.oggKept ?? null,
    tags: normalizeTags(read.native, read.common),
    pictures: pictureRecords(read.pictures, seenArt, warnings),
    warnings,
  };
}
