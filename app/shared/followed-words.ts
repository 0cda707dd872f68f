// What an undo or redo did besides the batch it was asked for (app/core/library/carry-follow.ts: the
// batches carrying that batch's edits to other copies), in the words `sleeve undo`/`redo` and the app's
// notices both say.
import type { Batch } from './rpc/blocks.ts';

export type FollowedBatch = NonNullable<Batch['followed']>[number];

const WORDS: Record<FollowedBatch['did'], (f: FollowedBatch) => string> = {
  undone: (f) =>
    `took back edit batch ${f.id}, which carried this batch's edits to other copies: ${f.description}`,
  redone: (f) => `redid edit batch ${f.id} with it: ${f.description}`,
  made: (f) =>
    `carried the other edits it held (${f.fields.join(', ')}) again as edit batch ${f.id}, the newer edits of them left standing`,
  withdrawn: (f) => `undid edit batch ${f.id}, which the undo made: ${f.description}`,
};

export const followedWords = (f: FollowedBatch): string => WORDS[f.did](f);
