// `sleeve conflicts`: fields a tagger changed through a mount that an edit had changed since the tagger
// read the file (app/core/library/save-conflicts.ts). The library's value was kept; the tagger's waits
// here: `take` makes it the field's value (one undoable edit), `keep` drops it.

import {
  keepConflict,
  type ListedConflict,
  openConflictIds,
  openConflicts,
  shown,
  takeConflict,
} from '../../core/library/save-conflicts.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = `sleeve conflicts [list] [--json]
  sleeve conflicts take ID…|--all   the tagger's (or the import's) value, as an undoable edit
  sleeve conflicts keep ID…|--all   the library's value stays; the other is dropped`;

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** A conflict in words: a tagger's save through a mount, or an import of tags as text; the library's value
 *  as it is now, and what it was when the save came if an edit moved it since. */
const lines = (c: ListedConflict) => {
  const since = c.changedSince
    ? [
        `        changed since the save (it held ${shown(c.key, c.library)}): edit the field, or keep the library's`,
      ]
    : [];
  return c.source === 'import'
    ? [
        `${String(c.id).padStart(4)}  ${when(c.at)}  ${c.original}  ${c.key}  (an import)`,
        `        the library: ${shown(c.key, c.now)}  (exported as ${shown(c.key, c.read)})`,
        ...since,
        `        the import:  ${shown(c.key, c.tagger)}`,
      ]
    : [
        `${String(c.id).padStart(4)}  ${when(c.at)}  ${c.path}  ${c.key}`,
        `        the file:    ${c.original}`,
        `        the library: ${shown(c.key, c.now)}  (the tagger read ${shown(c.key, c.read)})`,
        ...since,
        `        the tagger:  ${shown(c.key, c.tagger)}`,
      ];
};

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, all: { type: 'boolean', default: false } },
  });
  const [action = 'list', ...which] = positionals;
  const db = ctx.db;
  if (action === 'list') {
    const { count, listed } = openConflicts(db);
    if (values.json) ctx.print(JSON.stringify({ count, conflicts: listed }));
    else if (count === 0) ctx.print('no conflicts: no save through a mount or import waits for your word');
    else for (const c of listed) for (const line of lines(c)) ctx.print(line);
    if (!values.json && count > listed.length) ctx.print(`… and ${count - listed.length} more`);
    return 0;
  }
  if (action !== 'take' && action !== 'keep') throw new UsageError(usage);
  if (values.all === which.length > 0)
    throw new UsageError(`conflicts ${action}: the conflicts' IDs, or --all`);
  const ids = values.all ? openConflictIds(db) : which.map(idOf);
  let failed = 0;
  for (const id of ids) {
    try {
      if (action === 'take') {
        const batch = takeConflict(db, id, 'cli');
        ctx.print(
          `took conflict ${id}${batch === undefined ? ' (the library had that value)' : ` as edit batch ${batch}`}`,
        );
      } else {
        keepConflict(db, id);
        ctx.print(`kept the library's value of conflict ${id}`);
      }
    } catch (err) {
      if (ids.length === 1) throw err;
      failed++;
      ctx.warn(`sleeve: ${(err as Error).message}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

function idOf(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`"${text}" is not a conflict's ID`);
  return id;
}
