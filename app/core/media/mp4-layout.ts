// What the mount needs to splice an MP4/M4A file (docs/tag-formats.md: MP4 splicing): where `moov` and
// its `udta`/`meta` are, whether `moov` comes before `mdat` (then every chunk offset moves with the new
// `moov`'s size) and whether 32-bit chunk offsets (`stco`) are used. Files the splice does not handle
// (fragmented, several `mdat` or `moov`, boxes that cannot be followed) are recorded with the reason,
// which the mount logs when it serves them as they are.
import { createHash } from 'node:crypto';
import type { ByteWindow } from './file-window.ts';
import { childBoxes, type Mp4Box } from './mp4-boxes.ts';
import type { Unspliced } from './unspliced.ts';

type Range = readonly [start: number, bodyStart: number, end: number];

export interface Mp4Kept {
  readonly moov: Range;
  /** moov's `udta` (kept, less its `meta`), if any. */
  readonly udta: Range | null;
  /** udta's `meta` (replaced by a new one), if any. */
  readonly meta: Range | null;
  readonly moovFirst: boolean;
  /** Some track has 32-bit chunk offsets. */
  readonly co32: boolean;
}

/** The bytes the served header holds in memory beside moov: what precedes moov or follows it. */
const MAX_KEPT_AROUND = 1024 * 1024;
const MAX_MOOV = 64 * 1024 * 1024;

const range = (b: Mp4Box): Range => [b.start, b.bodyStart, b.end];

function only(boxes: readonly Mp4Box[], type: string): Mp4Box | undefined {
  return boxes.find((b) => b.type === type);
}

/** A track's sample table (`trak/mdia/minf/stbl`): null if it has none, undefined if its boxes cannot be
 *  followed. */
export function trackSampleTable(window: ByteWindow, trak: Mp4Box): Mp4Box | null | undefined {
  let box: Mp4Box | undefined = trak;
  for (const type of ['mdia', 'minf', 'stbl']) {
    const children: Mp4Box[] | undefined = childBoxes(window, box.bodyStart, box.end);
    if (!children) return undefined;
    box = only(children, type);
    if (!box) return null;
  }
  return box;
}

/** The sample tables (`stbl`) of every track in moov. */
function sampleTables(window: ByteWindow, moov: Mp4Box): Mp4Box[] | undefined {
  const tables: Mp4Box[] = [];
  for (const trak of childBoxes(window, moov.bodyStart, moov.end) ?? []) {
    if (trak.type !== 'trak') continue;
    const stbl = trackSampleTable(window, trak);
    if (stbl === undefined) return undefined;
    if (stbl) tables.push(stbl);
  }
  return tables;
}

/** The file's `mdat` payload (its audio) and what the splice keeps, or why it cannot splice. */
export function mp4Layout(window: ByteWindow): {
  audio: { start: number; end: number } | null;
  kept: Mp4Kept | Unspliced;
} {
  const unspliced = (reason: string) => ({ audio: null, kept: { unspliced: reason } });
  const top = childBoxes(window, 0, window.size);
  if (!top) return unspliced('its top-level boxes cannot be followed to the end of the file');
  const moovs = top.filter((b) => b.type === 'moov');
  const mdats = top.filter((b) => b.type === 'mdat');
  if (top.some((b) => b.type === 'moof')) return unspliced('a fragmented MP4 (moof boxes)');
  if (moovs.length !== 1) return unspliced(`${moovs.length} moov boxes`);
  if (mdats.length !== 1) return unspliced(`${mdats.length} mdat boxes`);
  const [moov, mdat] = [moovs[0]!, mdats[0]!];
  const children = childBoxes(window, moov.bodyStart, moov.end);
  if (!children) return unspliced('boxes in moov cannot be followed');
  if (only(children, 'mvex')) return unspliced('a fragmented MP4 (mvex in moov)');
  if (moov.end - moov.start > MAX_MOOV) return unspliced('a moov box over 64 MiB');
  const moovFirst = moov.start < mdat.start;
  const around = moovFirst ? moov.start : window.size - moov.end;
  if (around > MAX_KEPT_AROUND) {
    return unspliced(
      `${around} bytes ${moovFirst ? 'before' : 'after'} moov (the splice holds at most 1 MiB)`,
    );
  }
  const tables = sampleTables(window, moov);
  if (!tables) return unspliced('boxes in a track cannot be followed');
  let co32 = false;
  for (const stbl of tables) {
    const offsets = childBoxes(window, stbl.bodyStart, stbl.end) ?? [];
    co32 ||= offsets.some((b) => b.type === 'stco');
  }
  const udta = only(children, 'udta');
  const udtaChildren = udta && childBoxes(window, udta.bodyStart, udta.end);
  if (udta && !udtaChildren) return unspliced('boxes in moov/udta cannot be followed');
  const meta = udtaChildren && only(udtaChildren, 'meta');
  return {
    audio: { start: mdat.bodyStart, end: mdat.end },
    kept: {
      moov: range(moov),
      udta: udta ? range(udta) : null,
      meta: meta ? range(meta) : null,
      moovFirst,
      co32,
    },
  };
}

/** A chunk offset table's entries (`stco`: 32-bit, `co64`: 64-bit), from its box. */
function chunkOffsets(window: ByteWindow, box: Mp4Box): number[] {
  const body = window.read(box.bodyStart, box.end - box.bodyStart);
  const wide = box.type === 'co64';
  const count = Math.min(body.length >= 8 ? body.readUInt32BE(4) : 0, (body.length - 8) / (wide ? 8 : 4));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(wide ? Number(body.readBigUInt64BE(8 + 8 * i)) : body.readUInt32BE(8 + 4 * i));
  }
  return out;
}

/**
 * What the audio *is*, apart from where the container puts it: for every track, its sample tables other
 * than the chunk offsets, and its chunk offsets counted from the start of `mdat`'s payload. Taggers move
 * `moov` and shift the offsets; a save that keeps the audio keeps these. One digest per track.
 */
export function mp4SampleDigests(window: ByteWindow): string[] | undefined {
  const top = childBoxes(window, 0, window.size);
  const moov = top && only(top, 'moov');
  const mdat = top && only(top, 'mdat');
  const tables = moov && sampleTables(window, moov);
  if (!mdat || !tables) return undefined;
  return tables.map((stbl) => {
    const hash = createHash('sha256');
    for (const box of childBoxes(window, stbl.bodyStart, stbl.end) ?? []) {
      if (box.type === 'stco' || box.type === 'co64') {
        hash.update(`offsets:${chunkOffsets(window, box).map((o) => o - mdat.bodyStart)}`);
      } else hash.update(window.read(box.start, box.end - box.start));
    }
    return hash.digest('hex');
  });
}
