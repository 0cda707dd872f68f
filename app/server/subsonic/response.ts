// The protocol's answers: one `subsonic-response` object, written as JSON (f=json) or as the XML the
// Subsonic schema describes (the default): a field holding a number, a string or a boolean is an
// attribute, an object a child element, a list repeated elements of its name (a list of strings,
// elements holding the text), and a field named `value` the element's text (a genre's name).
import { SLEEVE_VERSION } from '../../../kit/version.ts';
import type { SubsonicError } from './errors.ts';

/** The Subsonic API version the answers follow. */
export const API_VERSION = '1.16.1';

/** A value of an answer: a scalar, a list, or an object (a Fields bag, or one of the specification's own
 *  types, opensubsonic-types.ts: an interface has no index signature). */
export type Value = string | number | boolean | undefined | null | Fields | object | readonly Value[];
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

/** The text and content type of an answer in `format`. */
export function render(format: Format, body: Fields): { text: string; type: string } {
  if (format === 'json')
    return {
      text: JSON.stringify({ 'subsonic-response': body }),
      type: 'application/json; charset=utf-8',
    };
  return {
    text: `<?xml version="1.0" encoding="UTF-8"?>\n${element('subsonic-response', body, ' xmlns="http://subsonic.org/restapi"')}`,
    type: 'text/xml; charset=utf-8',
  };
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

function element(name: string, fields: Fields, extra = ''): string {
  let attributes = extra;
  let children = '';
  let text = '';
  for (const [key, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    if (key === 'value' && isScalar(v)) text = escaped(String(v), false);
    else if (isScalar(v)) attributes += ` ${key}="${escaped(String(v), true)}"`;
    else if (Array.isArray(v)) children += (v as readonly Value[]).map((item) => child(key, item)).join('');
    else children += element(key, v as Fields);
  }
  const inner = text + children;
  return inner === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${inner}</${name}>`;
}

function child(name: string, v: Value): string {
  if (v === undefined || v === null) return '';
  if (isScalar(v)) return `<${name}>${escaped(String(v), false)}</${name}>`;
  if (Array.isArray(v)) return (v as readonly Value[]).map((item) => child(name, item)).join('');
  return element(name, v as Fields);
}
