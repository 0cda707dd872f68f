// The app's tag tools: a preview of what a tool would change on a selection, and running it as one
// undoable batch. The selection is read in the table's order (numbering follows it), and planned again
// when applied, exactly as previewed unless the library changed in between.
import type { Db } from '../core/db/database.ts';
import { applyEdit, EditError, history } from '../core/library/edits.ts';
import { filesByIds } from '../core/library/list.ts';
import { selectedInTableOrder } from '../core/library/selection.ts';
import { describeTool, planTool } from '../core/library/tag-tools/tag-tool.ts';
import { type Sort, type TagToolParams, type Target, TOOL_PREVIEW_FILES } from '../shared/rpc-contract.ts';
import type { Handlers } from './rpc-hub.ts';

export function toolHandlers(db: Db, changed: () => void): Pick<Handlers, 'tools.plan' | 'tools.apply'> {
  const plan = (target: Target, sort: Sort | null, tool: TagToolParams) => {
    const ids = selectedInTableOrder(db, target, sort);
    if (ids.length === 0) throw new EditError('the selection has no tracks (they may have been removed)');
    return planTool(db, ids, tool);
  };
  return {
    'tools.plan': ({ target, sort, tool }) => {
      const { changes, skipped } = plan(target, sort, tool);
      const files = [...new Set(changes.map((c) => c.fileId))];
      const shown = new Set(files.slice(0, TOOL_PREVIEW_FILES));
      const preview = changes.filter((c) => shown.has(c.fileId));
      const named = [...shown, ...skipped.slice(0, TOOL_PREVIEW_FILES).map((s) => s.fileId)];
      return {
        changes: preview.map((c) => ({ ...c, before: [...c.before], after: [...c.after] })),
        files: files.length,
        skipped,
        paths: filesByIds(db, named).map((f) => ({ id: f.id, path: f.path })),
      };
    },
    'tools.apply': ({ target, sort, tool }) => {
      const { changes } = plan(target, sort, tool);
      const tracks = new Set(changes.map((c) => c.fileId)).size;
      const batchId = applyEdit(db, changes, `${describeTool(tool)} on ${tracks} track(s)`);
      changed();
      return { batch: batchId === undefined ? null : history(db, 1, batchId)[0]!, changedTracks: tracks };
    },
  };
}
