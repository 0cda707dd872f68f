// Files the app sends to its backend — a spreadsheet to import, an image for a cover, a playlist: POST
// /upload streams one into the library's home (not a tmpfs held in memory), and the method given its id
// reads it from there as the CLI reads a file (each with its own limit) — then it is gone. No RPC message
// holds a file. Bounded: one coming in at a time, MAX_UPLOADS held, each at most what an import reads, for
// UPLOAD_LIFE_MS; the folder goes when the backend stops, and one a backend that died left goes when the
// next one first takes a file.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { cappedSize } from '../../kit/capped-file.ts';
import { processAlive } from '../../kit/process-alive.ts';
import { UserError } from '../../kit/user-error.ts';
import { MAX_IMPORT_BYTES } from '../shared/rpc-contract.ts';
import { sendError } from './media.ts';

/** Uploads held at once: the app sends one file at a time (a second tab, a retry). */
const MAX_UPLOADS = 2;
/** How long an upload waits to be read: the page names it in its next call. */
const UPLOAD_LIFE_MS = 10 * 60_000;

export class Uploads {
  readonly #parent: string;
  readonly #maxBytes: number;
  #dir: string | undefined;
  #receiving = false;
  readonly #held = new Map<string, { readonly path: string; readonly until: number }>();

  /** `parent`: where each backend keeps its uploads, in a folder named by its pid. */
  constructor(parent: string, maxBytes = MAX_IMPORT_BYTES) {
    this.#parent = parent;
    this.#maxBytes = maxBytes;
  }

  /** Takes a request's body as an upload: answers {upload} (its id), 413 past the limit, 429 while
   *  another file is coming in. */
  async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.#maxBytes) return this.#refuse(req, res, 413, this.#tooLarge());
    if (this.#receiving) return this.#refuse(req, res, 429, 'another file is being sent: try again after it');
    this.#receiving = true;
    try {
      const id = randomUUID();
      const path = join(this.#folder(), id);
      const bytes = await this.#write(req, path);
      if (bytes > this.#maxBytes) return this.#refuse(req, res, 413, this.#tooLarge());
      this.#drop(); // past their time, or the oldest past MAX_UPLOADS
      this.#held.set(id, { path, until: Date.now() + UPLOAD_LIFE_MS });
      this.#drop();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ upload: id, bytes }));
    } finally {
      this.#receiving = false;
    }
  }

  /** Reads an upload's file (at most `maxBytes`, else refused naming `what`) and lets it go. */
  take(id: string, maxBytes: number, what: string): Buffer {
    try {
      cappedSize(this.path(id), maxBytes, what);
      return readFileSync(this.path(id));
    } finally {
      this.release(id);
    }
  }

  /** The file an upload holds, for its one use; release() it after. */
  path(id: string): string {
    const held = this.#held.get(id);
    if (!held || held.until < Date.now())
      throw new UserError('not_found', 'the file sent is no longer held: choose it again');
    return held.path;
  }

  release(id: string): void {
    const held = this.#held.get(id);
    this.#held.delete(id);
    if (held) rmSync(held.path, { force: true });
  }

  close(): void {
    this.#held.clear();
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
  }

  /** The body written to `path`, to the end even past the limit (dropped: the page then gets the answer,
   *  not a reset); its length. Nothing is left at `path` unless it all fit. */
  async #write(req: IncomingMessage, path: string): Promise<number> {
    const out = createWriteStream(path, { mode: 0o600 });
    let failed: unknown;
    out.on('error', (err) => {
      failed ??= err;
    });
    let bytes = 0;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > this.#maxBytes || failed !== undefined) continue;
        if (!out.write(chunk)) await once(out, 'drain'); // rejects if the file fails meanwhile
      }
      out.end();
      await finished(out);
    } catch (err) {
      failed ??= err;
    }
    if (failed !== undefined || bytes > this.#maxBytes) {
      out.destroy();
      rmSync(path, { force: true });
    }
    if (failed !== undefined) throw failed; // a full disk, a request cut off: said in the backend's log
    return bytes;
  }

  /** This backend's folder, made at its first upload (the folders of backends no longer running go). */
  #folder(): string {
    if (this.#dir) return this.#dir;
    mkdirSync(this.#parent, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(this.#parent))
      if (!/^\d+$/.test(name) || !processAlive(Number(name)))
        rmSync(join(this.#parent, name), { recursive: true, force: true });
    this.#dir = join(this.#parent, String(process.pid));
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    return this.#dir;
  }

  /** Lets go of uploads past their time, then the oldest (a Map iterates in insertion order) past
   *  MAX_UPLOADS. */
  #drop(): void {
    for (const [id, held] of this.#held) if (held.until < Date.now()) this.release(id);
    for (const id of this.#held.keys()) {
      if (this.#held.size <= MAX_UPLOADS) break;
      this.release(id);
    }
  }

  #tooLarge(): string {
    return `the file is larger than ${this.#maxBytes / 1024 / 1024} MiB, the most the app sends`;
  }

  #refuse(req: IncomingMessage, res: ServerResponse, status: number, reason: string): void {
    req.resume(); // read and dropped, so the answer reaches the page
    sendError(res, status, reason);
  }
}
