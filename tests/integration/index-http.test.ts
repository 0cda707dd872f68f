// Black-box tests of the fingerprint index's HTTP API (docs/index-http-api.md) against a real
// `sleeve index serve` process, in both wire formats: JSON and msgpack with one-letter field names.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { decode, decodeMulti, encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';

const CLI = new URL('../../app/cli/sleeve.js', import.meta.url).pathname;
const JSON_TYPE = 'application/json';
const MSGPACK_TYPE = 'application/vnd.msgpack';
const MAX_BODY = 16 << 20;
/** No request may take longer than this: the server must answer everything. */
const REQUEST_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------------------
// The server process

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

class IndexServer {
  readonly dir: string;
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #exit: Promise<Exit>;

  private constructor(dir: string, url: string, child: ChildProcess, exit: Promise<Exit>) {
    this.dir = dir;
    this.url = url;
    this.#child = child;
    this.#exit = exit;
  }

  /** Spawns `sleeve index serve` on a free port and waits for its "serving" line. */
  static start(dir: string, args: readonly string[] = []): Promise<IndexServer> {
    const child = spawn(
      process.execPath,
      [CLI, '--home', tempDir('sleeve-home-'), 'index', 'serve', '--dir', dir, '--port', '0', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exit = new Promise<Exit>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let stdout = '';
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server did not start in time; stderr: ${stderr}`));
      }, 15_000);
      child.stdout!.setEncoding('utf8').on('data', (s: string) => {
        stdout += s;
        const m = /^sleeve index: serving (.+) on http:\/\/[^:]+:(\d+)$/m.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(new IndexServer(dir, `http://127.0.0.1:${m[2]!}`, child, exit));
        }
      });
      void exit.then((e) => {
        clearTimeout(timer);
        reject(new Error(`server exited early (${e.code ?? e.signal}); stderr: ${stderr}`));
      });
    });
  }

  stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<Exit> {
    this.#child.kill(signal);
    return this.#exit;
  }
}

/** One server per describe block: started in beforeAll, stopped with SIGTERM (exit code 0) in afterAll. */
function serverForBlock(): { readonly current: IndexServer } {
  const holder: { current: IndexServer } = { current: undefined as unknown as IndexServer };
  beforeAll(async () => {
    holder.current = await IndexServer.start(tempDir('sleeve-index-'));
  });
  afterAll(async () => {
    expect(await holder.current.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
  return holder;
}

// ---------------------------------------------------------------------------------------------------------
// Raw HTTP

interface Reply {
  readonly status: number;
  /** The response's media type, lower-cased, without parameters. */
  readonly type: string | null;
  /** Decoded by the response's Content-Type: msgpack, JSON, text, else the bytes. */
  readonly body: unknown;
  readonly bytes: Uint8Array;
  readonly headers: Headers;
}

function mediaType(header: string | null): string | null {
  return header === null ? null : header.split(';')[0]!.trim().toLowerCase();
}

async function http(
  base: string,
  method: string,
  path: string,
  init: { body?: Uint8Array | string | ReadableStream<Uint8Array>; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(base + path, {
    method,
    body: init.body,
    headers: init.headers,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const type = mediaType(res.headers.get('content-type'));
  let body: unknown = bytes;
  if (bytes.length === 0) body = undefined;
  else if (type === MSGPACK_TYPE) body = decode(bytes);
  else if (type === JSON_TYPE) body = JSON.parse(new TextDecoder().decode(bytes));
  else if (type?.startsWith('text/')) body = new TextDecoder().decode(bytes);
  return { status: res.status, type, body, bytes, headers: res.headers };
}

// ---------------------------------------------------------------------------------------------------------
// The two wire dialects: request builders and expected response shapes, as the spec states them

/** Search hits written `'id:score id:score'`, best first. */
function hits(text: string): [id: number, score: number][] {
  return text
    .split(' ')
    .filter(Boolean)
    .map((hit) => {
      const [id, score] = hit.split(':').map(Number);
      return [id!, score!];
    });
}

interface SearchParams {
  readonly limit?: number;
  readonly minScore?: number;
  readonly scorePct?: number;
  readonly timeout?: number;
}

interface UpdateParams {
  readonly metadata?: Record<string, string>;
  readonly expectedVersion?: number;
}

interface Stats {
  readonly min_doc_id: number;
  readonly max_doc_id: number;
  readonly num_segments: number;
  readonly num_docs: number;
}

interface SegmentInfo {
  readonly kind: 'memory' | 'file';
  readonly version: number;
  readonly merges: number;
  readonly min_doc_id: number;
  readonly max_doc_id: number;
}

interface Dialect {
  readonly format: 'json' | 'msgpack';
  readonly type: string;
  encode(value: unknown): Uint8Array;
  insert(id: number, hashes: readonly number[]): unknown;
  delete(id: number): unknown;
  setMetadata(entries: Record<string, string>): unknown;
  update(changes: readonly unknown[], params?: UpdateParams): unknown;
  search(query: readonly number[], params?: SearchParams): unknown;
  putDoc(hashes: readonly number[]): unknown;
  /** `hits` as `'id:score id:score'`, e.g. `'3:3 5:3 4:2'`. */
  results(hits: string): unknown;
  version(version: number): unknown;
  created(version: number, ready: boolean, generation: number): unknown;
  deleted(deleted: boolean): unknown;
  info(version: number, metadata: Record<string, string>, stats: Stats): unknown;
  segments(segments: readonly SegmentInfo[]): unknown;
  status(generation: number, version: number, fileVersion: number): unknown;
  error(name: string): unknown;
}

/** Drops undefined fields so that bodies hold only what a test sets. */
function defined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

const JSON_WIRE: Dialect = {
  format: 'json',
  type: JSON_TYPE,
  encode: (value) => new TextEncoder().encode(JSON.stringify(value)),
  insert: (id, hashes) => ({ insert: { id, hashes } }),
  delete: (id) => ({ delete: { id } }),
  setMetadata: (entries) => ({
    set_metadata: { entries: Object.entries(entries).map(([key, value]) => ({ key, value })) },
  }),
  update: (changes, p = {}) =>
    defined({ changes, metadata: p.metadata, expected_version: p.expectedVersion }),
  search: (query, p = {}) =>
    defined({ query, limit: p.limit, min_score: p.minScore, score_pct: p.scorePct, timeout: p.timeout }),
  putDoc: (hashes) => ({ hashes }),
  results: (text) => ({ results: hits(text).map(([id, score]) => ({ id, score })) }),
  version: (version) => ({ version }),
  created: (version, ready, generation) => ({ version, ready, generation }),
  deleted: (deleted) => ({ deleted }),
  info: (version, metadata, stats) => ({ version, metadata, stats }),
  segments: (segments) => ({ segments }),
  status: (generation, version, fileVersion) => ({ generation, version, file_version: fileVersion }),
  error: (name) => ({ error: name }),
};

const MSGPACK_WIRE: Dialect = {
  format: 'msgpack',
  type: MSGPACK_TYPE,
  encode: (value) => encode(value),
  insert: (id, hashes) => ({ i: { i: id, h: hashes } }),
  delete: (id) => ({ d: { i: id } }),
  setMetadata: (entries) => ({ s: { e: Object.entries(entries).map(([k, v]) => ({ k, v })) } }),
  update: (changes, p = {}) => defined({ c: changes, m: p.metadata, e: p.expectedVersion }),
  search: (query, p = {}) => defined({ q: query, l: p.limit, m: p.minScore, s: p.scorePct, t: p.timeout }),
  putDoc: (hashes) => ({ h: hashes }),
  results: (text) => ({ r: hits(text).map(([i, s]) => ({ i, s })) }),
  version: (v) => ({ v }),
  created: (v, r, g) => ({ v, r, g }),
  deleted: (d) => ({ d }),
  // `metadata` holds user keys and `stats` keeps its full field names in both formats.
  info: (v, m, s) => ({ v, m, s }),
  // Segment entries cannot be shortened (merges, min_doc_id and max_doc_id share a first letter).
  segments: (s) => ({ s }),
  status: (g, v, f) => ({ g, v, f }),
  error: (e) => ({ e }),
};

const DIALECTS = [JSON_WIRE, MSGPACK_WIRE] as const;

/**
 * A client speaking one dialect: bodies are encoded in it and every request names it in Content-Type (also
 * bodiless ones), so that replies, errors included, come back in it.
 */
class Client {
  readonly W: Dialect;
  readonly #server: { readonly current: IndexServer };

  constructor(server: { readonly current: IndexServer }, W: Dialect) {
    this.#server = server;
    this.W = W;
  }

  request(method: string, path: string, body?: unknown): Promise<Reply> {
    return http(this.#server.current.url, method, path, {
      body: body === undefined ? undefined : this.W.encode(body),
      headers: { 'content-type': this.W.type },
    });
  }

  /** Sends raw bytes with this dialect's Content-Type. */
  raw(method: string, path: string, bytes: Uint8Array): Promise<Reply> {
    return http(this.#server.current.url, method, path, {
      body: bytes,
      headers: { 'content-type': this.W.type },
    });
  }

  /** Asserts a 200 in this dialect and returns its body. */
  async ok(method: string, path: string, body?: unknown): Promise<unknown> {
    const r = await this.request(method, path, body);
    expect({ status: r.status, type: r.type, body: r.body }).toMatchObject({
      status: 200,
      type: this.W.type,
    });
    return r.body;
  }

  async createIndex(name: string): Promise<void> {
    expect(await this.ok('PUT', `/${name}`)).toEqual(this.W.created(0, true, 1));
  }

  async update(name: string, changes: readonly unknown[], params?: UpdateParams): Promise<number> {
    const body = await this.ok('POST', `/${name}/_update`, this.W.update(changes, params));
    const version =
      this.W.format === 'json' ? (body as { version: number }).version : (body as { v: number }).v;
    expect(body).toEqual(this.W.version(version));
    return version;
  }

  async insert(name: string, docs: Record<number, readonly number[]>): Promise<number> {
    return this.update(
      name,
      Object.entries(docs).map(([id, hashes]) => this.W.insert(Number(id), hashes)),
    );
  }

  search(name: string, query: readonly number[], params?: SearchParams): Promise<unknown> {
    return this.ok('POST', `/${name}/_search`, this.W.search(query, params));
  }

  /** Checkpoints memory segments into file segments (a snapshot does that), releasing the snapshot. */
  async checkpoint(name: string): Promise<void> {
    const r = await this.request('GET', `/${name}/_snapshot`);
    expect(r.status).toBe(200);
  }

  async expectError(
    method: string,
    path: string,
    body: unknown,
    status: number,
    name: string,
  ): Promise<void> {
    const r = await this.request(method, path, body);
    expect({ status: r.status, type: r.type, body: r.body }).toEqual({
      status,
      type: this.W.type,
      body: this.W.error(name),
    });
  }

  async expectRawError(method: string, path: string, bytes: Uint8Array, status: number, name: string) {
    const r = await this.raw(method, path, bytes);
    expect({ status: r.status, type: r.type, body: r.body }).toEqual({
      status,
      type: this.W.type,
      body: this.W.error(name),
    });
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The sample value of a Prometheus metric line `name{labels} value`, or undefined when absent. */
function metric(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    const at = line.lastIndexOf(' ');
    if (at > 0 && line.slice(0, at) === series) return Number(line.slice(at + 1));
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Content negotiation

describe('content negotiation', () => {
  const server = serverForBlock();
  const json = new Client(server, JSON_WIRE);
  const query = { query: [1, 2, 3] };
  const send = (path: string, body: Uint8Array | string | undefined, headers: Record<string, string>) =>
    http(server.current.url, body === undefined ? 'GET' : 'POST', path, { body, headers });

  beforeAll(async () => {
    await json.createIndex('neg');
    await json.insert('neg', { 7: [1, 2, 3] });
  });

  it('reads JSON bodies whatever the case of the type and its parameters', async () => {
    for (const contentType of [
      'application/json',
      'Application/JSON; charset=utf-8',
      'APPLICATION/JSON;charset=UTF-8',
    ]) {
      const r = await send('/neg/_search', JSON.stringify(query), { 'content-type': contentType });
      expect([contentType, r.status, r.type, r.body]).toEqual([
        contentType,
        200,
        JSON_TYPE,
        { results: [{ id: 7, score: 3 }] },
      ]);
    }
  });

  it('reads msgpack bodies whatever the case of the type and its parameters, and answers in msgpack', async () => {
    for (const contentType of ['application/vnd.msgpack', 'Application/Vnd.MsgPack; charset=binary']) {
      const r = await send('/neg/_search', encode({ q: [1, 2, 3] }), { 'content-type': contentType });
      expect([contentType, r.status, r.type, r.body]).toEqual([
        contentType,
        200,
        MSGPACK_TYPE,
        { r: [{ i: 7, s: 3 }] },
      ]);
      expect(r.headers.get('content-type')).toBe(MSGPACK_TYPE);
    }
  });

  it('reads a body without Content-Type as msgpack and answers in msgpack, as acoustid-index does', async () => {
    const r = await send('/neg/_search', encode({ q: [1, 2, 3] }), {});
    expect([r.status, r.type, r.body]).toEqual([200, MSGPACK_TYPE, { r: [{ i: 7, s: 3 }] }]);
    // JSON sent without saying so is not msgpack: refused, in msgpack.
    const json = await send('/neg/_search', new TextEncoder().encode(JSON.stringify(query)), {});
    expect([json.status, json.type, json.body]).toEqual([400, MSGPACK_TYPE, { e: 'BadRequest' }]);
    // A web page's body without Content-Type (sent with no preflight) is refused for its Origin.
    const page = await send('/neg/_search', encode({ q: [1, 2, 3] }), { origin: 'http://evil.example' });
    expect([page.status, page.body]).toEqual([403, { e: 'Forbidden' }]);
  });

  it('refuses document id 0 in an update, as acoustid-index does (it is reserved)', async () => {
    for (const change of [{ insert: { id: 0, hashes: [1] } }, { delete: { id: 0 } }]) {
      const r = await send('/neg/_update', JSON.stringify({ changes: [change] }), {
        'content-type': JSON_TYPE,
      });
      expect([r.status, r.body]).toEqual([400, { error: 'InvalidFingerprintId' }]);
    }
  });

  it('answers a request without body or Content-Type in JSON', async () => {
    const r = await send('/neg', undefined, {});
    expect([r.status, r.type, r.body]).toEqual([
      200,
      JSON_TYPE,
      { version: 1, metadata: {}, stats: { min_doc_id: 7, max_doc_id: 7, num_segments: 1, num_docs: 1 } },
    ]);
    const missing = await send('/nope', undefined, {});
    expect([missing.status, missing.type, missing.body]).toEqual([
      404,
      JSON_TYPE,
      { error: 'IndexNotFound' },
    ]);
  });

  it('refuses any other Content-Type with 415 UnsupportedMediaType', async () => {
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/jsonx',
      'multipart/form-data',
    ]) {
      const r = await send('/neg/_search', JSON.stringify(query), { 'content-type': contentType });
      expect([contentType, r.status, r.body]).toEqual([contentType, 415, { error: 'UnsupportedMediaType' }]);
    }
    // fetch labels a string body text/plain by itself.
    const r = await http(server.current.url, 'POST', '/neg/_search', { body: JSON.stringify(query) });
    expect([r.status, r.body]).toEqual([415, { error: 'UnsupportedMediaType' }]);
  });

  it("answers errors in the request's format, whatever Accept asks for", async () => {
    const r = await send('/neg/_search', '{"query": [1,', {
      'content-type': JSON_TYPE,
      accept: MSGPACK_TYPE,
    });
    expect([r.status, r.type, r.body]).toEqual([400, JSON_TYPE, { error: 'BadRequest' }]);
  });

  it('lets an Accept of exactly one of the two types choose the response format', async () => {
    const toMsgpack = await send('/neg/_search', JSON.stringify(query), {
      'content-type': JSON_TYPE,
      accept: MSGPACK_TYPE,
    });
    expect([toMsgpack.status, toMsgpack.type, toMsgpack.body]).toEqual([
      200,
      MSGPACK_TYPE,
      { r: [{ i: 7, s: 3 }] },
    ]);
    const toJson = await send('/neg/_search', encode({ q: [1, 2, 3] }), {
      'content-type': MSGPACK_TYPE,
      accept: JSON_TYPE,
    });
    expect([toJson.status, toJson.type, toJson.body]).toEqual([
      200,
      JSON_TYPE,
      { results: [{ id: 7, score: 3 }] },
    ]);
    const bodiless = await send('/neg/_status', undefined, { accept: MSGPACK_TYPE });
    expect([bodiless.status, bodiless.type, bodiless.body]).toEqual([
      200,
      MSGPACK_TYPE,
      { g: 1, v: 1, f: 0 },
    ]);
  });

  it('mirrors the request format for compound or other Accept values', async () => {
    for (const accept of [
      'application/json, application/vnd.msgpack',
      'application/json;q=0.5, application/vnd.msgpack;q=0.9',
      '*/*',
      'text/html',
    ]) {
      const m = await send('/neg/_search', encode({ q: [1, 2, 3] }), {
        'content-type': MSGPACK_TYPE,
        accept,
      });
      expect([accept, m.status, m.type, m.body]).toEqual([
        accept,
        200,
        MSGPACK_TYPE,
        { r: [{ i: 7, s: 3 }] },
      ]);
      const j = await send('/neg/_search', JSON.stringify(query), { 'content-type': JSON_TYPE, accept });
      expect([accept, j.status, j.type, j.body]).toEqual([
        accept,
        200,
        JSON_TYPE,
        { results: [{ id: 7, score: 3 }] },
      ]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Every endpoint, in both formats

describe.each(DIALECTS)('endpoints in $format', (W) => {
  const server = serverForBlock();
  const c = new Client(server, W);

  it('GET and HEAD /_health answer OK', async () => {
    const get = await c.request('GET', '/_health');
    expect([get.status, get.type, get.body]).toEqual([200, 'text/plain', 'OK\n']);
    const head = await c.request('HEAD', '/_health');
    expect([head.status, head.bytes.length]).toEqual([200, 0]);
  });

  it('PUT /:index creates an index and is idempotent', async () => {
    expect(await c.ok('PUT', '/create')).toEqual(W.created(0, true, 1));
    expect(await c.ok('PUT', '/create')).toEqual(W.created(0, true, 1));
    // An optional body is accepted.
    expect(await c.ok('PUT', '/create-with-body', {})).toEqual(W.created(0, true, 1));
    expect(await c.ok('PUT', '/create-with-body', {})).toEqual(W.created(0, true, 1));
  });

  it('DELETE /:index deletes once, then reports that there was nothing to delete', async () => {
    await c.createIndex('doomed');
    await c.insert('doomed', { 1: [1, 2] });
    expect(await c.ok('DELETE', '/doomed')).toEqual(W.deleted(true));
    expect(await c.ok('DELETE', '/doomed')).toEqual(W.deleted(false));
    await c.expectError('GET', '/doomed', undefined, 404, 'IndexNotFound');
    await c.expectError('POST', '/doomed/_search', W.search([1, 2]), 404, 'IndexNotFound');
    // Re-created, it starts empty.
    await c.createIndex('doomed');
    expect(await c.search('doomed', [1, 2])).toEqual(W.results(''));
  });

  it('HEAD /:index answers 200 or 404 with an empty body', async () => {
    await c.createIndex('head');
    const yes = await c.request('HEAD', '/head');
    const no = await c.request('HEAD', '/head-absent');
    expect([yes.status, yes.bytes.length, no.status, no.bytes.length]).toEqual([200, 0, 404, 0]);
  });

  it('GET and HEAD /:index/_health answer 200 OK, or 404 for an absent index', async () => {
    await c.createIndex('healthy');
    const get = await c.request('GET', '/healthy/_health');
    expect([get.status, get.type, get.body]).toEqual([200, 'text/plain', 'OK\n']);
    const head = await c.request('HEAD', '/healthy/_health');
    expect([head.status, head.bytes.length]).toEqual([200, 0]);
    await c.expectError('GET', '/unhealthy/_health', undefined, 404, 'IndexNotFound');
    const headAbsent = await c.request('HEAD', '/unhealthy/_health');
    expect([headAbsent.status, headAbsent.bytes.length]).toEqual([404, 0]);
  });

  it('GET /:index reports version, metadata and stats', async () => {
    await c.createIndex('info');
    const empty = { min_doc_id: 0, max_doc_id: 0, num_segments: 0, num_docs: 0 };
    expect(await c.ok('GET', '/info')).toEqual(W.info(0, {}, empty));
    await c.update('info', [W.insert(30, [1, 2]), W.insert(12, [3]), W.insert(20, [])], {
      metadata: { source: 'test' },
    });
    await c.update('info', [W.setMetadata({ 'last.id': '30', source: 'changed' })]);
    const segments = (await c.ok('GET', '/info/_segments')) as Record<string, SegmentInfo[]>;
    const numSegments = Object.values(segments)[0]!.length;
    expect(await c.ok('GET', '/info')).toEqual(
      W.info(
        2,
        { source: 'changed', 'last.id': '30' },
        { min_doc_id: 12, max_doc_id: 30, num_segments: numSegments, num_docs: 3 },
      ),
    );
    await c.update('info', [W.delete(20), W.insert(12, [4])]);
    const after = (await c.ok('GET', '/info')) as Record<string, unknown>;
    expect(after[W.format === 'json' ? 'stats' : 's']).toMatchObject({ num_docs: 2 });
  });

  it('GET /:index/_segments lists memory segments, and file segments after a checkpoint', async () => {
    await c.createIndex('segs');
    expect(await c.ok('GET', '/segs/_segments')).toEqual(W.segments([]));
    await c.insert('segs', { 3: [1], 9: [2], 5: [3] });
    expect(await c.ok('GET', '/segs/_segments')).toEqual(
      W.segments([{ kind: 'memory', version: 1, merges: 0, min_doc_id: 3, max_doc_id: 9 }]),
    );
    await c.checkpoint('segs');
    expect(await c.ok('GET', '/segs/_segments')).toEqual(
      W.segments([{ kind: 'file', version: 1, merges: 0, min_doc_id: 3, max_doc_id: 9 }]),
    );
  });

  it('GET /:index/_status reports generation, version and file version', async () => {
    await c.createIndex('status');
    expect(await c.ok('GET', '/status/_status')).toEqual(W.status(1, 0, 0));
    await c.insert('status', { 1: [1] });
    await c.insert('status', { 2: [2] });
    expect(await c.ok('GET', '/status/_status')).toEqual(W.status(1, 2, 0));
    await c.checkpoint('status');
    expect(await c.ok('GET', '/status/_status')).toEqual(W.status(2, 2, 2));
  });

  it('GET /:index/_snapshot streams a msgpack header followed by the bytes of each file segment', async () => {
    await c.createIndex('snap');
    const empty = await c.request('GET', '/snap/_snapshot');
    expect([empty.status, empty.type]).toEqual([200, 'application/octet-stream']);
    expect(decode(empty.bytes)).toEqual({ f: 1, g: 1, s: [] });

    await c.insert('snap', { 4: [10, 11, 12], 8: [11, 13] });
    await c.checkpoint('snap');
    await c.insert('snap', { 2: [20, 21] });
    const r = await c.request('GET', '/snap/_snapshot');
    expect([r.status, r.type]).toEqual([200, 'application/octet-stream']);
    const header = decodeMulti(r.bytes).next().value as {
      f: number;
      g: number;
      s: { i: unknown; s: number }[];
    };
    // The snapshot checkpoints first: two file segments, and the generation is the one _status reports.
    expect(await c.ok('GET', '/snap/_status')).toEqual(W.status(3, 2, 2));
    expect({ f: header.f, g: header.g, count: header.s.length }).toEqual({ f: 1, g: 3, count: 2 });
    const segments: SegmentInfo[] = [
      { kind: 'file', version: 1, merges: 0, min_doc_id: 4, max_doc_id: 8 },
      { kind: 'file', version: 2, merges: 0, min_doc_id: 2, max_doc_id: 2 },
    ];
    expect(await c.ok('GET', '/snap/_segments')).toEqual(W.segments(segments));
    expect(header.s.map((s) => s.i)).toEqual(segments);
    // The header is followed by exactly the segments' bytes, which are the segment files.
    const sizes = header.s.map((s) => s.s);
    const headerLength = r.bytes.length - sizes.reduce((a, b) => a + b, 0);
    expect(headerLength).toBeGreaterThan(0);
    expect(decode(r.bytes.subarray(0, headerLength))).toEqual(header);
    const files = readdirSync(join(server.current.dir, 'snap'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.seg'))
      .map((f) => Buffer.from(readFileSync(join(server.current.dir, 'snap', f))).toString('hex'));
    let at = headerLength;
    for (const size of sizes) {
      expect(size).toBeGreaterThan(0);
      expect(files).toContain(Buffer.from(r.bytes.subarray(at, at + size)).toString('hex'));
      at += size;
    }
  });

  it('POST /:index/_update applies all changes and the metadata as one transaction with one version', async () => {
    await c.createIndex('tx');
    expect(await c.update('tx', [W.insert(1, [1, 2]), W.insert(2, [2, 3])])).toBe(1);
    expect(
      await c.update('tx', [W.insert(3, [3, 4]), W.delete(1), W.setMetadata({ a: '1' })], {
        metadata: { b: '2' },
      }),
    ).toBe(2);
    expect(await c.ok('GET', '/tx')).toMatchObject(
      W.format === 'json' ? { version: 2, metadata: { a: '1', b: '2' } } : { v: 2, m: { a: '1', b: '2' } },
    );
    for (const [id, version] of [
      [2, 1],
      [3, 2],
    ] as const)
      expect(await c.ok('GET', `/tx/${id}`)).toEqual(W.version(version));
    await c.expectError('GET', '/tx/1', undefined, 404, 'FingerprintNotFound');
    expect(await c.search('tx', [1, 2, 3, 4])).toEqual(W.results('2:2 3:2'));
  });

  it('POST /:index/_update checks expected_version: a stale one is 409 VersionMismatch and changes nothing', async () => {
    await c.createIndex('cas');
    expect(await c.update('cas', [W.insert(1, [1])], { expectedVersion: 0 })).toBe(1);
    expect(await c.update('cas', [W.insert(2, [1])], { expectedVersion: 1 })).toBe(2);
    await c.expectError(
      'POST',
      '/cas/_update',
      W.update([W.insert(3, [1])], { expectedVersion: 1 }),
      409,
      'VersionMismatch',
    );
    await c.expectError(
      'POST',
      '/cas/_update',
      W.update([W.insert(3, [1])], { expectedVersion: 7 }),
      409,
      'VersionMismatch',
    );
    await c.expectError('GET', '/cas/3', undefined, 404, 'FingerprintNotFound');
    expect(await c.ok('GET', '/cas/_status')).toEqual(W.status(1, 2, 0));
    expect(await c.update('cas', [W.insert(3, [1])], { expectedVersion: 2 })).toBe(3);
  });

  it('of concurrent updates expecting the same version, exactly one wins', async () => {
    await c.createIndex('race');
    const replies = await Promise.all(
      [1, 2, 3].map((id) =>
        c.request('POST', '/race/_update', W.update([W.insert(id, [id])], { expectedVersion: 0 })),
      ),
    );
    const outcomes = replies
      .map((r) => ({ status: r.status, body: r.body }))
      .sort((a, b) => a.status - b.status);
    expect(outcomes).toEqual([
      { status: 200, body: W.version(1) },
      { status: 409, body: W.error('VersionMismatch') },
      { status: 409, body: W.error('VersionMismatch') },
    ]);
    expect(await c.ok('GET', '/race/_status')).toEqual(W.status(1, 1, 0));
  });

  it('concurrent updates each get their own version', async () => {
    await c.createIndex('concurrent');
    const ids = range(1, 20);
    const versions = await Promise.all(ids.map((id) => c.update('concurrent', [W.insert(id, [id])])));
    expect([...versions].sort((a, b) => a - b)).toEqual(range(1, 20));
    for (const [i, id] of ids.entries())
      expect(await c.ok('GET', `/concurrent/${id}`)).toEqual(W.version(versions[i]!));
  });

  it('PUT, GET, HEAD and DELETE /:index/:id', async () => {
    await c.createIndex('docs');
    expect(await c.ok('PUT', '/docs/7', W.putDoc([1, 2, 3]))).toEqual({});
    expect(await c.ok('GET', '/docs/7')).toEqual(W.version(1));
    expect(await c.insert('docs', { 8: [4], 9: [5] })).toBe(2);
    expect(await c.ok('GET', '/docs/8')).toEqual(W.version(2));
    expect(await c.ok('GET', '/docs/7')).toEqual(W.version(1));
    // Full replacement: a new version, and only the new hashes match.
    expect(await c.ok('PUT', '/docs/7', W.putDoc([6]))).toEqual({});
    expect(await c.ok('GET', '/docs/7')).toEqual(W.version(3));
    expect(await c.search('docs', [1, 2, 3, 6])).toEqual(W.results('7:1'));
    const head = await c.request('HEAD', '/docs/7');
    expect([head.status, head.bytes.length]).toEqual([200, 0]);

    expect(await c.ok('DELETE', '/docs/7')).toEqual({});
    await c.expectError('GET', '/docs/7', undefined, 404, 'FingerprintNotFound');
    const headGone = await c.request('HEAD', '/docs/7');
    expect([headGone.status, headGone.bytes.length]).toEqual([404, 0]);
    expect(await c.search('docs', [6])).toEqual(W.results(''));
    // Deleting an absent id is not an error.
    expect(await c.ok('DELETE', '/docs/7')).toEqual({});
    expect(await c.ok('DELETE', '/docs/12345')).toEqual({});
    await c.expectError('GET', '/docs/12345', undefined, 404, 'FingerprintNotFound');
    // The largest u32 is a valid id.
    expect(await c.ok('PUT', '/docs/4294967295', W.putDoc([9]))).toEqual({});
    expect(await c.search('docs', [9])).toEqual(W.results('4294967295:1'));
  });

  it('literal path segments win over :id', async () => {
    await c.createIndex('literal');
    for (const sub of ['_health', '_search', '_update', '_snapshot', '_status', '_segments'])
      await c.expectError('PUT', `/literal/${sub}`, W.putDoc([1]), 404, 'NotFound');
  });

  it('GET /_metrics exposes the counters, histogram and gauges per index', async () => {
    await c.createIndex('metered');
    const read = async () => {
      const r = await http(server.current.url, 'GET', '/_metrics');
      expect([r.status, r.type]).toEqual([200, 'text/plain']);
      return r.body as string;
    };
    const before = await read();
    for (const [name, type] of [
      ['fpindex_searches_total', 'counter'],
      ['fpindex_search_hits_total', 'counter'],
      ['fpindex_search_misses_total', 'counter'],
      ['fpindex_updates_total', 'counter'],
      ['fpindex_checkpoints_total', 'counter'],
      ['fpindex_memory_merges_total', 'counter'],
      ['fpindex_file_merges_total', 'counter'],
      ['fpindex_search_duration_seconds', 'histogram'],
      ['fpindex_docs', 'gauge'],
      ['fpindex_version', 'gauge'],
    ])
      expect(before).toContain(`# TYPE ${name} ${type}\n`);
    const checkpoints = metric(before, 'fpindex_checkpoints_total');
    expect(checkpoints).toBeTypeOf('number');

    const label = '{index="metered"}';
    await c.insert('metered', { 1: [1, 2], 2: [2, 3] });
    await c.insert('metered', { 3: [3] });
    expect(await c.search('metered', [1])).toEqual(W.results('1:1'));
    expect(await c.search('metered', [99])).toEqual(W.results(''));
    expect(await c.search('metered', [2])).toEqual(W.results('1:1 2:1'));
    await c.checkpoint('metered');
    const after = await read();
    expect({
      searches: metric(after, `fpindex_searches_total${label}`),
      hits: metric(after, `fpindex_search_hits_total${label}`),
      misses: metric(after, `fpindex_search_misses_total${label}`),
      updates: metric(after, `fpindex_updates_total${label}`),
      durations: metric(after, `fpindex_search_duration_seconds_count${label}`),
      inf: metric(after, 'fpindex_search_duration_seconds_bucket{index="metered",le="+Inf"}'),
      docs: metric(after, `fpindex_docs${label}`),
      version: metric(after, `fpindex_version${label}`),
      checkpoints: metric(after, 'fpindex_checkpoints_total'),
    }).toEqual({
      searches: 3,
      hits: 2,
      misses: 1,
      updates: 2,
      durations: 3,
      inf: 3,
      docs: 3,
      version: 2,
      checkpoints: checkpoints! + 1,
    });
    expect(metric(after, `fpindex_search_duration_seconds_sum${label}`)).toBeGreaterThan(0);
    await c.search('metered', [3]);
    expect(metric(await read(), `fpindex_searches_total${label}`)).toBe(4);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Search semantics

describe.each(DIALECTS)('search semantics in $format', (W) => {
  const server = serverForBlock();
  const c = new Client(server, W);
  let n = 0;
  /** A fresh index holding `docs`, one transaction. */
  const indexWith = async (docs: Record<number, readonly number[]>): Promise<string> => {
    const name = `search-${++n}`;
    await c.createIndex(name);
    if (Object.keys(docs).length > 0) await c.insert(name, docs);
    return name;
  };

  it('orders by score descending, then id ascending', async () => {
    const idx = await indexWith({ 9: [1], 5: [1, 2, 3], 4: [1, 2], 3: [1, 2, 3], 6: [7] });
    expect(await c.search(idx, [1, 2, 3])).toEqual(W.results('3:3 5:3 4:2 9:1'));
    expect(await c.search(idx, [3, 2, 1])).toEqual(W.results('3:3 5:3 4:2 9:1'));
    expect(await c.search(idx, [])).toEqual(W.results(''));
    expect(await c.search(idx, [100])).toEqual(W.results(''));
  });

  it('counts a repeated query term once, and a repeated document hash once per posting', async () => {
    const idx = await indexWith({ 1: [5, 5, 5, 6], 2: [5, 6, 6] });
    expect(await c.search(idx, [5, 6])).toEqual(W.results('1:4 2:3'));
    expect(await c.search(idx, [5, 5, 5, 5])).toEqual(W.results('1:3 2:1'));
    expect(await c.search(idx, [6, 6])).toEqual(W.results('2:2 1:1'));
    // The same after a merge of memory segments (four transactions make four, merged into one)…
    for (const id of [3, 4, 5]) await c.insert(idx, { [id]: [7] });
    expect(await c.ok('GET', `/${idx}/_segments`)).toEqual(
      W.segments([{ kind: 'memory', version: 4, merges: 1, min_doc_id: 1, max_doc_id: 5 }]),
    );
    expect(await c.search(idx, [5, 6])).toEqual(W.results('1:4 2:3'));
    expect(await c.ok('GET', `/${idx}/1`)).toEqual(W.version(1));
    expect(await c.ok('GET', `/${idx}/4`)).toEqual(W.version(3));
    // …and from a file segment.
    await c.checkpoint(idx);
    expect(await c.search(idx, [5, 6])).toEqual(W.results('1:4 2:3'));
    expect(await c.search(idx, [5, 5, 5, 5])).toEqual(W.results('1:3 2:1'));
    expect(await c.ok('GET', `/${idx}/1`)).toEqual(W.version(1));
  });

  it('defaults min_score to (length of the raw query + 19) / 20', async () => {
    const idx = await indexWith({ 1: [1, 2], 2: [1], 3: [1, 2, 3] });
    // 20 terms (after de-duplication: 2): min_score 1.
    const twenty = [1, ...Array<number>(19).fill(2)];
    expect(await c.search(idx, twenty)).toEqual(W.results('1:2 3:2 2:1'));
    // 21 terms, still 2 distinct: min_score 2.
    expect(await c.search(idx, [...twenty, 2])).toEqual(W.results('1:2 3:2'));
    // 41 terms: min_score 3.
    expect(await c.search(idx, [1, 2, 3, ...Array<number>(38).fill(3)])).toEqual(W.results('3:3'));
    expect(await c.search(idx, [1, 2, ...Array<number>(39).fill(1)])).toEqual(W.results(''));
  });

  it('applies an explicit min_score', async () => {
    const idx = await indexWith({ 1: [1, 2, 3, 4], 2: [1, 2, 3], 3: [1, 2], 4: [1] });
    const q = [1, 2, 3, 4];
    expect(await c.search(idx, q, { minScore: 3 })).toEqual(W.results('1:4 2:3'));
    expect(await c.search(idx, q, { minScore: 4 })).toEqual(W.results('1:4'));
    expect(await c.search(idx, q, { minScore: 5 })).toEqual(W.results(''));
    expect(await c.search(idx, q, { minScore: 0 })).toEqual(W.results('1:4 2:3 3:2 4:1'));
  });

  it('cuts results below score_pct of the top score (integer division), default 10', async () => {
    const idx = await indexWith({ 1: range(1, 9), 2: range(1, 4), 3: range(1, 3), 4: [1] });
    const q = range(1, 9);
    expect(await c.search(idx, q)).toEqual(W.results('1:9 2:4 3:3 4:1'));
    // 9 * 50 / 100 = 4 (not 4.5 or 5): 4 stays, 3 goes.
    expect(await c.search(idx, q, { scorePct: 50 })).toEqual(W.results('1:9 2:4'));
    expect(await c.search(idx, q, { scorePct: 34 })).toEqual(W.results('1:9 2:4 3:3'));
    expect(await c.search(idx, q, { scorePct: 100 })).toEqual(W.results('1:9'));
    expect(await c.search(idx, q, { scorePct: 0 })).toEqual(W.results('1:9 2:4 3:3 4:1'));
    // The bar is the larger of min_score and the percentage.
    expect(await c.search(idx, q, { scorePct: 10, minScore: 3 })).toEqual(W.results('1:9 2:4 3:3'));
  });

  it('clamps limit to [1, 100], default 40, keeping the best results', async () => {
    const docs: Record<number, number[]> = {};
    for (const id of range(1, 150)) docs[id] = [7];
    docs[140] = [7, 8];
    const idx = await indexWith(docs);
    const ids = (hits: unknown) =>
      W.format === 'json'
        ? (hits as { results: { id: number }[] }).results.map((h) => h.id)
        : (hits as { r: { i: number }[] }).r.map((h) => h.i);
    expect(ids(await c.search(idx, [7, 8]))).toEqual([140, ...range(1, 39)]);
    expect(ids(await c.search(idx, [7, 8], { limit: 1000 }))).toEqual([140, ...range(1, 99)]);
    expect(ids(await c.search(idx, [7, 8], { limit: 100 }))).toEqual([140, ...range(1, 99)]);
    expect(ids(await c.search(idx, [7, 8], { limit: 3 }))).toEqual([140, 1, 2]);
    expect(await c.search(idx, [7, 8], { limit: 0 })).toEqual(W.results('140:2'));
    expect(await c.search(idx, [7, 8], { limit: -5 })).toEqual(W.results('140:2'));
    expect(await c.search(idx, [7], { limit: 1 })).toEqual(W.results('1:1'));
  });

  it('accepts a timeout and clamps a large one', async () => {
    const idx = await indexWith({ 1: [1] });
    expect(await c.search(idx, [1], { timeout: 2000 })).toEqual(W.results('1:1'));
    expect(await c.search(idx, [1], { timeout: 3_600_000 })).toEqual(W.results('1:1'));
  });

  it('an updated document matches only its new hashes, in memory and across file segments', async () => {
    const idx = await indexWith({ 1: [1, 2, 3], 2: [1] });
    await c.insert(idx, { 1: [4, 5, 6] });
    expect(await c.search(idx, [1, 2, 3])).toEqual(W.results('2:1'));
    expect(await c.search(idx, [4, 5, 6])).toEqual(W.results('1:3'));
    await c.checkpoint(idx);
    await c.insert(idx, { 1: [7] });
    expect(await c.search(idx, [4, 5, 6])).toEqual(W.results(''));
    await c.checkpoint(idx);
    expect(await c.search(idx, [1, 2, 3, 4, 5, 6])).toEqual(W.results('2:1'));
    expect(await c.search(idx, [7])).toEqual(W.results('1:1'));
  });

  it('a superseded version never sets the score_pct bar', async () => {
    const idx = await indexWith({ 1: range(1, 10) });
    await c.checkpoint(idx);
    await c.insert(idx, { 1: [1], 2: range(1, 4) });
    // Old doc 1 (score 10) is skipped; the bar comes from doc 2: max(1, 4 * 50 / 100) = 2, so doc 1 (1) goes.
    expect(await c.search(idx, range(1, 10), { scorePct: 50 })).toEqual(W.results('2:4'));
    expect(await c.search(idx, range(1, 10))).toEqual(W.results('2:4 1:1'));
  });

  it('deleted documents vanish, in memory and across file segments', async () => {
    const idx = await indexWith({ 1: [1, 2], 2: [1, 2], 3: [1], 4: [1] });
    await c.update(idx, [W.delete(1)]);
    expect(await c.ok('DELETE', `/${idx}/3`)).toEqual({});
    expect(await c.search(idx, [1, 2])).toEqual(W.results('2:2 4:1'));
    await c.checkpoint(idx);
    expect(await c.search(idx, [1, 2])).toEqual(W.results('2:2 4:1'));
    await c.update(idx, [W.delete(2)]);
    expect(await c.search(idx, [1, 2])).toEqual(W.results('4:1'));
    await c.checkpoint(idx);
    expect(await c.search(idx, [1, 2])).toEqual(W.results('4:1'));
    // Re-inserted, it is back.
    await c.insert(idx, { 1: [2] });
    expect(await c.search(idx, [1, 2])).toEqual(W.results('1:1 4:1'));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Bad input: always an answer, with the specified status and error name

describe.each(DIALECTS)('bad input in $format', (W) => {
  const server = serverForBlock();
  const c = new Client(server, W);

  beforeAll(async () => {
    await c.createIndex('bad');
    await c.insert('bad', { 1: [1, 2] });
  });

  it('malformed bodies are 400 BadRequest', async () => {
    const malformed =
      W.format === 'json'
        ? ['{"query": [1,', '{query: [1]}', '', '\u00ff', 'null x'].map((s) => new TextEncoder().encode(s))
        : [
            Uint8Array.of(0xc1), // never used in msgpack
            Uint8Array.of(0x82, 0xa1, 0x71), // a map cut short
            Uint8Array.of(0x81, 0xa1, 0x71, 0x91, 0x01, 0x01), // trailing bytes
          ];
    for (const bytes of malformed) {
      await c.expectRawError('POST', '/bad/_search', bytes, 400, 'BadRequest');
      await c.expectRawError('POST', '/bad/_update', bytes, 400, 'BadRequest');
      await c.expectRawError('PUT', '/bad/5', bytes, 400, 'BadRequest');
    }
    // Invalid UTF-8 inside JSON.
    if (W.format === 'json')
      await c.expectRawError(
        'POST',
        '/bad/_search',
        Uint8Array.of(0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d),
        400,
        'BadRequest',
      );
  });

  it('wrong types and missing fields are 400 BadRequest', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/bad/_search', {}],
      ['POST', '/bad/_search', W.search('1' as unknown as number[])],
      ['POST', '/bad/_search', W.search(['1'] as unknown as number[])],
      ['POST', '/bad/_search', W.search([-1])],
      ['POST', '/bad/_search', W.search([4294967296])],
      ['POST', '/bad/_search', W.search([1.5])],
      ['POST', '/bad/_search', W.search([1], { limit: 'ten' as unknown as number })],
      ['POST', '/bad/_search', [1, 2]],
      ['POST', '/bad/_update', {}],
      ['POST', '/bad/_update', W.update({} as unknown as unknown[])],
      ['POST', '/bad/_update', W.update([W.insert('5' as unknown as number, [1])])],
      ['POST', '/bad/_update', W.update([W.insert(5, [-1])])],
      ['POST', '/bad/_update', W.update([W.insert(5, [4294967296])])],
      ['POST', '/bad/_update', W.update([W.insert(5, 7 as unknown as number[])])],
      ['POST', '/bad/_update', W.update([W.insert(-5, [1])])],
      ['POST', '/bad/_update', W.update([W.delete('5' as unknown as number)])],
      ['POST', '/bad/_update', W.update([{ upsert: { id: 5, hashes: [1] } }])],
      ['POST', '/bad/_update', W.update([W.insert(5, [1])], { expectedVersion: 'x' as unknown as number })],
      [
        'POST',
        '/bad/_update',
        W.update([W.insert(5, [1])], { metadata: { a: 1 } as unknown as Record<string, string> }),
      ],
      [
        'POST',
        '/bad/_update',
        W.update([W.format === 'json' ? { insert: { hashes: [1] } } : { i: { h: [1] } }]),
      ],
      ['PUT', '/bad/5', {}],
      ['PUT', '/bad/5', W.putDoc('1,2' as unknown as number[])],
      ['PUT', '/bad/5', W.putDoc([1, -2])],
      ['PUT', '/bad/5', W.putDoc([1, null as unknown as number])],
    ];
    for (const [method, path, body] of cases) {
      const r = await c.request(method, path, body);
      expect([method, path, body, r.status, r.body]).toEqual([
        method,
        path,
        body,
        400,
        W.error('BadRequest'),
      ]);
    }
    // Nothing was written.
    await c.expectError('GET', '/bad/5', undefined, 404, 'FingerprintNotFound');
    expect(await c.ok('GET', '/bad/_status')).toEqual(W.status(1, 1, 0));
  });

  it('names a bad hash in a few words, whatever it holds', async () => {
    const said = async (query: unknown) => {
      const r = await c.request('POST', '/bad/_search', W.search(query as number[]));
      expect(r.status).toBe(400);
      return decodeURIComponent(r.headers.get('x-error-message') ?? '');
    };
    const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);
    expect(await said([1, 'x'.repeat(4 << 20)])).toBe(
      'query: hash 1 is a string, not an integer in [0, 2^32)',
    );
    expect(await said([nested(50)])).toBe('query: hash 0 is an array, not an integer in [0, 2^32)');
    expect(await said([1, { length: 2 }])).toBe('query: hash 1 is an object, not an integer in [0, 2^32)');
    expect(await said([0.5])).toBe('query: hash 0 is 0.5, not an integer in [0, 2^32)');
    if (W.format === 'msgpack')
      expect(await said([Number.NaN])).toBe('query: hash 0 is NaN, not an integer in [0, 2^32)');
  });

  it('says which part of a change is wrong', async () => {
    const said = async (body: unknown) => {
      const r = await c.request('POST', '/bad/_update', body);
      expect(r.status).toBe(400);
      return decodeURIComponent(r.headers.get('x-error-message') ?? '');
    };
    expect(await said(W.update([W.insert(5, [1]), W.insert(6, [1, -5])]))).toBe(
      'changes.1.insert.hashes: hash 1 is -5, not an integer in [0, 2^32)',
    );
    expect(await said(W.update([W.insert(5, 7 as unknown as number[])]))).toBe(
      'changes.0.insert.hashes: expected an array of hashes',
    );
    expect(await said(W.update([W.delete('5' as unknown as number)]))).toMatch(/^changes\.0\.delete\.id: /);
    expect(await said(W.update([{ upsert: { id: 5, hashes: [1] } }]))).toBe(
      'changes.0: expected one key: insert, delete or set_metadata',
    );
    expect(await c.ok('GET', '/bad/_status')).toEqual(W.status(1, 1, 0)); // nothing was written
  });

  it('id 0 is 400 InvalidFingerprintId, in the URL and in changes', async () => {
    await c.expectError('PUT', '/bad/0', W.putDoc([1]), 400, 'InvalidFingerprintId');
    await c.expectError('GET', '/bad/0', undefined, 400, 'InvalidFingerprintId');
    await c.expectError('DELETE', '/bad/0', undefined, 400, 'InvalidFingerprintId');
    await c.expectError('POST', '/bad/_update', W.update([W.insert(0, [1])]), 400, 'InvalidFingerprintId');
    await c.expectError('POST', '/bad/_update', W.update([W.delete(0)]), 400, 'InvalidFingerprintId');
    expect(await c.ok('GET', '/bad/_status')).toEqual(W.status(1, 1, 0));
  });

  it('a non-numeric id in the URL is 400 BadRequest', async () => {
    for (const id of ['abc', '-1', '1.5', '1e3', '0x10', '4294967296', '99999999999'])
      for (const method of ['GET', 'DELETE'])
        await c.expectError(method, `/bad/${id}`, undefined, 400, 'BadRequest');
    await c.expectError('PUT', '/bad/abc', W.putDoc([1]), 400, 'BadRequest');
  });

  it('an invalid index name is 400 InvalidIndexName', async () => {
    for (const name of ['bad.name', '-dash-first', 'a'.repeat(65), 'sp%20ace', '%C3%A9'])
      for (const [method, path] of [
        ['PUT', `/${name}`],
        ['GET', `/${name}`],
        ['DELETE', `/${name}`],
        ['GET', `/${name}/_status`],
      ] as const)
        await c.expectError(method, path, undefined, 400, 'InvalidIndexName');
    expect(await c.ok('PUT', `/${'a'.repeat(64)}`)).toEqual(W.created(0, true, 1));
  });

  it('unknown routes are 404 NotFound', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/_nope'],
      ['POST', '/_health'],
      ['POST', '/_metrics'],
      ['GET', '/bad/1/extra'],
      ['GET', '/bad/_update'],
      ['GET', '/bad/_search'],
      ['POST', '/bad/_status'],
      ['DELETE', '/bad/_segments'],
      ['POST', '/bad'],
      ['PATCH', '/bad'],
      ['POST', '/bad/1'],
    ] as const)
      await c.expectError(method, path, undefined, 404, 'NotFound');
  });

  it('a malformed percent-encoding in the path is a client error (400 BadRequest), not a 500', async () => {
    for (const path of ['/%ZZ', '/bad/%E0%A4%A', '/bad%/_status'])
      await c.expectError('GET', path, undefined, 400, 'BadRequest');
  });

  it('an unknown index is 404 IndexNotFound on every index endpoint', async () => {
    for (const [method, path, body] of [
      ['GET', '/absent', undefined],
      ['GET', '/absent/_health', undefined],
      ['GET', '/absent/_segments', undefined],
      ['GET', '/absent/_status', undefined],
      ['GET', '/absent/_snapshot', undefined],
      ['POST', '/absent/_search', W.search([1])],
      ['POST', '/absent/_update', W.update([W.insert(1, [1])])],
      ['PUT', '/absent/1', W.putDoc([1])],
      ['GET', '/absent/1', undefined],
      ['DELETE', '/absent/1', undefined],
    ] as const)
      await c.expectError(method, path, body, 404, 'IndexNotFound');
    const head = await c.request('HEAD', '/absent/1');
    expect(head.status).toBe(404);
  });

  it('a body over 16 MiB is refused in the format of the request', async () => {
    // The spec names no error for this: the error's name is not checked, its format is.
    const r = await c.raw('PUT', '/bad/5', new Uint8Array(MAX_BODY + 1).fill(0x20));
    const keys = typeof r.body === 'object' && r.body !== null ? Object.keys(r.body) : r.body;
    expect({ status: r.status, type: r.type, keys }).toEqual({
      status: 413,
      type: W.type,
      keys: Object.keys(W.error('RequestTooLarge') as object),
    });
  });

  it('a body of exactly 16 MiB is read; one byte more is refused with 413, and the server goes on', async () => {
    const fill = (prefix: Uint8Array, size: number) => {
      const bytes = new Uint8Array(size).fill(0x20);
      bytes.set(prefix);
      return bytes;
    };
    if (W.format === 'json') {
      const atLimit = fill(new TextEncoder().encode('{"query":[1,2]}'), MAX_BODY);
      const r = await c.raw('POST', '/bad/_search', atLimit);
      expect([r.status, r.body]).toEqual([200, W.results('1:2')]);
    } else {
      // A msgpack map whose one binary value fills the body to the limit: read, then refused as malformed.
      const header = Uint8Array.of(0x81, 0xa1, 0x71, 0xc6);
      const binLength = MAX_BODY - header.length - 4;
      const atLimit = new Uint8Array(MAX_BODY);
      atLimit.set(header);
      new DataView(atLimit.buffer).setUint32(header.length, binLength);
      const r = await c.raw('POST', '/bad/_search', atLimit);
      expect([r.status, r.body]).toEqual([400, W.error('BadRequest')]);
    }
    const over = await c.raw('POST', '/bad/_search', new Uint8Array(MAX_BODY + 1).fill(0x20));
    expect(over.status).toBe(413);
    const overUpdate = await c.raw('POST', '/bad/_update', new Uint8Array(MAX_BODY + 1).fill(0x20));
    expect(overUpdate.status).toBe(413);
    // Streamed without Content-Length.
    const chunk = new Uint8Array(1 << 20).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY + 2 * chunk.length) controller.close();
        else {
          controller.enqueue(chunk);
          sent += chunk.length;
        }
      },
    });
    const streamed = await http(server.current.url, 'POST', '/bad/_search', {
      body: stream,
      headers: { 'content-type': W.type },
    });
    expect(streamed.status).toBe(413);
    expect(await c.search('bad', [1, 2])).toEqual(W.results('1:2'));
    const health = await c.request('GET', '/_health');
    expect([health.status, health.body]).toEqual([200, 'OK\n']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Durability across restarts

/** A raw request with exactly these headers (fetch would not send a foreign Host). */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body = '') {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('who may use the server', () => {
  const server = serverForBlock();
  const json = { 'content-type': JSON_TYPE };

  it('refuses requests a web page makes (any Origin) and foreign Host names (DNS rebinding)', async () => {
    const ok = await raw(server.current.url, 'PUT', '/pages', json);
    expect(ok.status).toBe(200);
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:8080']) {
      const r = await raw(server.current.url, 'DELETE', '/pages', { origin });
      expect([origin, r.status, JSON.parse(r.body)]).toEqual([origin, 403, { error: 'Forbidden' }]);
    }
    const host = new URL(server.current.url).host;
    const rebound = await raw(server.current.url, 'DELETE', '/pages', {
      host: `evil.example:${host.split(':')[1]}`,
    });
    expect(rebound.status).toBe(403);
    for (const name of [host, `localhost:${host.split(':')[1]}`]) {
      const r = await raw(server.current.url, 'GET', '/pages', { host: name });
      expect([name, r.status]).toEqual([name, 200]);
    }
  });

  it('beyond loopback needs --token, and then every request carries it', async () => {
    const r = spawnSync(
      process.execPath,
      [CLI, '--home', tempDir(), 'index', 'serve', '--dir', tempDir(), '--host', '0.0.0.0', '--port', '0'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--host 0.0.0.0 is reachable from other machines: give --token TOKEN too');
    const token = 'a-long-enough-secret-token';
    const open = await IndexServer.start(tempDir('sleeve-index-'), ['--host', '0.0.0.0', '--token', token]);
    try {
      expect((await raw(open.url, 'PUT', '/t', {})).status).toBe(401);
      expect(
        (await raw(open.url, 'PUT', '/t', { authorization: 'Bearer wrong-token-of-the-same-len' })).status,
      ).toBe(401);
      expect((await raw(open.url, 'PUT', '/t', { authorization: `Bearer ${token}` })).status).toBe(200);
      const fromPage = await raw(open.url, 'DELETE', '/t', {
        authorization: `Bearer ${token}`,
        origin: 'http://x',
      });
      expect(fromPage.status).toBe(403);
    } finally {
      await open.stop();
    }
  });
});

describe('restart', () => {
  const dir = tempDir('sleeve-index-restart-');
  const holder: { current: IndexServer } = { current: undefined as unknown as IndexServer };
  const json = new Client(holder, JSON_WIRE);
  const msgpack = new Client(holder, MSGPACK_WIRE);
  /** Acknowledged live documents: id → [hashes, version]. */
  const acked = new Map<number, [number[], number]>();
  /** Acknowledged deletes. */
  const deleted = new Set<number>();
  /** Three hashes unique to each document and each of its versions, so that its own score is exact. */
  const hashesOf = (id: number, revision = 0) => [1, 2, 3].map((k) => id * 100 + revision * 10 + k);
  let version = 0;

  afterAll(async () => {
    expect(await holder.current.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  /** (Re)starts on the same directory and waits until the index has loaded. */
  const start = async () => {
    holder.current = await IndexServer.start(dir);
    for (const deadline = Date.now() + 10_000; ; ) {
      const r = await http(holder.current.url, 'GET', '/durable/_health');
      if (r.status === 200 || r.status === 404) return;
      expect([r.status, r.body]).toEqual([503, { error: 'IndexNotReady' }]);
      if (Date.now() > deadline) throw new Error('the index did not load');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const expectAllFound = async () => {
    for (const [id, [hashes, v]] of acked) {
      expect(await json.ok('GET', `/durable/${id}`)).toEqual({ version: v });
      expect(await msgpack.search('durable', hashes)).toEqual(MSGPACK_WIRE.results(`${id}:3`));
    }
    for (const id of deleted) {
      await json.expectError('GET', `/durable/${id}`, undefined, 404, 'FingerprintNotFound');
      expect(await json.search('durable', hashesOf(id))).toEqual({ results: [] });
    }
    // A replaced document's first hashes match nothing.
    expect(await json.search('durable', hashesOf(1))).toEqual({ results: [] });
    expect(await json.ok('GET', '/durable')).toMatchObject({
      version,
      metadata: { owner: 'sleeve' },
      stats: { num_docs: acked.size },
    });
  };

  it('after SIGKILL, every acknowledged write is found again', async () => {
    await start();
    await json.createIndex('durable');
    // Writes of every kind, in both formats.
    version = await json.insert('durable', { 1: hashesOf(1), 2: hashesOf(2) });
    acked.set(1, [hashesOf(1), version]).set(2, [hashesOf(2), version]);
    version = await msgpack.insert('durable', { 3: hashesOf(3) });
    acked.set(3, [hashesOf(3), version]);
    expect(await json.ok('PUT', '/durable/4', { hashes: hashesOf(4) })).toEqual({});
    acked.set(4, [hashesOf(4), ++version]);
    expect(await msgpack.ok('PUT', '/durable/5', { h: hashesOf(5) })).toEqual({});
    acked.set(5, [hashesOf(5), ++version]);
    expect(await json.ok('DELETE', '/durable/2')).toEqual({});
    acked.delete(2);
    deleted.add(2);
    ++version;
    version = await msgpack.update(
      'durable',
      [MSGPACK_WIRE.insert(1, hashesOf(1, 1)), MSGPACK_WIRE.delete(3)],
      {
        metadata: { owner: 'sleeve' },
      },
    );
    acked.set(1, [hashesOf(1, 1), version]).delete(3);
    deleted.add(3);
    // Concurrent writes, group-committed.
    const ids = range(10, 49);
    const versions = await Promise.all(
      ids.map((id) => json.update('durable', [JSON_WIRE.insert(id, hashesOf(id))])),
    );
    for (const [i, id] of ids.entries()) acked.set(id, [hashesOf(id), versions[i]!]);
    version += ids.length;
    expect(Math.max(...versions)).toBe(version);

    expect(await holder.current.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await start();
    await expectAllFound();
    // Versions go on from where they were.
    expect(await json.insert('durable', { 60: hashesOf(60) })).toBe(++version);
    acked.set(60, [hashesOf(60), version]);
    await expectAllFound();
  });

  it('after SIGTERM (flushed, exit code 0), everything is still there and checkpointed', async () => {
    expect(await holder.current.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    await start();
    expect(await json.ok('GET', '/durable/_status')).toMatchObject({ version, file_version: version });
    await expectAllFound();
    // Once more SIGKILL right after writes on top of file segments: a replacement, a delete, an insert.
    expect(await msgpack.ok('PUT', '/durable/70', { h: hashesOf(70) })).toEqual({});
    acked.set(70, [hashesOf(70), ++version]);
    expect(await json.ok('DELETE', '/durable/4')).toEqual({});
    acked.delete(4);
    deleted.add(4);
    ++version;
    expect(await json.ok('PUT', '/durable/5', { hashes: hashesOf(5, 1) })).toEqual({});
    acked.set(5, [hashesOf(5, 1), ++version]);
    expect(await holder.current.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await start();
    await expectAllFound();
    expect(await json.search('durable', hashesOf(5))).toEqual({ results: [] });
  });
});
