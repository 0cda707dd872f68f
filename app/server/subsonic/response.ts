// The protocol's answers: one `subsonic-response` object, written as JSON (f=json) or as the XML the
// Subsonic schema describes (the default): a field holding a number, a string or a boolean is an
// attribute, an object a child element, a list repeated elements of its name (a list of strings,
// elements holding the text), and a field named `value` the element's text (a genre's name). An answer is
// written in pieces: a list given as `Streamed` (a search's page of the whole library, as a client syncing
// asks it) is shaped an item at a time as the pieces are taken, so its answer is never held whole.
import { SLEEVE_VERSION } from '../../../kit/version.ts';
import type { SubsonicError } from './errors.ts';

/** The Subsonic API version the answers follow. */
export const API_VERSION = '1.16.1';

/** A value of an answer: a scalar, a list, or an object (a Fields bag, or one of the specification's own
 *  types, opensubsonic-types.ts: an interface has no index signature). */
export type Value = string | number | boolean | undefined | null | Fields | object | readonly Value[];

/** A list shaped an item at a time as its answer is written (each item's Value made only then): a field's
 *  value, not an item of another list. */
export class Streamed<T = unknown> {
  readonly items: readonly T[];
  readonly shape: (item: T) => Value;
  constructor(items: readonly T[], shape: (item: T) => Value) {
    this.items = items;
    this.shape = shape;
  }
}
export interface Fields {
  readonly [name: string]: Value;
}

export type Format = 'json' | 'xml';

const HEAD = {
  version: API_VERSION,
  type: 'Sleeve',
  serverVersion: SLEEVE_VERSION,
  openSubsonic: true,
};

export function okBody(body: Fields = {}): Fields {
  return { status: 'ok', ...HEAD, ...body };
}

export function errorBody(err: SubsonicError): Fields {
  return { status: 'failed', ...HEAD, error: { code: err.code, message: err.message } };
}

/** The content type of an answer in `format`, and its text in pieces (a Streamed list's items shaped as
 *  they are taken). */
export function pieces(format: Format, body: Fields): { pieces: Generator<string>; type: string } {
  if (format === 'json')
    return { pieces: jsonPieces({ 'subsonic-response': body }), type: 'application/json; charset=utf-8' };
  return {
    pieces: (function* () {
      yield '<?xml version="1.0" encoding="UTF-8"?>\n';
      yield* elementPieces('subsonic-response', body, ' xmlns="http://subsonic.org/restapi"');
    })(),
    type: 'text/xml; charset=utf-8',
  };
}

/** The text and content type of an answer in `format`, whole. */
export function render(format: Format, body: Fields): { text: string; type: string } {
  const { pieces: all, type } = pieces(format, body);
  return { text: [...all].join(''), type };
}

const isPlain = (v: unknown): v is Fields =>
  v !== null && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** JSON, as JSON.stringify writes it, a Streamed list an item at a time. */
function* jsonPieces(v: Value): Generator<string> {
  if (v instanceof Streamed) {
    let first = true;
    yield '[';
    for (const item of v.items) {
      yield `${first ? '' : ','}${JSON.stringify(v.shape(item)) ?? 'null'}`;
      first = false;
    }
    yield ']';
  } else if (isPlain(v)) {
    let first = true;
    yield '{';
    for (const [key, x] of Object.entries(v)) {
      if (x === undefined || typeof x === 'function') continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      yield* jsonPieces(x);
      first = false;
    }
    yield '}';
  } else yield JSON.stringify(v) ?? 'null';
}

/** Characters XML 1.0 cannot hold at all (control characters a tag may carry) become U+FFFD. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is replaced
const NOT_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

/** Text safe inside markup, in an element or a double-quoted attribute (the share page's HTML too). */
export const markupText = (text: string): string => escaped(text, true);

function escaped(text: string, attribute: boolean): string {
  return text.replace(NOT_XML, '\ufffd').replace(attribute ? /[&<>"\n\r\t]/g : /[&<>]/g, (c) => ESCAPES[c]!);
}

const isScalar = (v: Value): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** An element's attributes and text, and the fields that are its children (lists that hold something). */
function parts(fields: Fields, extra: string) {
  let attributes = extra;
  let text = '';
  const children: [string, Value][] = [];
  for (const [key, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    if (key === 'value' && isScalar(v)) text = escaped(String(v), false);
    else if (isScalar(v)) attributes += ` ${key}="${escaped(String(v), true)}"`;
    else if (v instanceof Streamed ? v.items.length > 0 : !Array.isArray(v) || v.length > 0)
      children.push([key, v]);
  }
  return { attributes, text, children };
}

/** An element's text whole (a list item's). */
function element(name: string, fields: Fields): string {
  return [...elementPieces(name, fields)].join('');
}

/** An element's text in pieces: a Streamed list's items an element at a time. */
function* elementPieces(name: string, fields: Fields, extra = ''): Generator<string> {
  const { attributes, text, children } = parts(fields, extra);
  if (text === '' && children.length === 0) return yield `<${name}${attributes}/>`;
  yield `<${name}${attributes}>${text}`;
  for (const [key, v] of children) {
    if (v instanceof Streamed) for (const item of v.items) yield child(key, v.shape(item));
    else if (Array.isArray(v)) yield (v as readonly Value[]).map((item) => child(key, item)).join('');
    else yield* elementPieces(key, v as Fields);
  }
  yield `</${name}>`;
}

function child(name: string, v: Value): string {
  if (v === undefined || v === null) return '';
  if (isScalar(v)) return `<${name}>${escaped(String(v), false)}</${name}>`;
  if (Array.isArray(v)) return (v as readonly Value[]).map((item) => child(name, item)).join('');
  return element(name, v as Fields);
}
