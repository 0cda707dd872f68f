// Spreadsheets the app sends to import: POST /upload streams the file into a private folder (no RPC
// message holds a spreadsheet of tens of thousands of rows), and tags.importPlan reads it from there as
// `sleeve import` reads a file — then it is gone. Bounded: MAX_UPLOADS held at once, each at most the
// import's own limit, each for UPLOAD_LIFE_MS; the folder goes when the backend stops.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { UserError } from '../../kit/user-error.ts';
import { MAX_IMPORT_BYTES } from '../shared/rpc-contract.ts';
import { sendError } from './media.ts';

/** Uploads held at once: the app imports one file at a time (a second tab, a retry). */
const MAX_UPLOADS = 2;
/** How long an upload waits for its preview: the page asks for it at once. */
const UPLOAD_LIFE_MS = 10 * 60_000;

export class ImportUploads {
  readonly #maxBytes: number;
  #dir: string | undefined;
  readonly #held = new Map<string, { readonly path: string; readonly until: number }>();

  constructor(maxBytes = MAX_IMPORT_BYTES) {
    this.#maxBytes = maxBytes;
  }

  /** Takes a request's body as an upload: answers {upload} (its id), or 413 past the limit. */
  async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.#maxBytes) return this.#tooLarge(req, res);
    this.#dir ??= mkdtempSync(join(tmpdir(), 'sleeve-uploads-')); // 0700: this user's alone
    const id = randomUUID();
    const path = join(this.#dir, id);
    let bytes = 0;
    const out = createWriteStream(path, { mode: 0o600 });
    try {
      // Read to the end even past the limit (dropped), so the page gets the answer, not a reset.
      for await (const chunk of req as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > this.#maxBytes) continue;
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await finished(out);
    } catch (err) {
      out.destroy();
      rmSync(path, { force: true });
      throw err;
    }
    if (bytes > this.#maxBytes) {
      rmSync(path, { force: true });
      return this.#tooLarge(req, res);
    }
    this.#hold(id, path);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ upload: id, bytes }));
  }

  /** The file an upload holds, for its one use; release() it after. */
  path(id: string): string {
    const held = this.#held.get(id);
    if (!held || held.until < Date.now())
      throw new UserError('not_found', 'the file sent to import is no longer held: choose it again');
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

  #hold(id: string, path: string): void {
    this.#held.set(id, { path, until: Date.now() + UPLOAD_LIFE_MS });
    // The oldest go first (a Map iterates in insertion order), as do any past their time.
    for (const [old, held] of this.#held) {
      if (this.#held.size <= MAX_UPLOADS && held.until >= Date.now()) continue;
      this.release(old);
    }
  }

  #tooLarge(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    sendError(
      res,
      413,
      `the file is larger than ${this.#maxBytes / 1024 / 1024} MiB, the most an import reads`,
    );
  }
}
