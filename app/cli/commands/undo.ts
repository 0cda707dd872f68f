// `sleeve undo` and `sleeve redo`: one edit batch by its id, or the newest active one (undo) / the one
// undone last (redo).

import type { Db } from '../../core/db/database.ts';
import { editedSince } from '../../core/library/edited-since.ts';
import { type BatchSummary, undoBatch } from '../../core/library/edits.ts';
import { followedWords } from '../../shared/followed-words.ts';
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
      const followed = batch.followed ?? [];
      const made = new Set(followed.filter((f) => f.did === 'made').map((f) => f.id));
      for (const f of followed) ctx.print(`  ${followedWords(f)}`);
      // The fields a newer edit keeps, of the batch and of the carries undone or redone with it.
      for (const b of [batch, ...followed.filter((f) => f.did !== 'made')])
        for (const f of editedSince(ctx.db, b.id).filter((f) => !made.has(f.newest)))
          ctx.print(
            `  ${f.key} stays as edit batch ${f.newest} set it on ${f.files} file${f.files === 1 ? '' : 's'} (a newer edit)`,
          );
      return 0;
    },
  };
}

export const { usage, run } = batchCommand('undo', undoBatch, 'undid');
