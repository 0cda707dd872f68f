// A track's lyrics, as players show them: the lyrics field of its effective tags (USLT, LYRICS, ©lyr…),
// and an .lrc file beside the original (same name, .lrc), each synced where its lines carry LRC times
// ("[01:02.50]"). An LRC's own offset tag ("[offset:+250]": its lines shown 250 ms sooner) is kept as it
// is said, and its metadata tags ([ar:], [ti:]) are not lyrics.
import type { FileLanes } from '../../../kit/file-lanes.ts';
import type { Db } from '../db/database.ts';
import { tagsFor } from './list.ts';

export interface LyricLine {
  /** Milliseconds from the start, for a synced line. */
  readonly start?: number;
  readonly value: string;
}

export interface Lyrics {
  /** Where they come from: the tags, or the .lrc file beside the audio. */
  readonly source: 'tags' | 'lrc';
  readonly synced: boolean;
  /** An LRC's offset tag, in ms (positive: shown sooner). */
  readonly offset: number;
  readonly lines: readonly LyricLine[];
}

/** A sidecar's most bytes: a song's lyrics are a few KB. */
const MAX_LRC_BYTES = 256 * 1024;

const TIME = /\[(\d{1,3}):(\d{1,2}(?:[.:]\d{1,3})?)\]/gy;
const META = /^\[(ar|ti|al|au|by|length|re|ve|#|offset)\s*:(.*)\]\s*$/i;

/** LRC or plain text, as lines: synced when any line carries a time (lines with several times repeat). */
export function parseLyrics(text: string, source: Lyrics['source']): Lyrics | undefined {
  const timed: LyricLine[] = [];
  const plain: string[] = [];
  let offset = 0;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const meta = META.exec(raw.trim());
    if (meta) {
      if (meta[1]!.toLowerCase() === 'offset') offset = Number.parseInt(meta[2]!.trim(), 10) || 0;
      continue;
    }
    const line = raw.trimStart();
    TIME.lastIndex = 0;
    const starts: number[] = [];
    let m = TIME.exec(line);
    let end = 0;
    while (m) {
      const seconds = Number(m[2]!.replace(':', '.'));
      starts.push(Math.round((Number(m[1]) * 60 + seconds) * 1000));
      end = TIME.lastIndex;
      m = TIME.exec(line);
    }
    const value = line.slice(end).trim();
    if (starts.length > 0) for (const start of starts) timed.push({ start, value });
    else plain.push(raw.trimEnd());
  }
  if (timed.length > 0)
    return { source, synced: true, offset, lines: timed.sort((a, b) => a.start! - b.start!) };
  while (plain.length > 0 && plain.at(-1) === '') plain.pop();
  while (plain.length > 0 && plain[0] === '') plain.shift();
  if (plain.length === 0) return undefined;
  return { source, synced: false, offset, lines: plain.map((value) => ({ value })) };
}

/** The .lrc beside a file: its path with the extension replaced. */
function sidecar(path: string | Buffer): string | Buffer {
  if (typeof path !== 'string') {
    const dot = path.lastIndexOf(0x2e);
    const slash = path.lastIndexOf(0x2f);
    return Buffer.concat([dot > slash ? path.subarray(0, dot) : path, Buffer.from('.lrc')]);
  }
  const dot = path.lastIndexOf('.');
  return `${dot > path.lastIndexOf('/') ? path.slice(0, dot) : path}.lrc`;
}

/** Reads an .lrc beside the original, in the original's file lane; undefined when there is none. */
async function readSidecar(files: FileLanes, disk: string | Buffer): Promise<string | undefined> {
  const file = await files.open(sidecar(disk)).catch(() => undefined);
  if (!file) return undefined;
  try {
    if (file.size > MAX_LRC_BYTES) return undefined;
    return (await file.read(0, file.size)).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    file.close();
  }
}

/** Every set of lyrics a file has: its tags' (one per value of the field), then its .lrc's. */
export async function lyricsOf(db: Db, files: FileLanes, fileId: number): Promise<Lyrics[]> {
  const row = db.prepare('SELECT coalesce(path_bytes, path) AS disk FROM files WHERE id = ?').get(fileId) as
    | { disk: string | Buffer }
    | undefined;
  if (!row) return [];
  const tagged = (tagsFor(db, [fileId], ['lyrics']).get(fileId)?.lyrics ?? []).flatMap(
    (text) => parseLyrics(text, 'tags') ?? [],
  );
  const lrc = await readSidecar(files, row.disk);
  const fromFile = lrc === undefined ? undefined : parseLyrics(lrc, 'lrc');
  return fromFile ? [...tagged, fromFile] : tagged;
}
