// The confirmation an edit needs before it is made: `-y` for a narrow one, `--yes-all` for a wide one (no
// query, or more files than a few albums), or a "y" typed at a terminal. Shared by every command that edits.
import { createInterface } from 'node:readline/promises';
import type { Context } from './context.ts';
import { CliError } from './errors.ts';

/** The flags that confirm an edit, for a command's parseArgs options. */
export const CONFIRM_OPTIONS = {
  yes: { type: 'boolean', short: 'y', default: false },
  'yes-all': { type: 'boolean', default: false },
} as const;

/** More files than a few albums: -y alone does not confirm such an edit (nor one without a query). */
export const WIDE_EDIT_FILES = 100;

/** Why an edit is wider than a user is likely to mean, or undefined. */
function wideEdit(query: string, files: number): string | undefined {
  if (query.trim() === '') return `it has no query, so it edits every track in the library (${files} files)`;
  if (files > WIDE_EDIT_FILES) return `it changes ${files} files (more than ${WIDE_EDIT_FILES})`;
  return undefined;
}

/** Whether the user confirmed changing `files` files matched by `query`; throws when it cannot ask. */
export async function confirmEdit(
  ctx: Context,
  query: string,
  files: number,
  flags: { readonly yes: boolean; readonly yesAll: boolean },
): Promise<boolean> {
  const wide = wideEdit(query, files);
  if (flags.yesAll || (!wide && flags.yes)) return true;
  if (wide && ctx.io.stdin.isTTY) ctx.warn(`this is a wide edit: ${wide}`);
  return askYes(
    ctx,
    `Change ${files} file(s)? Files on disk are never modified.`,
    wide
      ? `not changing anything: ${wide}; check the query, then pass --yes-all to confirm a wide edit`
      : 'not changing anything without confirmation: pass -y',
  );
}

/** A "y" typed at a terminal; without one, `refusal` is the error (the flag to pass instead). */
export async function askYes(ctx: Context, question: string, refusal: string): Promise<boolean> {
  if (!ctx.io.stdin.isTTY) throw new CliError(refusal);
  const rl = createInterface({ input: ctx.io.stdin, output: ctx.io.err });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  if (/^y(es)?$/i.test(answer.trim())) return true;
  ctx.print('nothing changed');
  return false;
}
