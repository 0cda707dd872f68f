// The least a client can do for one request at a time: HTTP/1.1 on a kept-alive socket, the request
// written whole, the reply read by its Content-Length. Node's `fetch` adds about a millisecond a request on
// this VM (and `node:http` half that), more than the server's own work on a search, so a latency figure
// taken through them measures mostly the client. A reply is read by its Content-Length, or in chunks (the
// Subsonic server streams search2/search3's answers).
import { connect, type Socket } from 'node:net';

export interface Reply {
  readonly status: number;
  readonly body: Buffer;
}

export class KeepAliveClient {
  readonly #url: URL;
  /** Null until the first request, and again once the server closed an idle connection. */
  #socket: Socket | null = null;
  #pending: Buffer = Buffer.alloc(0);
  #waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;

  constructor(url: string) {
    this.#url = new URL(url);
  }

  async request(
    method: string,
    path: string,
    body?: Uint8Array | string,
    type = 'application/json',
  ): Promise<Reply> {
    if (this.#waiting) throw new Error('one request at a time');
    const socket = this.#socket ?? (await this.#connect());
    const bytes = typeof body === 'string' ? Buffer.from(body) : (body ?? Buffer.alloc(0));
    const head =
      `${method} ${path} HTTP/1.1\r\nHost: ${this.#url.host}\r\n` +
      (bytes.length ? `Content-Type: ${type}\r\nContent-Length: ${bytes.length}\r\n` : '') +
      '\r\n';
    const reply = new Promise<Reply>((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
    socket.write(bytes.length ? Buffer.concat([Buffer.from(head, 'latin1'), bytes]) : head);
    return reply;
  }

  close(): void {
    this.#socket?.destroy();
  }

  #connect(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(this.#url.port), this.#url.hostname, () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => {
        this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
        this.#deliver();
      });
      socket.on('close', () => {
        if (this.#socket === socket) this.#socket = null;
        this.#pending = Buffer.alloc(0);
        this.#fail(new Error('the server closed the connection'));
      });
      this.#socket = socket;
    });
  }

  #fail(err: Error): void {
    this.#waiting?.reject(err);
    this.#waiting = null;
  }

  #deliver(): void {
    const end = this.#pending.indexOf('\r\n\r\n');
    if (end < 0 || !this.#waiting) return;
    const head = this.#pending.subarray(0, end).toString('latin1');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1]);
    const chunked = /\r\ntransfer-encoding: *chunked/i.test(head);
    if (!status || !(Number.isFinite(length) || chunked)) {
      this.#fail(new Error(`a reply this client cannot read: ${head.slice(0, 200)}`));
      return;
    }
    const read = chunked ? dechunked(this.#pending, end + 4) : lengthOf(this.#pending, end + 4, length);
    if (!read) return;
    this.#pending = this.#pending.subarray(read.next);
    const { resolve } = this.#waiting;
    this.#waiting = null;
    resolve({ status, body: read.body });
  }
}

/** The body of `length` bytes from `start`, and where the next reply starts; null until all came. */
function lengthOf(bytes: Buffer, start: number, length: number): { body: Buffer; next: number } | null {
  return bytes.length < start + length
    ? null
    : { body: bytes.subarray(start, start + length), next: start + length };
}

/** A chunked body from `start` joined, and where the next reply starts; null until its last chunk came. */
function dechunked(bytes: Buffer, start: number): { body: Buffer; next: number } | null {
  const chunks: Buffer[] = [];
  let at = start;
  for (;;) {
    const line = bytes.indexOf('\r\n', at);
    if (line < 0) return null;
    const size = Number.parseInt(bytes.subarray(at, line).toString('latin1'), 16);
    const data = line + 2;
    if (bytes.length < data + size + 2) return null;
    if (size === 0) return { body: Buffer.concat(chunks), next: data + 2 };
    chunks.push(bytes.subarray(data, data + size));
    at = data + size + 2;
  }
}
