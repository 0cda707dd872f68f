// /media/:id streams a track by library id (never by a path the client names): a file the browser plays
// (app/shared/playable.ts) as it is, with HTTP Range so a player can seek; any other transcoded as it goes
// (transcode.ts), from `?start=` seconds. Every refusal says its cause in the body, for the player to show.
// The original is opened and read in its mount's file lane (kit/file-lanes.ts), never on the main thread
// nor in libuv's pool: a stalled share fails its own tracks past a deadline, and nothing else.
// /art/:hash serves a stored cover image, immutable by its hash.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { type FileLanes, type OpenFile, StalledError } from '../../kit/file-lanes.ts';
import type { Db } from '../core/db/database.ts';
import type { ServedFile, ServedFiles } from '../core/library/served-file.ts';
import { mimeTypeOf } from '../core/media/sniff.ts';
import { OriginalChangedError } from '../core/served/flac-original.ts';
import { imageMime } from '../shared/image-size.ts';
import { playsAsIs } from '../shared/playable.ts';
import { FLAC, serveTranscoded, type TranscodeSlots } from './transcode.ts';

/** Bytes from a user's files are data, never a page: no sniffing into HTML, no script, no plugins. */
export const AS_DATA = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
};

export type ByteRange = { start: number; end: number };

/**
 * The one range of a `Range: bytes=…` header, inclusive; 'unsatisfiable' (416) when it lies past the end,
 * undefined when the header is absent or not one byte range (then the whole file is served, as RFC 9110 allows).
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  const m = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (size === 0) return 'unsatisfiable';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export function sendError(res: ServerResponse, status: number, reason: string): undefined {
  if (res.destroyed) return; // the client is gone: nobody to tell
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${reason}\n`);
}

export interface MediaRow {
  readonly path: string;
  readonly disk: string | Buffer;
  readonly format: string | null;
  readonly codec: string | null;
  readonly status: string;
  readonly error: string | null;
}

/** A format as a reason names it: an M4A's or a WAV's codec decides whether the browser plays it. */
export function formatName(file: MediaRow): string {
  const format = file.format ?? 'unknown';
  return (format === 'm4a' || format === 'wav') && file.codec ? `${format} (${file.codec})` : format;
}

/** `?start=`: seconds into the track, where a transcoded stream begins. */
function startSeconds(text: string | null): number | undefined {
  if (text === null) return 0;
  return /^\d{1,6}(\.\d{1,6})?$/.test(text) ? Number(text) : undefined;
}

/** Bytes read at a time from a file served as it is. */
const CHUNK_BYTES = 64 * 1024;

/** What serves the tracks: the originals' file lanes, the served files over them and the transcodes. */
export interface MediaServices {
  readonly files: FileLanes;
  readonly served: ServedFiles;
  readonly transcodes: TranscodeSlots;
}

/** Why an original could not be opened, in the words the player shows. */
function openRefusal(err: unknown, path: string): [number, string] {
  const stalled = err instanceof StalledError ? err : (err as Error | undefined)?.cause;
  if (stalled instanceof StalledError)
    return [
      504,
      `the file does not answer: ${stalled.message} (a network share or disk that stopped responding): ${path}`,
    ];
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENOTREG')
    return [404, `the file is missing: ${path}`];
  return [404, `the file cannot be opened (${code ?? (err as Error).message}): ${path}`];
}

/** What is sent with byte ranges: a served file (its header over its audio), and which version of it. */
interface ByteSource {
  readonly size: number;
  readonly mtimeMs: number;
  /** Its strong entity tag: a new header (an edit, new album figures) is a new version of the bytes. */
  readonly etag: string;
  read(position: number, length: number): Promise<Buffer>;
}

/**
 * The range to send, if any: none when `If-Range` names another version (RFC 9110 §13.1.5), so a player
 * that seeks after the header changed gets the new file whole rather than its bytes stitched onto the
 * old one's. A date there is not a strong validator of bytes that change within a second: the whole file.
 */
function rangeToSend(req: IncomingMessage, file: ByteSource): ReturnType<typeof parseRange> {
  const ifRange = req.headers['if-range'];
  if (ifRange !== undefined && String(ifRange).trim() !== file.etag) return undefined;
  return parseRange(req.headers.range, file.size);
}

/** The file's bytes from `start` to `end` (inclusive), each read in its lane with its deadline. */
async function* bytesOf(file: ByteSource, start: number, end: number): AsyncGenerator<Buffer> {
  for (let at = start; at <= end; ) {
    const chunk = await file.read(at, Math.min(CHUNK_BYTES, end + 1 - at));
    if (chunk.length === 0) throw new Error('the file shrank while it was served');
    yield chunk;
    at += chunk.length;
  }
}

/** A track's row, if it can be served; or why not, as [HTTP status, reason]. */
function trackRow(db: Db, id: number): MediaRow | [number, string] {
  const row = db
    .prepare(
      'SELECT path, coalesce(path_bytes, path) AS disk, format, codec, status, error FROM files WHERE id = ?',
    )
    .get(id) as MediaRow | undefined;
  if (!row) return [404, `there is no track ${id}`];
  if (row.status === 'error') return [404, `the file could not be read when it was scanned: ${row.error}`];
  if (row.status === 'removed') return [404, `the file is in a folder removed from the library: ${row.path}`];
  return row;
}

/** A track's row and its original, open in its lane; or why not, as [HTTP status, reason]. */
export async function openTrack(
  db: Db,
  services: MediaServices,
  id: number,
): Promise<{ row: MediaRow; file: OpenFile } | [number, string]> {
  const row = trackRow(db, id);
  if (Array.isArray(row)) return row;
  try {
    return { row, file: await services.files.open(row.disk) };
  } catch (err) {
    return openRefusal(err, row.path);
  }
}

/** A track as a player receives it (served-file.ts: the library's tags over the original's audio), open;
 *  or why not, as [HTTP status, reason]. */
export async function openServedTrack(
  db: Db,
  services: MediaServices,
  id: number,
): Promise<{ row: MediaRow; file: ServedFile & { mtimeMs: number; etag: string } } | [number, string]> {
  const checked = trackRow(db, id);
  if (Array.isArray(checked)) return checked;
  const record = services.served.record(id);
  if (!record) return [404, `there is no track ${id}`];
  try {
    const file = await services.served.open(record);
    // The version: the file's change_seq moves with every change to its header, and a rescan too.
    const etag = `"${id}.${record.seq}.${file.size}"`;
    return { row: checked, file: { ...file, mtimeMs: record.mtimeMs, etag } };
  } catch (err) {
    if (err instanceof OriginalChangedError) return [409, err.message];
    return openRefusal(err, checked.path);
  }
}

/** Bytes as they are or as served, with HTTP Range (one range) so a player can seek. */
export async function sendBytes(
  req: IncomingMessage,
  res: ServerResponse,
  file: ByteSource,
  format: string | null,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const { size } = file;
  const range = rangeToSend(req, file);
  const headers = {
    ...AS_DATA,
    'Content-Type': mimeTypeOf(format),
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-cache',
    'Last-Modified': new Date(file.mtimeMs).toUTCString(),
    ETag: file.etag,
    ...extraHeaders,
  };
  if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === file.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` });
    res.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'Content-Length': String(Math.max(0, end - start + 1)),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  // A client that seeks closes the old request mid-stream: that is not an error worth reporting; nor is
  // a read past its deadline here (the response is cut, and the next request is told why).
  await pipeline(bytesOf(file, start, end), res).catch(() => res.destroy());
}

export async function serveMedia(
  db: Db,
  services: MediaServices,
  req: IncomingMessage,
  res: ServerResponse,
  idText: string,
  startText: string | null,
): Promise<void> {
  const id = Number(idText);
  if (!Number.isInteger(id) || id < 1) return sendError(res, 400, 'a track id is a positive whole number');
  const startS = startSeconds(startText);
  if (startS === undefined) return sendError(res, 400, '?start= is a number of seconds');
  const row = trackRow(db, id);
  if (Array.isArray(row)) return sendError(res, ...row);
  if (playsAsIs(row.format, row.codec)) {
    // What the mount serves: the player shows, and a file saved from it carries, the library's tags.
    const served = await openServedTrack(db, services, id);
    if (Array.isArray(served)) return sendError(res, ...served);
    try {
      return await sendBytes(req, res, served.file, row.format);
    } finally {
      served.file.close();
    }
  }
  const opened = await openTrack(db, services, id);
  if (Array.isArray(opened)) return sendError(res, ...opened);
  const { file } = opened;
  try {
    await serveTranscoded(
      req,
      res,
      { input: file.fd, format: formatName(row), startS, output: FLAC },
      services.transcodes,
      { ...AS_DATA, 'Cache-Control': 'no-store' },
      (status, reason) => sendError(res, status, reason),
    );
  } finally {
    file.close();
  }
}

export function serveArt(db: Db, req: IncomingMessage, res: ServerResponse, hash: string): undefined {
  if (!/^[0-9a-f]{16,128}$/.test(hash)) return sendError(res, 400, 'an art hash is hexadecimal');
  const art = db.prepare('SELECT data FROM art WHERE hash = ?').get(hash) as { data: Buffer } | undefined;
  if (!art) return sendError(res, 404, `there is no cover art ${hash}`);
  // The stored type came from a tag (older scans kept it as tagged): the bytes decide.
  const mime = imageMime(art.data);
  if (!mime) return sendError(res, 415, `cover art ${hash} is not a JPEG, PNG, GIF, WebP or BMP image`);
  const etag = `"${hash}"`;
  const headers = {
    ...AS_DATA,
    'Content-Type': mime,
    // Content-addressed: the bytes behind a hash never change.
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: etag,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(art.data.length) });
  res.end(req.method === 'HEAD' ? undefined : art.data);
}
