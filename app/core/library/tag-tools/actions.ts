// Saved actions: a named sequence of tag tools (Mp3tag's "actions"), kept in the library so that the app
// and the CLI share them, and run on a selection as one previewed, undoable edit (planSteps). The steps are
// checked by the tools' own schema and built (checkSteps) when saved, and checked again when read: a row
// an older or newer Sleeve wrote that this one cannot run is refused by name, never half run.
import type { z } from 'zod';
import { UserError } from '../../../../kit/user-error.ts';
import { ActionSchema, ActionSteps, type SavedAction } from '../../../shared/rpc/tools.ts';
import type { Db } from '../../db/database.ts';
import { writeTransaction } from '../../db/write-lock.ts';
import { checkSteps } from './tag-tool.ts';

/** Actions kept at most, and the most one's steps take as JSON (bounds, as on every store). */
export const MAX_ACTIONS = 1000;
const MAX_ACTION_BYTES = 1 << 20;

/** The first problem zod found, in words ("steps.0.mode: …"). */
function problemOf(err: z.ZodError): string {
  const issue = err.issues[0]!;
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/** `input` as an action, or a specific refusal. */
export function checkedAction(input: unknown): SavedAction {
  const parsed = ActionSchema.safeParse(input);
  if (!parsed.success) throw new UserError('bad_request', `not an action: ${problemOf(parsed.error)}`);
  return parsed.data;
}

type Row = { name: string; steps: string };

function fromRow(row: Row): SavedAction {
  let steps: unknown;
  try {
    steps = JSON.parse(row.steps);
  } catch {
    steps = undefined;
  }
  const parsed = ActionSteps.safeParse(steps);
  if (!parsed.success)
    throw new UserError(
      'bad_request',
      `the action "${row.name}" cannot be run by this version of Sleeve: ${parsed.error ? problemOf(parsed.error) : 'its steps are not JSON'}`,
    );
  return { name: row.name, steps: parsed.data };
}

/** Every action, by name, with when it was saved; one this version cannot run is listed with the reason
 *  instead of its steps. */
export function listActions(
  db: Db,
): Array<(SavedAction | { name: string; problem: string }) & { savedAt: number }> {
  const rows = db
    .prepare('SELECT name, steps, saved_at AS savedAt FROM actions ORDER BY name')
    .all() as Array<Row & { savedAt: number }>;
  return rows.map((row) => {
    try {
      return { ...fromRow(row), savedAt: row.savedAt };
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return { name: row.name, problem: err.message, savedAt: row.savedAt };
    }
  });
}

export function getAction(db: Db, name: string): SavedAction {
  const row = db.prepare('SELECT name, steps FROM actions WHERE name = ?').get(name.trim()) as
    | Row
    | undefined;
  if (!row) throw new UserError('not_found', `there is no action "${name}"`);
  return fromRow(row);
}

/** Saves an action; one of the same name (in any case) is replaced only when `replace` says so. Each
 *  step is checked as it would run (a pattern, a field, a script), so that a saved action runs. */
export function saveAction(db: Db, input: unknown, { replace = false } = {}): SavedAction {
  const action = checkedAction(input);
  const steps = JSON.stringify(action.steps);
  if (Buffer.byteLength(steps) > MAX_ACTION_BYTES)
    throw new UserError('bad_request', `an action's steps take at most ${MAX_ACTION_BYTES >> 20} MiB`);
  checkSteps(db, action.steps);
  writeTransaction(db, () => {
    const had = db.prepare('SELECT name FROM actions WHERE name = ?').pluck().get(action.name) as
      | string
      | undefined;
    if (had !== undefined && !replace)
      throw new UserError('conflict', `an action "${had}" exists: replace it, or choose another name`);
    if (had === undefined) {
      const count = db.prepare('SELECT count(*) FROM actions').pluck().get() as number;
      if (count >= MAX_ACTIONS)
        throw new UserError('conflict', `the library keeps at most ${MAX_ACTIONS} actions: remove one first`);
    }
    db.prepare('DELETE FROM actions WHERE name = ?').run(action.name);
    db.prepare('INSERT INTO actions (name, steps, saved_at) VALUES (?, ?, ?)').run(
      action.name,
      steps,
      Date.now(),
    );
  });
  return action;
}

export function removeAction(db: Db, name: string): void {
  const removed = writeTransaction(db, () =>
    db.prepare('DELETE FROM actions WHERE name = ?').run(name.trim()),
  );
  if (removed.changes === 0) throw new UserError('not_found', `there is no action "${name}"`);
}
