// Worker thread: the backend's large writes on a connection of its own (library-writer.ts): the app's edits
// and tag tools, planned and saved here, and the derivation of what they changed, so the event loop keeps
// answering while 100k tracks are retagged.
import { parentPort, workerData } from 'node:worker_threads';
import { serveTasks } from '../../kit/worker-pool.ts';
import { type Db, openDatabase } from '../core/db/database.ts';
import { giveWay } from '../core/db/write-lock.ts';
import { albumLoudnessBehind } from '../core/library/album-loudness.ts';
import { Derivation, derivationLag, dropAbandonedBatches } from '../core/library/derivation.ts';
import { describeEdit, type FieldChange, type PlannedChange, planEdit } from '../core/library/edits.ts';
import { gainDefaultPending } from '../core/library/gain-source.ts';
import type { LoadedField } from '../core/library/loaded-fields.ts';
import { applyPreviewed, type Previewed } from '../core/library/previewed.ts';
import { planSteps, type TagTool } from '../core/library/tag-tools/tag-tool.ts';
import type { ToolTracks } from '../core/library/tag-tools/tool-tracks.ts';
import { type ImportPlan, saveImport } from '../core/library/tags-import.ts';
import { formatCount } from '../shared/count-words.ts';
import { describeSteps } from '../shared/tool-words.ts';

export type WriteRequest =
  | {
      op: 'edit';
      previewed: Previewed;
      changes: FieldChange[];
      /** What the editor loaded of each field it saves: refused when one changed since. */
      loaded: LoadedField[];
      /** The edit in words, else (undefined) described from what it changes, over `scope`. */
      description: string | undefined;
      scope: string;
    }
  /** Tools run one after the other (one, or a saved action's steps, `action` naming it). */
  | { op: 'tool'; previewed: ToolTracks & { version: number }; steps: TagTool[]; action?: string }
  /** A spreadsheet's import as previewed: its changes and the conflicts it keeps. */
  | ({ op: 'import'; previewed: Previewed; description: string } & Pick<ImportPlan, 'plan' | 'conflicts'>)
  /** Derives for up to `ms`; answers with how many files are still to derive, and whether what follows
   *  them (a new default source of ReplayGain, album loudness) is still behind. */
  | { op: 'derive'; ms: number };

export type WriteResult =
  | { batch: number | undefined; changedTracks: number; description: string }
  | { lag: number; behind: boolean };

/** The writes, on `db`: the worker's own connection, or the backend's for an edit of a few tracks. */
export function libraryWrites(db: Db): (request: WriteRequest) => WriteResult {
  let derivation: Derivation | undefined;
  const save = (
    previewed: Previewed,
    plan: readonly PlannedChange[],
    description: string,
    loaded: readonly LoadedField[] = [],
  ) => ({
    batch: applyPreviewed(db, previewed, plan, { description, origin: 'app' }, loaded),
    changedTracks: new Set(plan.map((c) => c.fileId)).size,
    description,
  });
  return (r) => {
    switch (r.op) {
      case 'edit': {
        const plan = planEdit(db, r.previewed.ids, r.changes);
        return save(r.previewed, plan, r.description ?? describeEdit(r.changes, r.scope, plan), r.loaded);
      }
      case 'tool': {
        const { changes } = planSteps(db, r.previewed, r.steps);
        const tracks = new Set(changes.map((c) => c.fileId)).size;
        const description = `${describeSteps(r.steps, r.action)} on ${formatCount(tracks, 'track')}`;
        return save(r.previewed, changes, description);
      }
      case 'import': {
        const batch = saveImport(db, r.previewed, r, { description: r.description, origin: 'app' });
        const changedTracks = new Set(r.plan.map((c) => c.fileId)).size;
        return { batch, changedTracks, description: r.description };
      }
      case 'derive': {
        dropAbandonedBatches(db); // a batch a writer killed mid-way left, never shown
        const until = performance.now() + r.ms;
        derivation ??= new Derivation(db);
        while (performance.now() < until && derivation.step() > 0) giveWay(db);
        return { lag: derivationLag(db), behind: gainDefaultPending(db) || albumLoudnessBehind(db) };
      }
    }
  };
}

if (parentPort) {
  const db = openDatabase((workerData as { database: string }).database);
  const write = libraryWrites(db);
  serveTasks(parentPort, async (request: WriteRequest) => write(request));
}
