// The tools saved from the Tools panel in this window, oldest first: what "Save as an action" offers, so
// an action is made from what the user just did instead of being typed again.
import type { TagToolParams } from '../../app/shared/rpc-contract.ts';

/** Tools remembered at most (the newest kept). */
export const RECENT_TOOLS = 10;

let recent: readonly TagToolParams[] = [];

export function rememberTool(tool: TagToolParams): void {
  recent = [...recent, tool].slice(-RECENT_TOOLS);
}

export function recentTools(): readonly TagToolParams[] {
  return recent;
}
