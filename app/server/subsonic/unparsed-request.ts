// A request Node's HTTP parser refuses never reaches the server's handler: Node would answer a bare 400.
// The one a person makes by hand (curl, a script) with a name typed into the address as it is — UTF-8
// bytes, not %XX — is told why, in the protocol's words and the format it asked for; the rest are
// answered as Node answers them.
import type { Duplex } from 'node:stream';
import { ERROR, SubsonicError } from './errors.ts';
import { errorBody, render } from './response.ts';

/** What Node's parser gives a clientError listener. */
type ParserError = Error & { code?: string; rawPacket?: Buffer };

const UNENCODED = new SubsonicError(
  ERROR.generic,
  'The address holds characters that are not percent-encoded: send each byte of a name outside ASCII as %XX, as clients do (Björk: Bj%C3%B6rk)',
);

/** The status line Node gives a request it cannot parse. */
const statusOf = (code: string | undefined) =>
  code === 'HPE_HEADER_OVERFLOW'
    ? '431 Request Header Fields Too Large'
    : code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? '408 Request Timeout'
      : '400 Bad Request';

/** Answers (or drops) a connection whose request could not be parsed: the server's clientError. */
export function answerUnparsed(err: ParserError, socket: Duplex): void {
  // A request after another on a kept-alive connection whose answer is under way: nothing can be written
  // between that answer's bytes, so the connection is cut (as Node does).
  const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage
    ?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || answering) return void socket.destroy();
  const line = err.rawPacket?.toString('latin1').split('\r\n', 1)[0] ?? '';
  if (err.code === 'HPE_INVALID_URL' && /[\x80-\xff]/.test(line)) {
    const { text, type } = render(/[?&]f=json(?:[&#\s]|$)/.test(line) ? 'json' : 'xml', errorBody(UNENCODED));
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
    return;
  }
  socket.end(`HTTP/1.1 ${statusOf(err.code)}\r\nConnection: close\r\n\r\n`);
}
