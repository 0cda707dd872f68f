// The index's native search (native/: the posting scan and the hit counter in C): where it is built, its
// functions' types, and loading it.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const SEARCH_ADDON_FILE = fileURLToPath(
  new URL('native/build/sleeve_index_search.node', import.meta.url),
);
/** The AddressSanitizer build, loaded instead when SLEEVE_INDEX_SANITIZED=1 (npm run test:sanitize). */
export const SANITIZED_SEARCH_ADDON_FILE = fileURLToPath(
  new URL('native/build/sleeve_index_search.asan.node', import.meta.url),
);

/** Opaque handles made by the addon. */
export type NativeSegment = { readonly __nativeSegment: never };
export type NativeCounter = { readonly __nativeCounter: never };

/** countBlocks' answers for a block whose contents lead outside it; for a page of blocks whose checksum
 *  does not match; for a page the kernel could not give (a disk's read error, the file cut short). */
export const SCAN_DAMAGED = -2;
export const SCAN_CHECKSUM = -4;
export const SCAN_UNREADABLE = -5;
/** collect's answers: the output arrays are too short; a table could not grow. */
export const COLLECT_SHORT = -1;
export const COLLECT_NO_MEMORY = -3;

export interface SearchAddon {
  /** Maps the segment file open at `fd` (`fileBytes` long); the descriptor may be closed after. */
  mapSegment(
    fd: number,
    fileBytes: number,
    blocksAt: number,
    blockSize: number,
    numBlocks: number,
    maxTerms: Uint32Array,
    bucketStart: Uint32Array,
    bucketBits: number,
    pageCrcs: Uint32Array,
    pageBlocks: number,
  ): NativeSegment;
  /** The pages (runs of pageBlocks blocks) checked against pageCrcs so far. */
  checkedPages(segment: NativeSegment): number;
  /** Unmaps it now; counting in it afterwards throws. */
  releaseSegment(segment: NativeSegment): void;
  createCounter(): NativeCounter;
  startBatch(
    counter: NativeCounter,
    terms: Uint32Array,
    starts: Uint32Array | null,
    owners: Uint16Array | null,
    queries: number,
  ): void;
  countBlocks(counter: NativeCounter, segment: NativeSegment): number;
  countPairs(counter: NativeCounter, terms: Uint32Array, ids: Uint32Array): number;
  collect(
    counter: NativeCounter,
    minScores: Uint32Array,
    ids: Uint32Array,
    scores: Uint32Array,
    queries: Uint32Array,
  ): number;
  endBatch(counter: NativeCounter): void;
}

let addon: SearchAddon | undefined;

export function searchAddon(): SearchAddon {
  try {
    const file = process.env.SLEEVE_INDEX_SANITIZED === '1' ? SANITIZED_SEARCH_ADDON_FILE : SEARCH_ADDON_FILE;
    addon ??= createRequire(import.meta.url)(file) as SearchAddon;
  } catch (err) {
    // Node's message goes on with the require stack: its first line says what is missing.
    throw new Error(
      `the index's native search is not built (npm install builds it; it needs a C compiler): ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return addon;
}
