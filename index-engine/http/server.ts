// acoustid-index's HTTP API over an IndexEngine. Every request is answered — malformed bodies, unknown
// routes and engine errors become the specified 4xx/5xx error bodies. The engine's work runs where its
// IndexEngine was opened. In `sleeve index serve` that is this thread, which then answers nothing while
// the engine works: a group commit's fsync, a checkpoint, a segment loaded at start or after a merge.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import type { IndexEngine } from '../engine-client.ts';
import { IndexError } from '../errors.ts';
import { checkIndexName } from '../index-directory.ts';
import { checkAccess, type IndexAccess } from './access.ts';
import { parseDocId, parsePutDocument, parseSearch, parseUpdate } from './requests.ts';
import {
  decodeBody,
  encodeBody,
  HttpError,
  requestFormat,
  responseFormat,
  type WireFormat,
} from './wire-format.ts';

export const MAX_BODY_BYTES = 16 << 20;

const LITERALS = new Set(['_health', '_search', '_update', '_snapshot', '_status', '_segments']);

interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly parts: string[];
  readonly body: Uint8Array;
  readonly format: WireFormat;
  readonly reply: WireFormat;
}

/** Reads the body, refusing more than MAX_BODY_BYTES without buffering the excess. */
function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new HttpError(413, 'RequestTooLarge', `body over ${MAX_BODY_BYTES} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, 'RequestTooLarge', `body over ${MAX_BODY_BYTES} bytes`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(x: Pick<Exchange, 'res' | 'method'>, status: number, type: string, bytes: Uint8Array): void {
  x.res.writeHead(status, { 'content-type': type, 'content-length': bytes.length });
  x.res.end(x.method === 'HEAD' ? undefined : bytes);
}

function reply(x: Exchange, value: unknown, status = 200): void {
  const { type, bytes } = encodeBody(value, x.reply);
  send(x, status, type, bytes);
}

function text(x: Exchange, status: number, body: string): void {
  send(x, status, 'text/plain; charset=utf-8', new TextEncoder().encode(body));
}

function sendError(
  res: ServerResponse,
  method: string,
  format: WireFormat,
  status: number,
  code: string,
  message: string,
): void {
  const { type, bytes } = encodeBody({ error: code }, format);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.setHeader('x-error-message', encodeURIComponent(message).slice(0, 500));
  send({ res, method }, status, type, bytes);
}

async function route(engine: IndexEngine, x: Exchange): Promise<void> {
  const { method, parts } = x;
  const isGet = method === 'GET' || method === 'HEAD';
  if (parts.length === 1 && parts[0] === '_health' && isGet) return text(x, 200, 'OK\n');
  if (parts.length === 1 && parts[0] === '_metrics' && method === 'GET')
    return send(
      x,
      200,
      'text/plain; version=0.0.4; charset=utf-8',
      new TextEncoder().encode(await engine.metrics()),
    );
  const [name, sub] = parts;
  if (name === undefined || parts.length > 2 || name.startsWith('_')) throw new HttpError(404, 'NotFound');
  checkIndexName(name);

  if (sub === undefined) {
    if (method === 'PUT') return reply(x, await engine.createIndex(name));
    if (method === 'DELETE') return reply(x, { deleted: await engine.deleteIndex(name) });
    if (method === 'HEAD') {
      await engine.info(name);
      return send(x, 200, 'text/plain', new Uint8Array(0));
    }
    if (method === 'GET') return reply(x, await engine.info(name));
    throw new HttpError(404, 'NotFound');
  }
  if (LITERALS.has(sub)) {
    if (sub === '_health' && isGet) {
      const health = await engine.health(name);
      if (health === 'absent') throw new IndexError('IndexNotFound');
      if (health === 'loading') throw new IndexError('IndexNotReady');
      if (health === 'failed') await engine.info(name); // rethrows the load error
      return text(x, 200, 'OK\n');
    }
    if (sub === '_update' && method === 'POST')
      return reply(x, {
        version: await engine.update(name, parseUpdate(decodeBody(x.body, x.format), x.format)),
      });
    if (sub === '_search' && method === 'POST') {
      const { query, options } = parseSearch(decodeBody(x.body, x.format), x.format);
      return reply(x, { results: await engine.search(name, query, options) });
    }
    if (sub === '_segments' && method === 'GET') return reply(x, { segments: await engine.segments(name) });
    if (sub === '_status' && method === 'GET') return reply(x, await engine.status(name));
    if (sub === '_snapshot' && method === 'GET') return snapshot(engine, x, name);
    throw new HttpError(404, 'NotFound');
  }

  const id = parseDocId(sub);
  if (method === 'PUT') {
    const hashes = parsePutDocument(decodeBody(x.body, x.format), x.format);
    await engine.update(name, { changes: [{ op: 'insert', id, hashes }] });
    return reply(x, {});
  }
  if (method === 'DELETE') {
    await engine.update(name, { changes: [{ op: 'delete', id }] });
    return reply(x, {});
  }
  if (isGet) {
    const version = await engine.documentVersion(name, id);
    if (version === null)
      throw new IndexError('FingerprintNotFound', `document ${id} is not in index ${name}`);
    return reply(x, { version });
  }
  throw new HttpError(404, 'NotFound');
}

/** A msgpack header, then each file segment's bytes, from a pinned point-in-time snapshot. */
async function snapshot(engine: IndexEngine, x: Exchange, name: string): Promise<void> {
  const snap = await engine.snapshot(name);
  try {
    const header = msgpackEncode({
      f: 1,
      g: snap.generation,
      s: snap.segments.map((s) => ({ i: s.info, s: s.size })),
    });
    x.res.writeHead(200, { 'content-type': 'application/octet-stream' });
    if (x.method === 'HEAD') return void x.res.end();
    x.res.write(header);
    for (const seg of snap.segments) {
      await new Promise<void>((resolve, reject) => {
        const stream = createReadStream(seg.path);
        stream.on('error', reject);
        stream.on('end', resolve);
        stream.pipe(x.res, { end: false });
      });
    }
    x.res.end();
  } finally {
    await engine.releaseSnapshot(snap.token);
  }
}

/** Whether the request says it has a body: a length above zero, or chunks. */
function announcesBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

function pathParts(rawUrl: string): string[] {
  try {
    return new URL(rawUrl, 'http://index').pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new HttpError(400, 'BadRequest', 'malformed percent-encoding in the path');
  }
}

async function handle(
  engine: IndexEngine,
  access: IndexAccess,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const contentType = req.headers['content-type'];
  // Errors go out in the request's format, known from the headers before the body is read, so that even
  // an oversize body is refused in the right format. (A browser's request, which may carry a body without
  // Content-Type and no preflight, is refused by checkAccess for its Origin.)
  const declared = requestFormat(contentType, announcesBody(req));
  const format: WireFormat = declared ?? 'json';
  try {
    checkAccess(req, access);
    if (declared === null) throw new HttpError(415, 'UnsupportedMediaType', `content type ${contentType}`);
    const parts = pathParts(req.url ?? '/');
    const body = await readBody(req);
    const reply = responseFormat(req.headers.accept, format);
    await route(engine, { req, res, method, parts, body, format, reply });
  } catch (err) {
    if (err instanceof HttpError || err instanceof IndexError)
      sendError(res, method, format, err.status, err.code, err.message);
    else {
      const e = err as Error;
      sendError(res, method, format, 500, e.name || 'InternalError', e.message);
    }
  }
}

export function createIndexServer(engine: IndexEngine, access: IndexAccess = {}): Server {
  const server = createServer((req, res) => {
    void handle(engine, access, req, res);
  });
  // Idle keep-alive sockets must not hold a shutdown open.
  server.keepAliveTimeout = 5_000;
  return server;
}
