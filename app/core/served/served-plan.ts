// How a file is served through the mount and how big it is, from what the library knows of it: its
// format and audio range, what the scan recorded of the header it keeps, its effective tags and cover
// art. The mount daemon builds the header from a plan; the scan and every edit size the plan and store
// the size (files.served_size), so the daemon starts without sizing the whole library itself.
import type { FlacKept, OggKept } from '../media/fast-readers.ts';
import type { Mp4Kept } from '../media/mp4-layout.ts';
import type { IffKept } from '../media/read-track.ts';
import type { Unspliced } from '../media/unspliced.ts';
import type { TagList } from '../tags/normalize.ts';
import { type ApeTagInput, apeTagSize } from './apev2-writer.ts';
import { type FlacSizeInput, flacHeaderSize } from './flac-header.ts';
import type { PictureSpec } from './header-segments.ts';
import { type Id3HeaderInput, id3HeaderSize } from './id3v2-writer.ts';
import { type IffHeaderInput, iffHeaderSize } from './iff-header.ts';
import { type Mp4HeaderInput, mp4MoovSize } from './mp4-header.ts';
import { type OggHeaderInput, oggHeaderPages, oggHeaderSize } from './ogg-header.ts';

/**
 * Raised whenever a change to the writers changes any served size, or one to path-template.ts any path:
 * sizes and paths stored by an older version are computed again (files.served_version). 2: Ogg headers
 * take more pages where the comment needs them. 3: the default template's path is recorded too. 4: ID3
 * writes a comment, lyrics or website value given twice once. 5: APEv2 names a website Weblink, as Picard does.
 * 6: the default template's folder has the album's year ($albumyear), not each track's. 7: `work` is
 * MP4's ©wrk atom (was a freeform atom) and APEv2's Work item. 8: ID3 holds the performers in TMCL and
 * the producer, arranger, engineer and mixers in TIPL (were TXXX frames); writer is TXXX:Writer, director
 * MP4's ©dir. 9: the default template names a file with no track number by its title alone (was "2- Title"
 * with a disc number). 10: the default template writes a disc prefix only on an album of more than one
 * disc ($multidisc; was "1-01 Title" on an album tagged disc 1).
 */
export const SERVED_VERSION = 10;

/** How a file is served: a regenerated FLAC, ID3v2, Ogg Vorbis/Opus or WAV/AIFF header before its
 *  audio, an APEv2 tag after it (WavPack, Monkey's Audio), a regenerated MP4 moov before or after its
 *  mdat, or the original as is. */
export type ServeKind =
  | 'flac'
  | 'id3'
  | 'vorbis'
  | 'opus'
  | 'oggflac'
  | 'riff'
  | 'aiff'
  | 'apev2'
  | 'mp4'
  | 'whole';

/** What the scan recorded of a file (files columns), with its ServeKind. */
export interface ServedFacts {
  readonly kind: ServeKind;
  readonly size: number;
  /** The audio's byte range (unused when the kind is 'whole'). */
  readonly audioStart: number;
  readonly audioEnd: number;
  /** What the scan recorded of a FLAC's kept blocks (null: the original must be read to know). */
  readonly flacKept: FlacKept | null;
  /** HeaderKept as JSON (Ogg, WAV, AIFF, MP4). */
  readonly headerKept: string | null;
}

/** Whether the header the scan recorded (files.header_kept) says the splice cannot handle the file. */
function isUnspliced(headerKept: string | null): boolean {
  return headerKept?.startsWith('{"unspliced"') ?? false;
}

/** Whether the mount takes a tagger's save of the file: not when it serves the file as it is. */
export function savableThrough(facts: Pick<ServedFacts, 'kind' | 'headerKept'>): boolean {
  return facts.kind !== 'whole' && !isUnspliced(facts.headerKept);
}

/** How a file with these columns is served. */
export function serveKind(row: {
  readonly format: string | null;
  readonly audioStart: number | null;
  readonly audioEnd: number | null;
  readonly headerKept: string | null;
}): ServeKind {
  const { format, audioStart, audioEnd, headerKept } = row;
  // An MP4 the splice cannot handle has no audio range but a reason, which the plan logs.
  if (headerKept !== null && format === 'm4a') return 'mp4';
  if (audioStart === null || audioEnd === null) return 'whole';
  if (format === 'flac') return 'flac';
  if (format === 'mp3' || format === 'mp2') return 'id3';
  if (headerKept !== null && format === 'ogg-vorbis') return 'vorbis';
  if (headerKept !== null && format === 'opus') return 'opus';
  if (headerKept !== null && format === 'ogg-flac') return 'oggflac';
  if (headerKept !== null && format === 'wav') return 'riff';
  if (headerKept !== null && format === 'aiff') return 'aiff';
  if (format === 'wavpack' || format === 'ape' || format === 'musepack') return 'apev2';
  return 'whole';
}

/** A writer's input with the caller's own picture type (the daemon's carry the hash of their bytes). */
type With<T, P> = Omit<T, 'pictures'> & { readonly pictures: readonly P[] };

type Inputs<P extends PictureSpec> =
  | { readonly kind: 'whole' }
  | {
      readonly kind: 'vorbis' | 'opus' | 'oggflac';
      readonly input: With<OggHeaderInput, P>;
      /** How far every audio page's sequence number moves: the new header's pages less the original's. */
      readonly pageShift: number;
    }
  | { readonly kind: 'apev2'; readonly input: With<ApeTagInput, P> }
  | { readonly kind: 'riff' | 'aiff'; readonly input: With<IffHeaderInput, P> }
  | { readonly kind: 'flac'; readonly input: With<FlacSizeInput, P> }
  | { readonly kind: 'id3'; readonly input: With<Id3HeaderInput, P> }
  | {
      readonly kind: 'mp4';
      readonly input: With<Mp4HeaderInput, P>;
      /** How far the audio moves in the served file: every chunk offset moves as much. */
      readonly delta: number;
    };

/** The served layout's sizes and what its header is built from. */
export type ServedPlan<P extends PictureSpec> = Inputs<P> & {
  readonly headerSize: number;
  /** Bytes served after the audio (an APEv2 tag, or a moov that followed mdat); 0 for the other kinds. */
  readonly trailerSize: number;
  /** The original's bytes served between header and trailer: its audio range, or all of it. */
  readonly audioStart: number;
  readonly audioEnd: number;
  readonly size: number;
  /** Why the file is served with less than the library holds, or as it is (one line for a log). */
  readonly note?: string;
};

const DEFAULT_VENDOR = 'Sleeve';

/**
 * The plan for one file version. `flac` gives a FLAC's kept blocks when the scan did not record them
 * (read from the original); without either, a FLAC cannot be planned and the result is undefined.
 * Throws a RangeError for tags no tagger could write to the format.
 */
export function planServed<P extends PictureSpec>(
  facts: ServedFacts,
  tags: TagList,
  pictures: readonly P[],
  flac?: { readonly kept: readonly Uint8Array[]; readonly vendor: string },
): ServedPlan<P> | undefined {
  const { kind } = facts;
  const whole = (note?: string): ServedPlan<P> => ({
    kind: 'whole',
    headerSize: 0,
    trailerSize: 0,
    audioStart: 0,
    audioEnd: facts.size,
    size: facts.size,
    ...(note ? { note } : {}),
  });
  if (kind === 'whole') {
    // A file whose structure the scan found the splice cannot handle says why (files.header_kept).
    const kept = isUnspliced(facts.headerKept) ? (JSON.parse(facts.headerKept!) as Unspliced) : undefined;
    return whole(kept && `served as it is: ${kept.unspliced}`);
  }
  const { audioStart, audioEnd } = facts;
  const audioBytes = audioEnd - audioStart;
  const sized = (inputs: Inputs<P>, headerSize: number, trailerSize = 0, note?: string): ServedPlan<P> => ({
    ...inputs,
    headerSize,
    trailerSize,
    audioStart,
    audioEnd,
    size: headerSize + audioBytes + trailerSize,
    ...(note ? { note } : {}),
  });
  switch (kind) {
    case 'vorbis':
    case 'opus':
    case 'oggflac': {
      const kept = JSON.parse(facts.headerKept!) as OggKept | Unspliced;
      if ('unspliced' in kept) return whole(`served as it is: ${kept.unspliced}`);
      const input = { codec: kind === 'oggflac' ? ('flac' as const) : kind, kept, tags, pictures };
      const pageShift = oggHeaderPages(input) - kept.pages;
      return sized({ kind, input, pageShift }, oggHeaderSize(input));
    }
    case 'apev2': {
      // WavPack, Monkey's Audio and Musepack: the original up to its trailing tags, then a new APEv2 tag.
      const input = { tags, pictures };
      return sized({ kind, input }, 0, apeTagSize(input));
    }
    case 'riff':
    case 'aiff': {
      const { chunks } = JSON.parse(facts.headerKept!) as IffKept;
      const form = kind === 'riff' ? 'RIFF' : 'FORM';
      const input = { form, kept: chunks, tags, pictures, audioBytes } as const;
      return sized({ kind, input }, iffHeaderSize(input));
    }
    case 'flac': {
      const known = flac ?? (facts.flacKept && { kept: facts.flacKept.bytes, vendor: facts.flacKept.vendor });
      if (!known) return undefined;
      const input = { kept: known.kept, vendor: known.vendor || DEFAULT_VENDOR, tags, pictures, audioBytes };
      return sized({ kind, input }, flacHeaderSize(input));
    }
    case 'id3': {
      const input = { tags, pictures, audioBytes };
      return sized({ kind, input }, id3HeaderSize(input));
    }
    case 'mp4': {
      const kept = JSON.parse(facts.headerKept!) as Mp4Kept | Unspliced;
      if ('unspliced' in kept) return whole(`served as it is: ${kept.unspliced}`);
      return planMp4(facts, { kept, tags, pictures, audioBytes }) ?? whole(MP4_PAST_4_GIB);
    }
  }
}

const MP4_PAST_4_GIB = 'served as it is: its 32-bit chunk offsets cannot move past 4 GiB';

/** An MP4's plan: its new moov where the original's was (before or after mdat); undefined when the
 *  audio would move past what 32-bit chunk offsets can say. */
function planMp4<P extends PictureSpec>(
  facts: ServedFacts,
  input: With<Mp4HeaderInput, P>,
): ServedPlan<P> | undefined {
  const moovSize = mp4MoovSize(input);
  const [moovStart, , moovEnd] = input.kept.moov;
  const after = facts.size - moovEnd;
  const planned = { kind: 'mp4' as const, input };
  if (!input.kept.moovFirst) {
    // [everything before moov][new moov][what followed moov]: no chunk moves.
    const trailerSize = moovSize + after;
    return {
      ...planned,
      delta: 0,
      headerSize: 0,
      trailerSize,
      audioStart: 0,
      audioEnd: moovStart,
      size: moovStart + trailerSize,
    };
  }
  // [what preceded moov][new moov][the rest, mdat included]: every chunk moves by delta.
  const delta = moovStart + moovSize - moovEnd;
  if (input.kept.co32 && facts.size + delta > 0xffffffff) return undefined;
  const headerSize = moovStart + moovSize;
  return {
    ...planned,
    delta,
    headerSize,
    trailerSize: 0,
    audioStart: moovEnd,
    audioEnd: facts.size,
    size: headerSize + after,
  };
}
