// Content negotiation and encoding for acoustid-index's HTTP API: JSON or msgpack bodies, msgpack field
// names shortened to their first letter, errors as {"error": Name} / {"e": Name}.
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';

export type WireFormat = 'json' | 'msgpack';

export const JSON_TYPE = 'application/json';
export const MSGPACK_TYPE = 'application/vnd.msgpack';

/** An HTTP-level failure with its status and wire error name. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string = code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function mediaType(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return header.split(';')[0]!.trim().toLowerCase() || undefined;
}

/** The request's format, from Content-Type; without one, msgpack for a body (acoustid-index's own clients
 *  send none) and JSON for a request without. null: a type neither of the two. */
export function requestFormat(contentType: string | undefined, hasBody: boolean): WireFormat | null {
  const type = mediaType(contentType);
  if (type === undefined) return hasBody ? 'msgpack' : 'json';
  if (type === JSON_TYPE) return 'json';
  if (type === MSGPACK_TYPE) return 'msgpack';
  return null;
}

/** Accept of exactly one of the two types wins; anything else mirrors the request. */
export function responseFormat(accept: string | undefined, request: WireFormat): WireFormat {
  const type = accept?.trim().toLowerCase();
  if (type === JSON_TYPE) return 'json';
  if (type === MSGPACK_TYPE) return 'msgpack';
  return request;
}

export function decodeBody(body: Uint8Array, format: WireFormat): unknown {
  try {
    if (format === 'json') return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    return msgpackDecode(body);
  } catch (err) {
    throw new HttpError(400, 'BadRequest', `malformed ${format} body: ${(err as Error).message}`);
  }
}

/** Keys whose values are kept verbatim in msgpack: user metadata and the objects the API leaves long. */
const VERBATIM = new Set(['metadata', 'stats', 'segments']);

/** The msgpack shape of a JSON response: every field name shortened to its first letter. */
export function shorten(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shorten);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k[0]!] = VERBATIM.has(k) ? v : shorten(v);
  return out;
}

export function encodeBody(value: unknown, format: WireFormat): { type: string; bytes: Uint8Array } {
  if (format === 'json') return { type: JSON_TYPE, bytes: new TextEncoder().encode(JSON.stringify(value)) };
  return { type: MSGPACK_TYPE, bytes: msgpackEncode(shorten(value)) };
}

/** A msgpack request object with short or full field names, as the full JSON names. */
export function expandKeys(value: unknown, names: Readonly<Record<string, string>>): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[names[k] ?? k] = v;
  return out;
}
