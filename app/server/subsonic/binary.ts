// The endpoints that answer with bytes: stream (the served file — the library's tags over the original's
// audio, as the mount serves it — with byte ranges, or transcoded by ffmpeg for `format` / `maxBitRate`,
// from `timeOffset`, through the backend's transcoder and its cap on processes, the library's tags written
// into it), download (the served file, always) and getCoverArt (at `size`). A failure before the first
// byte is answered as the protocol's error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../core/db/database.ts';
import type { ArtStore, PictureInfo } from '../../core/library/art.ts';
import type { CatalogTrack } from '../../core/library/catalog-groups.ts';
import { formatGain } from '../../shared/gain.ts';
import { imageMime } from '../../shared/image-size.ts';
import { AS_DATA, formatName, type MediaServices, openServedTrack, openTrack, sendBytes } from '../media.ts';
import { FLAC, type Output, serveTranscoded } from '../transcode.ts';
import { findAlbum, findArtist, findTrack } from './browse.ts';
import { type CoverSizes, MAX_SIDE } from './cover-size.ts';
import { ERROR, SubsonicError } from './errors.ts';
import { parseId, trackId } from './ids.ts';
import type { Params } from './params.ts';
import { artistAlbums, r128Text, replayGain, songTitle, suffixOf } from './shape.ts';
import type { View } from './view.ts';

/** What a client may ask a stream to be, each at a bit rate in kbps (FLAC's is what it is). */
export const OUTPUTS: Record<'mp3' | 'opus' | 'ogg' | 'aac' | 'flac', (kbps: number) => Output> = {
  mp3: (k) => ({ mime: 'audio/mpeg', args: ['-c:a', 'libmp3lame', '-b:a', `${k}k`, '-f', 'mp3'] }),
  opus: (k) => ({ mime: 'audio/ogg', args: ['-c:a', 'libopus', '-b:a', `${k}k`, '-f', 'ogg'] }),
  ogg: (k) => ({ mime: 'audio/ogg', args: ['-c:a', 'libvorbis', '-b:a', `${k}k`, '-f', 'ogg'] }),
  aac: (k) => ({ mime: 'audio/aac', args: ['-c:a', 'aac', '-b:a', `${k}k`, '-f', 'adts'] }),
  flac: () => FLAC,
};
/** The format a bit rate alone asks for. */
const DEFAULT_FORMAT: keyof typeof OUTPUTS = 'mp3';
const DEFAULT_KBPS = 192;
const MIN_KBPS = 32;
const MAX_KBPS = 320;

/** The transcode plan of a stream. */
export interface TranscodePlan {
  readonly kind: 'transcode';
  readonly format: string;
  readonly output: Output;
  readonly startS: number;
  /** The bit rate asked of the encoder, in kbps. */
  readonly kbps: number;
  /** Whether the client asked the length declared (estimateContentLength). */
  readonly estimate: boolean;
}

/** What the request's parameters ask of a file: its bytes as they are, or a transcode. */
export function streamPlan(
  p: Params,
  file: { format: string | null; bitrate: number | null; duration: number | null },
): { kind: 'original' } | TranscodePlan {
  const format = p.get('format');
  const maxKbps = p.int('maxBitRate', 0, 0, 100_000);
  const startS = p.decimal('timeOffset', 0, 24 * 3600) ?? 0;
  if (format === 'raw') return { kind: 'original' };
  // A stream from past the end would be a tag and no audio.
  if (file.duration !== null && startS > 0 && startS >= file.duration)
    throw new SubsonicError(
      ERROR.generic,
      `timeOffset ${startS} s is past the end of the track (${Math.floor(file.duration)} s long)`,
    );
  if (format !== undefined && !Object.hasOwn(OUTPUTS, format))
    throw new SubsonicError(
      ERROR.generic,
      `format "${format.slice(0, 20)}" is not one Sleeve streams: ${Object.keys(OUTPUTS).join(', ')} or raw`,
    );
  const fileKbps = file.bitrate === null ? null : file.bitrate / 1000;
  const overRate = maxKbps > 0 && (fileKbps === null || fileKbps > maxKbps);
  const sameFormat = format === undefined || format === suffixOf(file.format);
  if (sameFormat && !overRate && startS === 0) return { kind: 'original' };
  const target = (format ?? DEFAULT_FORMAT) as keyof typeof OUTPUTS;
  const kbps = Math.max(MIN_KBPS, Math.min(MAX_KBPS, maxKbps > 0 ? maxKbps : DEFAULT_KBPS));
  const estimate = p.bool('estimateContentLength', false);
  return { kind: 'transcode', format: target, output: OUTPUTS[target](kbps), startS, kbps, estimate };
}

/** Bytes an MP3 transcode may hold beyond its bit rate × duration: its ID3 tag's header and ffmpeg's
 *  own frame, the Xing frame, the encoder's delay and the last frame's padding (a frame is at most 1,441
 *  bytes: 320 kbps at 32 kHz), and a share of the rest for rounding. */
const MP3_FRAMES_OVER = 4 * 1441 + 1024;
const MP3_SHARE_OVER = 1.005;

/**
 * The length a transcode is declared to have when the client asks it estimated (estimateContentLength:
 * duration × bit rate, as the specification says and DSub and Ultrasonic read for progress and seeking),
 * its body then padded to it with zero bytes (transcode.ts). MP3 only: LAME at a bit rate is constant, so
 * its size is known to within a few frames, and MP3 decoders look for a frame's sync word and skip zeros.
 * Opus and Vorbis vary their rate with the music and a player reading an Ogg stream's duration from its
 * end finds no page in a long padding; AAC's encoder and FLAC vary too: those are sent as they come, with
 * no length. Undefined: none declared.
 */
export function estimatedLength(
  plan: TranscodePlan,
  durationS: number | null,
  /** The transcode's tags as ffmpeg's options (tagArgs). */
  tags: readonly string[],
): number | undefined {
  if (!plan.estimate || plan.format !== 'mp3' || durationS === null) return undefined;
  const seconds = Math.max(0, durationS - plan.startS);
  // Each tag is an ID3v2 frame: a 10-byte header, an encoding byte, its text (UTF-8 at most 2× in UTF-16).
  const values = tags.filter((arg) => arg !== '-metadata');
  const tagBytes = values.reduce((n, arg) => n + 11 + 2 * Buffer.byteLength(arg), 10);
  return Math.ceil(seconds * plan.kbps * 125 * MP3_SHARE_OVER) + MP3_FRAMES_OVER + tagBytes;
}

export type Fail = (err: SubsonicError, status?: number) => void;

/** ffmpeg's names for the fields a transcode carries (its muxers map them: ID3 frames in MP3, comments in
 *  Ogg and Opus; ADTS AAC carries none); the rest of the library's fields stay with the served file. */
const FFMPEG_KEYS: Readonly<Partial<Record<keyof CatalogTrack['tags'], string>>> = {
  title: 'title',
  artist: 'artist',
  album: 'album',
  albumartist: 'album_artist',
  tracknumber: 'track',
  discnumber: 'disc',
  date: 'date',
  genre: 'genre',
  composer: 'composer',
};

/** A song's tags as ffmpeg's -metadata options (several values joined with "; "), and the gain it is
 *  served with (shape.ts's replayGain: an Opus file's R128 too) as ReplayGain, and in an Opus transcode
 *  also as RFC 7845's R128_*_GAIN, which Opus players (opusfile's) read instead. */
function tagArgs(t: CatalogTrack, format: string): string[] {
  const tags = Object.entries(FFMPEG_KEYS).flatMap(([key, name]) => {
    const values = t.tags[key as keyof CatalogTrack['tags']];
    return values && values.length > 0 ? ['-metadata', `${name}=${values.join('; ')}`] : [];
  });
  const g = replayGain(t);
  const put = (name: string, value: string | undefined) =>
    value === undefined ? [] : ['-metadata', `${name}=${value}`];
  const gain = (db: number | undefined) => (db === undefined ? undefined : formatGain(db));
  const peak = (ratio: number | undefined) => ratio?.toFixed(6);
  const r128 = (db: number | undefined) => (db === undefined || format !== 'opus' ? undefined : r128Text(db));
  return [
    ...tags,
    ...put('REPLAYGAIN_TRACK_GAIN', gain(g?.trackGain)),
    ...put('REPLAYGAIN_TRACK_PEAK', peak(g?.trackPeak)),
    ...put('REPLAYGAIN_ALBUM_GAIN', gain(g?.albumGain)),
    ...put('REPLAYGAIN_ALBUM_PEAK', peak(g?.albumPeak)),
    ...put('R128_TRACK_GAIN', r128(g?.trackGain)),
    ...put('R128_ALBUM_GAIN', r128(g?.albumGain)),
  ];
}

/** Why a song cannot be sent, in words that name no path on the server's disk (media.ts's reasons do:
 *  they are for the app on this machine). */
function refuse(status: number, fileId: number, fail: Fail): void {
  const id = trackId(fileId);
  const reason =
    status === 504
      ? `song ${id}: its disk does not answer (a network share or disk that stopped responding); try again later`
      : status === 409
        ? `song ${id} changed on the server's disk since it was scanned: the library needs a rescan`
        : `song ${id} cannot be read from the server's disk now (missing, or unreadable since it was scanned)`;
  fail(new SubsonicError(ERROR.notFound, reason), status);
}

export async function stream(
  db: Db,
  media: MediaServices,
  view: View,
  p: Params,
  req: IncomingMessage,
  res: ServerResponse,
  fail: Fail,
  download = false,
): Promise<void> {
  const track = findTrack(view, p.required('id'));
  const plan = download ? ({ kind: 'original' } as const) : streamPlan(p, track);
  if (plan.kind === 'original') return sendServed(db, media, track, req, res, fail, download);
  const length = estimatedLength(plan, track.duration, tagArgs(track, plan.format));
  await sendTranscode(db, media, track, { ...plan, length }, req, res, fail);
}

/** A song as the mount serves it, with byte ranges: a phone's offline copy, or a file saved from a share's
 *  page, carries the library's tags and ReplayGain. */
export async function sendServed(
  db: Db,
  media: MediaServices,
  track: CatalogTrack,
  req: IncomingMessage,
  res: ServerResponse,
  fail: Fail,
  download: boolean,
): Promise<void> {
  const served = await openServedTrack(db, media, track.id);
  if (Array.isArray(served)) return refuse(served[0], track.id, fail);
  const name = `${songTitle(track)}.${suffixOf(track.format)}`;
  try {
    await sendBytes(
      req,
      res,
      served.file,
      served.row.format,
      download ? { 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` } : {},
    );
  } finally {
    served.file.close();
  }
}

/** A song transcoded by ffmpeg to `plan.output` from `plan.startS` seconds, with the library's tags. */
export async function sendTranscode(
  db: Db,
  media: MediaServices,
  track: CatalogTrack,
  plan: {
    readonly format: string;
    readonly output: Output;
    readonly startS: number;
    readonly length?: number;
  },
  req: IncomingMessage,
  res: ServerResponse,
  fail: Fail,
): Promise<void> {
  const opened = await openTrack(db, media, track.id);
  if (Array.isArray(opened)) return refuse(opened[0], track.id, fail);
  const { row, file } = opened;
  // The library's tags, as the served file has them, written by ffmpeg where the format carries tags.
  const output = { ...plan.output, args: [...tagArgs(track, plan.format), ...plan.output.args] };
  try {
    await serveTranscoded(
      req,
      res,
      { input: file.fd, format: formatName(row), startS: plan.startS, output, length: plan.length },
      media.transcodes,
      { ...AS_DATA, 'Cache-Control': 'no-store' },
      (status, reason) => fail(new SubsonicError(ERROR.generic, reason), status),
    );
  } finally {
    file.close();
  }
}

/** The front cover among a file's pictures, else its first. */
const front = (pictures: readonly PictureInfo[]) => pictures.find((p) => p.type === 3) ?? pictures[0];

export async function coverArt(
  art: ArtStore,
  sizes: CoverSizes,
  view: View,
  p: Params,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const id = p.required('id');
  const { kind } = parseId(id, ['tr', 'al', 'ar']);
  // A size of 0, or larger than covers are scaled to, is taken as asking for the largest there is: the
  // picture as stored. A client that asks so is served, not refused.
  const asked = p.int('size', 0, 0, Number.POSITIVE_INFINITY);
  const size = asked > 0 && asked <= MAX_SIDE ? asked : undefined;
  const fileId =
    kind === 'tr'
      ? findTrack(view, id).id
      : (kind === 'al' ? findAlbum(view, id) : artistAlbums(findArtist(view, id)).find((a) => a.artTrack))
          ?.artTrack?.id;
  const picture = fileId === undefined ? undefined : front(art.pictures(fileId));
  if (!picture) throw new SubsonicError(ERROR.notFound, `${id} has no cover art`);
  const stored = art.data(picture.hash);
  const smaller = size !== undefined && Math.max(picture.width ?? 0, picture.height ?? 0) > size;
  const pixels = picture.width && picture.height ? picture.width * picture.height : undefined;
  const data = (smaller && (await sizes.resized(picture.hash, stored, size, pixels))) || stored;
  const mime = imageMime(data);
  if (!mime) throw new SubsonicError(ERROR.notFound, `${id}'s cover is not an image Sleeve can send`);
  const etag = `"${picture.hash}-${data === stored ? 'stored' : size}"`;
  const headers = { ...AS_DATA, 'Content-Type': mime, 'Cache-Control': 'private, max-age=86400', ETag: etag };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(data.length) });
  res.end(req.method === 'HEAD' ? undefined : data);
}
