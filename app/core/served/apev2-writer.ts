// An APEv2 tag made from the library (docs/tag-formats.md: ID3v1, APEv2 and the MPEG audio), as Picard
// writes it after WavPack and Monkey's Audio: a 32-byte header, the items, a 32-byte footer. Keys are named
// by the field table (app/shared/field-table.ts), which the reader maps back, so reading the tag back gives the tags.
import type { TagList } from '../tags/normalize.ts';
import { APE_NAMES, splitDescribed } from '../tags/tag-names.ts';
import type { PictureSpec } from './header-segments.ts';

const VERSION = 2000;
const HAS_HEADER = 0x80000000;
const IS_HEADER = 0x20000000;
const BINARY = 1 << 1;
/** Keys the specification reserves. */
const RESERVED = new Set(['ID3', 'TAG', 'OGGS', 'MP+']);

const COVERS: Record<number, string> = { 3: 'Cover Art (Front)', 4: 'Cover Art (Back)' };

export interface ApeTagInput {
  readonly tags: TagList;
  readonly pictures: readonly PictureSpec[];
}

/** The item key a library key is written as, or undefined when APEv2 cannot name it. */
function itemKey(key: string): string | undefined {
  const described = splitDescribed(key)?.field;
  const name = APE_NAMES.get(described ?? key.toLowerCase()) ?? (described ?? key).toUpperCase();
  return /^[\x20-\x7e]{2,255}$/.test(name) && !RESERVED.has(name.toUpperCase()) ? name : undefined;
}

/** Text items: one per key, several values separated by NULs; number and total as "n/N". */
function textItems(tags: TagList): Array<[string, string]> {
  const byKey = new Map(tags.map(([k, v]) => [k.toLowerCase(), v]));
  const out = new Map<string, string[]>();
  for (const [key, values] of tags) {
    const lower = key.toLowerCase();
    if (lower === 'totaltracks' || lower === 'totaldiscs' || values.length === 0) continue;
    if (lower === 'tracknumber' || lower === 'discnumber') {
      const total = byKey.get(lower === 'tracknumber' ? 'totaltracks' : 'totaldiscs')?.[0];
      out.set(APE_NAMES.get(lower)!, [total ? `${values[0]}/${total}` : values[0]!]);
      continue;
    }
    const name = itemKey(key);
    if (name) out.set(name, [...(out.get(name) ?? []), ...values]);
  }
  return [...out].map(([name, values]) => [name, values.join('\0')]);
}

function coverName(picture: PictureSpec): string {
  return `cover.${picture.mime.split('/')[1] ?? 'jpg'}`;
}

/** Covers as front and back items (one each; other picture types have no APEv2 name). */
function covers(pictures: readonly PictureSpec[]): Array<{ key: string; index: number }> {
  const seen = new Set<string>();
  const out: Array<{ key: string; index: number }> = [];
  pictures.forEach((p, index) => {
    const key = COVERS[p.type];
    if (key && !seen.has(key)) {
      seen.add(key);
      out.push({ key, index });
    }
  });
  return out;
}

/** The exact length of buildApeTag's result, without the picture data. */
export function apeTagSize(input: ApeTagInput): number {
  let n = 64;
  for (const [key, value] of textItems(input.tags)) n += 9 + key.length + Buffer.byteLength(value);
  for (const { key, index } of covers(input.pictures)) {
    const p = input.pictures[index]!;
    n += 9 + key.length + coverName(p).length + 1 + p.bytes;
  }
  return n;
}

function item(key: string, value: Buffer, flags: number): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(value.length, 0);
  head.writeUInt32LE(flags, 4);
  return Buffer.concat([head, Buffer.from(`${key}\0`, 'latin1'), value]);
}

function frame(size: number, count: number, flags: number): Buffer {
  const b = Buffer.alloc(32);
  b.write('APETAGEX', 0, 'latin1');
  b.writeUInt32LE(VERSION, 8);
  b.writeUInt32LE(size, 12);
  b.writeUInt32LE(count, 16);
  b.writeUInt32LE(flags >>> 0, 20);
  return b;
}

/** `pictureData[i]` holds `input.pictures[i].bytes` bytes. */
export function buildApeTag(input: ApeTagInput, pictureData: readonly Uint8Array[]): Buffer {
  const items = textItems(input.tags).map(([key, value]) => item(key, Buffer.from(value, 'utf8'), 0));
  for (const { key, index } of covers(input.pictures)) {
    const name = Buffer.from(`${coverName(input.pictures[index]!)}\0`, 'latin1');
    items.push(item(key, Buffer.concat([name, pictureData[index]!]), BINARY));
  }
  const body = Buffer.concat(items);
  const size = body.length + 32;
  return Buffer.concat([
    frame(size, items.length, HAS_HEADER | IS_HEADER),
    body,
    frame(size, items.length, HAS_HEADER),
  ]);
}
