// `sleeve art`: the cover art of matching tracks — listed, set from an image file, or removed — as an
// undoable edit that every mount serves. Files on disk are never written.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { systemReason } from '../../../kit/capped-file.ts';
import { writeTransaction } from '../../core/db/write-lock.ts';
import { ArtStore, PICTURE_TYPES, type PictureTypeName } from '../../core/library/art.ts';
import {
  type CoverChange,
  type CoverImage,
  coverImage,
  MAX_COVER_BYTES,
  planCover,
  storeCover,
} from '../../core/library/cover-edit.ts';
import { editTargets } from '../../core/library/edit-targets.ts';
import { applyEdit } from '../../core/library/edits.ts';
import { filesByIds } from '../../core/library/list.ts';
import { CONFIRM_OPTIONS, confirmEdit } from '../confirm-edit.ts';
import type { Context } from '../context.ts';
import { copiesNotes } from '../copies-notes.ts';
import { CliError, UsageError } from '../errors.ts';
import { formatBytes } from '../format.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = `sleeve art QUERY [--copies] [--json]             the pictures of the recordings listed
  sleeve art QUERY --set IMAGE [--type front] [--copies] [-y | --yes-all]   add, or replace the picture of that type
  sleeve art QUERY --remove [--type front|all] [--copies] [-y | --yes-all]
  types: ${Object.keys(PICTURE_TYPES).join(', ')}`;

const TYPE_NAMES = new Map<number, string>(Object.entries(PICTURE_TYPES).map(([name, n]) => [n, name]));

function pictureType(name: string | undefined, allowAll: boolean): number | 'all' {
  if (name === undefined) return PICTURE_TYPES.front;
  if (allowAll && name === 'all') return 'all';
  const n = PICTURE_TYPES[name as PictureTypeName];
  if (n === undefined)
    throw new UsageError(
      `unknown picture type "${name}": ${Object.keys(PICTURE_TYPES).join(', ')}${allowAll ? ', all' : ''}`,
    );
  return n;
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      set: { type: 'string' },
      remove: { type: 'boolean', default: false },
      type: { type: 'string' },
      // Every copy of the recordings listed, not only the one listed (as `sleeve set --copies`).
      copies: { type: 'boolean', default: false },
      ...CONFIRM_OPTIONS,
    },
  });
  if (values.set !== undefined && values.remove) throw new UsageError('art: --set or --remove, not both');
  const query = positionals.join(' ');
  const db = ctx.db;
  const targets = editTargets(db, query, values.copies);
  const { ids } = targets;
  if (ids.length === 0) throw new CliError(`no files match "${query}"`);
  if (values.set !== undefined || values.remove)
    for (const note of copiesNotes(targets, 'changes')) ctx.warn(note);

  if (values.set === undefined && !values.remove) {
    const pictures = new ArtStore(db).picturesOf(ids);
    const files = filesByIds(db, ids);
    if (values.json) {
      ctx.io.out.write(
        `${JSON.stringify(files.map((f) => ({ id: f.id, path: f.path, pictures: pictures.get(f.id) ?? [] })))}\n`,
      );
      return 0;
    }
    for (const f of files) {
      const list = pictures.get(f.id) ?? [];
      ctx.print(`${f.path}: ${list.length === 0 ? 'no pictures' : ''}`);
      for (const p of list)
        ctx.print(
          `  ${TYPE_NAMES.get(p.type) ?? `type ${p.type}`}: ${p.mime} ${p.width ?? '?'}×${p.height ?? '?'}, ${formatBytes(p.bytes)}${p.description ? ` “${p.description}”` : ''} (${p.hash.slice(0, 12)})`,
        );
    }
    return 0;
  }

  let change: CoverChange;
  let what: string;
  let image: CoverImage | undefined;
  if (values.set !== undefined) {
    const file = values.set;
    let size: number;
    try {
      size = statSync(file).size;
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${systemReason(err)}`);
    }
    if (size > MAX_COVER_BYTES)
      throw new CliError(`${file} is larger than a cover can be (${MAX_COVER_BYTES >> 20} MiB)`);
    const type = pictureType(values.type, false) as number;
    image = coverImage(readFileSync(file), file);
    change = { kind: 'set', hash: image.hash, type };
    what = `set the ${TYPE_NAMES.get(type)} picture (${basename(file)})`;
  } else {
    const type = pictureType(values.type, true);
    change = { kind: 'remove', type };
    what = type === 'all' ? 'remove every picture' : `remove the ${TYPE_NAMES.get(type)} picture`;
  }
  const plan = planCover(db, ids, change);
  if (plan.length === 0) {
    ctx.print(`nothing to change: ${ids.length} file(s) already have these pictures`);
    return 0;
  }
  ctx.print(`${what} of ${plan.length} file(s)`);
  if (!(await confirmEdit(ctx, query, plan.length, { yes: values.yes, yesAll: values['yes-all'] }))) return 0;
  const batch = writeTransaction(db, () => {
    if (image) storeCover(db, image);
    return applyEdit(
      db,
      [],
      { description: `art: ${what}${query ? ` where ${query}` : ''}`, origin: 'cli' },
      plan,
    );
  });
  ctx.print(`saved as edit batch ${batch} (${plan.length} file(s)); undo with: sleeve undo ${batch}`);
  return 0;
}
