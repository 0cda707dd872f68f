// The app's tag tools: a preview of what a tool would change on a selection (the recordings the table
// lists, in its order, which numbering follows; and their other copies when asked), and saving exactly
// that preview as one undoable batch: the same files, planned as they were, refused if one changed since.
import type { Db } from '../core/db/database.ts';
import { EditError, history } from '../core/library/edits.ts';
import { filesByIds } from '../core/library/list.ts';
import { previewing } from '../core/library/previewed.ts';
import { selectedInTableOrder } from '../core/library/selection.ts';
import { getAction, listActions, removeAction, saveAction } from '../core/library/tag-tools/actions.ts';
import { planSteps, type TagTool } from '../core/library/tag-tools/tag-tool.ts';
import { type ToolTracks, toolTracks } from '../core/library/tag-tools/tool-tracks.ts';
import { TOOL_PREVIEW_FILES } from '../shared/rpc-contract.ts';
import { HeldPreviews } from './held-previews.ts';
import type { LibraryWriter } from './library-writer.ts';
import type { Handlers } from './rpc-hub.ts';

export function toolHandlers(
  db: Db,
  writer: LibraryWriter,
  changed: () => void,
): Pick<Handlers, 'tools.plan' | 'tools.apply' | 'actions.list' | 'actions.save' | 'actions.remove'> {
  const previews = new HeldPreviews<
    ToolTracks & { readonly steps: TagTool[]; readonly action?: string; readonly version: number }
  >();
  return {
    'tools.plan': async ({ target, sort, tool, action, copies }) => {
      // An action's steps as saved now: the preview holds them, so what is saved is what was shown.
      const saved = action === undefined ? undefined : getAction(db, action);
      const steps = saved ? saved.steps : [tool!];
      // What the preview shows is what the library holds: an earlier edit's tracks derived first.
      await writer.idle();
      const { changes, skipped, partly, ...held } = previewing(db, () => {
        const listed = selectedInTableOrder(db, target, sort);
        if (listed.length === 0)
          throw new EditError('the selection has no tracks (they may have been removed)');
        const tracks = toolTracks(db, listed, copies ?? false);
        return {
          ...tracks,
          steps,
          ...(saved ? { action: saved.name } : {}),
          ...planSteps(db, tracks, steps),
        };
      });
      const files = [...new Set(changes.map((c) => c.fileId))];
      const shown = new Set(files.slice(0, TOOL_PREVIEW_FILES));
      const preview = changes.filter((c) => shown.has(c.fileId));
      const left = skipped.slice(0, TOOL_PREVIEW_FILES);
      const partlyShown = partly.slice(0, TOOL_PREVIEW_FILES);
      const named = [
        ...new Set([...shown, ...left.map((s) => s.fileId), ...partlyShown.map((s) => s.fileId)]),
      ];
      return {
        preview: previews.hold(held),
        changes: preview.map((c) => ({ ...c, before: [...c.before], after: [...c.after] })),
        files: files.length,
        skipped: left,
        skippedTotal: skipped.length,
        partly: partlyShown,
        partlyTotal: partly.length,
        otherCopies: held.otherCopies,
        paths: filesByIds(db, named).map((f) => ({ id: f.id, path: f.path })),
      };
    },
    'tools.apply': async ({ preview }) => {
      const held = previews.get(preview);
      // Planned again (on the writer's thread) from the same files, in the same order: the preview's plan as
      // long as none of them changed, which applyPreviewed makes sure of.
      const { batch, changedTracks } = await writer.tool({
        op: 'tool',
        previewed: held,
        steps: held.steps,
        ...(held.action === undefined ? {} : { action: held.action }),
      });
      changed();
      return { batch: batch === undefined ? null : history(db, 1, batch)[0]!, changedTracks };
    },
    'actions.list': async () => ({ actions: listActions(db) }),
    'actions.save': async ({ name, steps, replace }) => ({
      name: saveAction(db, { name, steps }, { replace: replace ?? false }).name,
    }),
    'actions.remove': async ({ name }) => {
      removeAction(db, name);
      return {};
    },
  };
}
