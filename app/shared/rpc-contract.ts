// The one contract between the backend and the renderer: every RPC method's parameters and result, and
// every event, as zod schemas. Pure (no Node, no DOM): the server validates requests with it, the client
// validates responses and events with it, so nothing unchecked crosses the WebSocket. Each area declares
// its part in app/shared/rpc/; this module composes them and derives the types callers use.
import type { z } from 'zod';
import { ART_METHODS } from './rpc/art.ts';
import { DUPLICATE_METHODS } from './rpc/duplicates.ts';
import { IDENTIFY_EVENTS, IDENTIFY_METHODS } from './rpc/identify.ts';
import { LIBRARY_EVENTS, LIBRARY_METHODS } from './rpc/library.ts';
import { MOUNT_EVENTS, MOUNT_METHODS } from './rpc/mount.ts';
import { PLAYLIST_METHODS } from './rpc/playlists.ts';
import { SCAN_EVENTS, SCAN_METHODS } from './rpc/scan.ts';
import { SIMILAR_METHODS } from './rpc/similar.ts';
import { TAG_METHODS } from './rpc/tags.ts';
import { TOOL_METHODS } from './rpc/tools.ts';

export type { Batch, Sort, Target, TrackRow } from './rpc/blocks.ts';
export { MAX_IDS, MAX_PAGE, MAX_PICKED_COPIES, TargetSchema } from './rpc/blocks.ts';
export type { DuplicateGroup, RuleChangeShown } from './rpc/duplicates.ts';
export { DUPLICATE_FILTERS } from './rpc/duplicates.ts';
export type { AlbumMatch } from './rpc/identify.ts';
export { MAX_IDENTIFY } from './rpc/identify.ts';
export { MAX_TAG_COLUMNS } from './rpc/library.ts';
export type { MountStatus, SubsonicStatus } from './rpc/mount.ts';
export type { PlaylistInfo } from './rpc/playlists.ts';
export type { ScanProgress, ScanResult, ScanState, WatchReport } from './rpc/scan.ts';
export { MAP_CATEGORIES, MAP_COLOR_FIELDS, MAP_NO_VALUE, MAP_OTHER } from './rpc/similar.ts';
export type { FieldSummary } from './rpc/tags.ts';
export { IMPORT_PREVIEW_FILES, MAX_IMPORT_BYTES, MAX_JSON_IMPORT_BYTES } from './rpc/tags.ts';
export type { TagToolParams } from './rpc/tools.ts';
export { TOOL_PREVIEW_FILES } from './rpc/tools.ts';
export type { RpcErrorBody } from './rpc/wire.ts';
export { describeIssues, ERROR_CODES, RequestSchema, ServerMessageSchema } from './rpc/wire.ts';
export { MULTI_SEPARATOR, TABLE_TAGS } from './track-table.ts';

// Each name's prefix (library., scan., …) belongs to one area, so no area's entry overwrites another's.
export const METHODS = {
  ...LIBRARY_METHODS,
  ...TAG_METHODS,
  ...ART_METHODS,
  ...IDENTIFY_METHODS,
  ...TOOL_METHODS,
  ...SCAN_METHODS,
  ...PLAYLIST_METHODS,
  ...DUPLICATE_METHODS,
  ...SIMILAR_METHODS,
  ...MOUNT_METHODS,
};

export const EVENTS = { ...SCAN_EVENTS, ...LIBRARY_EVENTS, ...IDENTIFY_EVENTS, ...MOUNT_EVENTS };

export type MethodName = keyof typeof METHODS;
export type EventName = keyof typeof EVENTS;
export type Params<M extends MethodName> = z.input<(typeof METHODS)[M]['params']>;
export type Result<M extends MethodName> = z.output<(typeof METHODS)[M]['result']>;
export type EventData<E extends EventName> = z.output<(typeof EVENTS)[E]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(EVENTS, name);
}
