// `sleeve undo` and `sleeve redo`: one edit batch by its id, or the newest active one (undo) / the one
// undone last (redo).

import type { Db } from '../../core/db/database.ts';
import { editedSince } from '../../core/library/edited-since.ts';
import { type BatchSummary, undoBatch } from '../../core/library/edits.ts';
import { carriedWords } from '../../shared/carried-words.ts';
import { staysWords } from '../../shared/stays-words.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';
import { parseId } from './info.ts';

export function batchCommand(
  name: 'undo' | 'redo',
  act: (db: Db, batchId?: number) => BatchSummary,
  done: string,
): { usage: string; run(ctx: Context, args: string[]): Promise<number> } {
  return {
    usage: `sleeve ${name} [BATCH]`,
    async run(ctx, args) {
      const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
      if (positionals.length > 1) throw new UsageError(`${name} takes at most one BATCH id`);
      const batch = act(ctx.db, positionals[0] === undefined ? undefined : parseId(positionals[0], 'BATCH'));
      ctx.print(`${done} edit batch ${batch.id}: ${batch.description} (${batch.files} file(s))`);
      if (batch.carriedTo > 0) ctx.print(`  and ${carriedWords(batch.carriedTo, name === 'undo')}`);
      for (const f of editedSince(ctx.db, batch.id)) ctx.print(`  ${staysWords(f, 'edit batch')}`);
      return 0;
    },
  };
}

export const { usage, run } = batchCommand('undo', undoBatch, 'undid');
