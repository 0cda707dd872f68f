// The address a request comes from, as failed logins and share visits count it. Behind a proxy on this
// machine (the HTTPS proxy the guide suggests) every request comes from the loopback address: counted so,
// one device with an old password locked every device out. A request from loopback that carries
// X-Forwarded-For is counted by the address the proxy appended (the last one: those before it are the
// client's own word). A process on this machine could name any address so, but it could log in from
// loopback anyway, and the failures per user name still hold.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function clientAddress(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? '';
  if (!LOOPBACK.test(peer)) return peer;
  const forwarded = req.headers['x-forwarded-for'];
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').at(-1)?.trim();
  return last && isIP(last) ? last : peer;
}
