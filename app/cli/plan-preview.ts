// An edit's plan as the CLI shows it before asking: each changed file's path and its fields before → after,
// the first 40 files, then how many more.
import type { Db } from '../core/db/database.ts';
import type { PlannedChange } from '../core/library/edits.ts';
import { getFile } from '../core/library/list.ts';
import type { Context } from './context.ts';
import { shownValues } from './format.ts';

const SHOWN = 40;

/** Prints the plan; returns how many files it changes. */
export function printPlan(ctx: Context, db: Db, plan: readonly PlannedChange[]): number {
  let lastFile = -1;
  let shown = 0;
  for (const c of plan) {
    if (c.fileId !== lastFile) {
      if (shown >= SHOWN) break;
      ctx.print(getFile(db, c.fileId)?.path ?? `#${c.fileId}`);
      lastFile = c.fileId;
      shown++;
    }
    ctx.print(`  ${c.key}: ${shownValues(c.before)} → ${shownValues(c.after)}`);
  }
  const files = new Set(plan.map((c) => c.fileId)).size;
  if (files > SHOWN) ctx.print(`… and ${files - SHOWN} more file(s)`);
  return files;
}
