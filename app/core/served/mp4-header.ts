// The `moov` of a served MP4/M4A file (docs/tag-formats.md: MP4 / M4A): the original's, with its
// `udta/meta` replaced by one made from the library as Picard writes it (iTunes atoms, freeform
// `----:com.apple.iTunes:` atoms, `covr`) and every chunk offset moved by as much as the audio moved.
// Atoms are named by the field table (app/shared/field-table.ts), which the reader maps back too, so the
// library reads back what it served; a value an atom cannot hold (a track number "A1") goes into a freeform atom of its key.

import { NUMBER_TOTALS } from '../../shared/track-numbers.ts';
import { bufferWindow } from '../media/file-window.ts';
import { childBoxes } from '../media/mp4-boxes.ts';
import { type Mp4Kept, trackSampleTable } from '../media/mp4-layout.ts';
import type { TagList } from '../tags/normalize.ts';
import { freeformName, MP4_ATOMS, splitDescribed } from '../tags/tag-names.ts';
import {
  assemble,
  type HoledHeader,
  holed,
  type PictureSpec,
  type Segment,
  segmentsLength,
} from './header-segments.ts';
import { paddingFor } from './padding.ts';

export interface Mp4HeaderInput {
  readonly kept: Mp4Kept;
  readonly tags: TagList;
  readonly pictures: readonly PictureSpec[];
  /** Length of the `mdat` payload (for padding). */
  readonly audioBytes: number;
}

const PADDING_FLOOR = 1024;
const FREEFORM_MEAN = 'com.apple.iTunes';
const UTF8 = 1;
const INTEGER = 21;
const IMAGE_TYPES: Record<string, number> = { 'image/jpeg': 13, 'image/png': 14, 'image/bmp': 27 };
/** Atoms with a binary layout of their own, written below rather than as text. */
const BINARY_ATOMS = new Set(['trkn', 'disk', 'tmpo', 'cpil']);

/** Library key → text atom. */
const TEXT_ATOMS = new Map([...MP4_ATOMS].filter(([, atom]) => !BINARY_ATOMS.has(atom)));
/** An unknown iTunes atom the reader kept under its own name. */
const ATOM_KEY = /^©[a-z0-9]{3}$/i;

function boxHeader(type: string, size: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(size, 0);
  h.write(type, 4, 'latin1');
  return h;
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([boxHeader(type, 8 + body.length), body]);
}

/** A `data` box: version 0, the well-known type, locale 0, the value. */
function data(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(type, 0);
  return box('data', head, value);
}

const fullBoxText = (type: string, text: string) => box(type, Buffer.alloc(4), Buffer.from(text, 'utf8'));

function freeform(key: string, values: readonly string[]): Buffer {
  const name = freeformName(key, 'mp4');
  return box(
    '----',
    fullBoxText('mean', FREEFORM_MEAN),
    fullBoxText('name', name),
    ...values.map((v) => data(UTF8, Buffer.from(v, 'utf8'))),
  );
}

const u16 = (...values: number[]) => Buffer.from(new Uint16Array(values).buffer).swap16();
const number16 = (v: string | undefined) =>
  v !== undefined && /^\d{1,5}$/.test(v) && +v < 65536 ? +v : undefined;

/** trkn (0, n, N, 0) or disk (0, n, N) from a single number and an optional single total. */
function numberPair(atom: string, numbers: readonly string[], totals: readonly string[]) {
  const n = number16(numbers[0]);
  const total = totals.length === 0 ? 0 : number16(totals[0]);
  if (numbers.length !== 1 || totals.length > 1 || n === undefined || total === undefined) return undefined;
  return box(atom, data(0, atom === 'trkn' ? u16(0, n, total, 0) : u16(0, n, total)));
}

/** The ilst items, cover art as reserved segments (its bytes are filled when the header is built). */
function ilstItems(tags: TagList, pictures: readonly PictureSpec[]): Segment[] {
  const byKey = new Map(tags.map(([k, v]) => [k.toLowerCase(), v]));
  const out: Segment[] = [];
  const written = new Set<string>();
  for (const [numberKey, totalKey] of Object.entries(NUMBER_TOTALS)) {
    const numbers = byKey.get(numberKey) ?? [];
    const atom = MP4_ATOMS.get(numberKey);
    if (numbers.length === 0 || atom === undefined) continue;
    const item = numberPair(atom, numbers, byKey.get(totalKey) ?? []);
    if (!item) continue;
    out.push(item);
    written.add(numberKey).add(totalKey);
  }
  for (const [key, values] of tags) {
    const lower = key.toLowerCase();
    if (values.length === 0 || written.has(lower)) continue;
    const single = values.length === 1 ? values[0]! : undefined;
    const binary = MP4_ATOMS.get(lower);
    if (binary === 'tmpo' && number16(single) !== undefined) {
      out.push(box('tmpo', data(INTEGER, u16(number16(single)!))));
    } else if (binary === 'cpil' && (single === '0' || single === '1')) {
      out.push(box('cpil', data(INTEGER, Buffer.from([+single]))));
    } else {
      const atom =
        TEXT_ATOMS.get(splitDescribed(lower)?.field ?? lower) ?? (ATOM_KEY.test(key) ? key : undefined);
      out.push(
        atom ? box(atom, ...values.map((v) => data(UTF8, Buffer.from(v, 'utf8')))) : freeform(key, values),
      );
    }
  }
  const covers = pictures.flatMap((p, i) => (IMAGE_TYPES[p.mime] ? [i] : []));
  if (covers.length > 0) {
    const size = covers.reduce((n, i) => n + 16 + pictures[i]!.bytes, 8);
    out.push(boxHeader('covr', size));
    for (const i of covers) {
      const p = pictures[i]!;
      out.push(boxHeader('data', 16 + p.bytes), u16(0, IMAGE_TYPES[p.mime]!, 0, 0), {
        length: p.bytes,
        picture: i,
      });
    }
  }
  return out;
}

/** The `hdlr` of iTunes metadata: handler `mdir`, vendor `appl`, an empty name. */
const HDLR = box('hdlr', Buffer.alloc(8), Buffer.from('mdirappl', 'latin1'), Buffer.alloc(9));

/** meta (a full box) with hdlr, ilst and a `free` box of padding that taggers fill in place. */
function metaSegments(input: Mp4HeaderInput): Segment[] {
  const items = ilstItems(input.tags, input.pictures);
  const ilst = 8 + segmentsLength(items);
  const padding = paddingFor(input.audioBytes, PADDING_FLOOR);
  const size = 12 + HDLR.length + ilst + padding;
  return [
    boxHeader('meta', size),
    Buffer.alloc(4),
    HDLR,
    boxHeader('ilst', ilst),
    ...items,
    boxHeader('free', padding),
    { length: padding - 8 },
  ];
}

const length = (r: readonly [number, number, number] | null) => (r ? r[2] - r[0] : 0);

/** The exact length of buildMp4Moov's result, without the picture data. */
export function mp4MoovSize(input: Mp4HeaderInput): number {
  const { moov, udta, meta } = input.kept;
  const udtaKept = udta ? udta[2] - udta[1] - length(meta) : 0;
  const newUdta = 8 + udtaKept + segmentsLength(metaSegments(input));
  return 8 + moov[2] - moov[1] - length(udta) + newUdta;
}

/** Adds `delta` to every chunk offset (stco, co64) in a track's bytes, in place. */
function moveChunks(trak: Buffer, delta: number): void {
  const window = bufferWindow(trak);
  const self = childBoxes(window, 0, trak.length)?.[0];
  const stbl = self && trackSampleTable(window, self);
  for (const table of (stbl && childBoxes(window, stbl.bodyStart, stbl.end)) ?? []) {
    if (table.type !== 'stco' && table.type !== 'co64') continue;
    const wide = table.type === 'co64';
    // As many entries as the box holds, whatever its count says.
    const room = Math.floor((table.end - table.bodyStart - 8) / (wide ? 8 : 4));
    const count = Math.min(trak.readUInt32BE(table.bodyStart + 4), Math.max(0, room));
    for (let i = 0; i < count; i++) {
      const at = table.bodyStart + 8 + i * (wide ? 8 : 4);
      if (wide) trak.writeBigUInt64BE(trak.readBigUInt64BE(at) + BigInt(delta), at);
      else {
        const moved = trak.readUInt32BE(at) + delta;
        if (moved < 0 || moved > 0xffffffff)
          throw new RangeError(`a 32-bit chunk offset would become ${moved}`);
        trak.writeUInt32BE(moved, at);
      }
    }
  }
}

/**
 * `moov` holds the original's moov box (from its first byte); `delta` is how far the audio moves in the
 * served file; `pictureData[i]` holds `input.pictures[i].bytes` bytes.
 */
export function buildMp4Moov(
  input: Mp4HeaderInput,
  moov: Buffer,
  delta: number,
  pictureData: readonly Uint8Array[],
): Buffer {
  return assemble(moovSegments(input, moov, delta), input.pictures, pictureData);
}

/** buildMp4Moov's result with its pictures' places left as holes. */
export function holedMp4Moov(input: Mp4HeaderInput, moov: Buffer, delta: number): HoledHeader {
  return holed(moovSegments(input, moov, delta));
}

function moovSegments(input: Mp4HeaderInput, moov: Buffer, delta: number): Segment[] {
  const { kept } = input;
  const base = kept.moov[0];
  const window = bufferWindow(moov);
  const boxes = (from: number, to: number) => {
    const found = childBoxes(window, from - base, to - base);
    if (!found) throw new RangeError('the original moov cannot be followed');
    return found;
  };
  const udtaSegments = (): Segment[] => {
    const keptChildren = kept.udta
      ? boxes(kept.udta[1], kept.udta[2])
          .filter((b) => b.start !== (kept.meta?.[0] ?? -1) - base)
          .map((b) => moov.subarray(b.start, b.end))
      : [];
    const meta = metaSegments(input);
    const size = 8 + segmentsLength(keptChildren) + segmentsLength(meta);
    return [boxHeader('udta', size), ...keptChildren, ...meta];
  };
  const segments: Segment[] = [boxHeader('moov', mp4MoovSize(input))];
  for (const child of boxes(kept.moov[1], kept.moov[2])) {
    const bytes = moov.subarray(child.start, child.end);
    if (kept.udta && child.start === kept.udta[0] - base) segments.push(...udtaSegments());
    else if (child.type === 'trak' && delta !== 0) {
      const trak = Buffer.from(bytes);
      moveChunks(trak, delta);
      segments.push(trak);
    } else segments.push(bytes);
  }
  if (!kept.udta) segments.push(...udtaSegments());
  return segments;
}
