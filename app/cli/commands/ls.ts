import { once } from 'node:events';
import { dirname } from 'node:path';
import type { Db } from '../../core/db/database.ts';
import { albumGroups, matching } from '../../core/library/albums.ts';
import { countMatching, filesByIds, iterateFiles } from '../../core/library/list.ts';
import type { ListScope, Scope } from '../../core/library/query-sql.ts';
import { closerQuery } from '../../core/library/value-typos.ts';
import { type Context, inert } from '../context.ts';
import { UsageError } from '../errors.ts';
import { albumValuesFor, formatItem, formatTemplate, itemJson } from '../format.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = 'sleeve ls [QUERY...] [--json] [-f FORMAT | -p] [-a] [--all-copies] [--errors]';

const DEFAULT_FORMAT = '$id  $artist - $album - $title';
/** An album's line, as beets' `ls -a` prints it. */
const ALBUM_FORMAT = '$albumartist - $album';
/** Unreadable files say why; damaged ones (truncated, a value ignored) what the scan warned of. */
const ERROR_FORMAT = '$id  $status  $path: $error$warning';

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      format: { type: 'string', short: 'f' },
      // beets' `ls -p` (paths) and `ls -a` (albums).
      path: { type: 'boolean', short: 'p', default: false },
      album: { type: 'boolean', short: 'a', default: false },
      errors: { type: 'boolean', default: false },
      'all-copies': { type: 'boolean', default: false },
    },
  });
  const lines = [values.json && '--json', values.format !== undefined && '-f', values.path && '-p'];
  if (lines.filter(Boolean).length > 1)
    throw new UsageError(
      `${lines.filter(Boolean).join(' and ')}: -f formats the lines ls prints, -p prints paths, --json gives every field (give one of them)`,
    );
  if (values.album && values.errors) throw new UsageError('--errors lists files, not albums (-a)');
  const format =
    values.format ??
    (values.path ? '$path' : values.errors ? ERROR_FORMAT : values.album ? ALBUM_FORMAT : DEFAULT_FORMAT);
  const template = formatTemplate(ctx.db, format);
  const albumValues = albumValuesFor(ctx.db, template);
  const query = positionals.join(' ');
  // One file per recording (its kept copy) unless every copy is asked for; --errors lists files.
  const scope: Scope = values.errors ? 'errors' : values['all-copies'] ? 'library' : 'recordings';
  if (values.album)
    return listAlbumLines(ctx, query, scope as ListScope, { ...values, template, albumValues });
  const items = iterateFiles(ctx.db, query, scope);
  // Streamed at the reader's pace: a large library is never one string, nor a growing buffer, in memory.
  const out = ctx.io.out;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let listed = 0;
  if (values.json) {
    await write('[');
    for (const item of items) {
      await write(`${listed++ === 0 ? '\n' : ',\n'}${JSON.stringify(itemJson(item))}`);
    }
    await write(listed === 0 ? ']\n' : '\n]\n');
  } else
    for (const item of items) {
      await write(`${inert(formatItem(template, item, albumValues))}\n`);
      listed++;
    }
  // Said on stderr, so a script reading stdout still gets an empty list (or `[]` with --json).
  if (listed === 0)
    ctx.warn(
      values.errors
        ? `no unreadable or damaged files${query ? ` match "${query}"` : ''}`
        : query
          ? `no tracks match "${query}"${didYouMean(ctx.db, query)}`
          : 'the library has no tracks yet',
    );
  if (scope === 'recordings' && listed > 0) {
    // What was listed is known: one count of every file says how many copies were left out.
    const hidden = countMatching(ctx.db, query, 'library') - listed;
    if (hidden > 0)
      ctx.warn(
        `${hidden} other ${hidden === 1 ? 'copy' : 'copies'} of these recordings not listed (--all-copies lists every file)`,
      );
  }
  return 0;
}

/**
 * beets' `ls -a`: the albums of the matching tracks (not the tracks on no album, which beets calls
 * singletons), in the album grid's order, each a line of one of its tracks' fields (the album's own,
 * $albumartist, $album, $albumyear, are the album's), its folder with -p, or its entry with --json.
 */
async function listAlbumLines(
  ctx: Context,
  query: string,
  scope: ListScope,
  options: {
    json: boolean;
    path: boolean;
    template: ReturnType<typeof formatTemplate>;
    albumValues: ReturnType<typeof albumValuesFor>;
  },
): Promise<number> {
  const q = matching(ctx.db, query, scope);
  const albums = albumGroups(ctx.db, q.where, q.whereParams).filter((a) => a.entry.album !== '');
  if (albums.length === 0) ctx.warn(query ? `no albums match "${query}"` : 'the library has no albums yet');
  if (options.json) {
    ctx.print(
      JSON.stringify(
        albums.map((a) => a.entry),
        null,
        1,
      ),
    );
    return 0;
  }
  // Each album's file found first (its lowest id) stands for it, read a page at a time.
  const firsts = albums.map((a) =>
    a.members.reduce((low, id) => Math.min(low, id), Number.POSITIVE_INFINITY),
  );
  for (let i = 0; i < firsts.length; i += PAGE)
    for (const first of filesByIds(ctx.db, firsts.slice(i, i + PAGE)))
      ctx.print(
        inert(options.path ? dirname(first.path) : formatItem(options.template, first, options.albumValues)),
      );
  return 0;
}

const PAGE = 500;

/** A mistyped value put right, as the library spells it: said after "no tracks match". */
function didYouMean(db: Db, query: string): string {
  const closer = closerQuery(db, query);
  return closer ? `; did you mean: sleeve ls '${closer.query.replaceAll("'", `'\\''`)}'` : '';
}
