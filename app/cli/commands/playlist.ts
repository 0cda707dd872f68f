// `sleeve playlist`: lists and smart playlists, made from queries, imported from and exported to M3U8.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { replaceFileAtomically } from '../../../kit/fs-durable.ts';
import { filesByIds, matchingIds } from '../../core/library/list.ts';
import { exportPlaylist, importPlaylist, MAX_PLAYLIST_BYTES } from '../../core/library/m3u8.ts';
import {
  appendToPlaylist,
  createPlaylist,
  deletePlaylist,
  editSmartPlaylist,
  listPlaylists,
  movePlaylistTrack,
  type Playlist,
  playlistNamed,
  playlistTracks,
  renamePlaylist,
  restorePlaylist,
} from '../../core/library/playlists.ts';
import { type Context, inert } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { albumValuesFor, formatItem, formatTemplate, itemJson } from '../format.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = `sleeve playlist [ls] [--json]
  sleeve playlist show NAME [--json] [-f FORMAT]
  sleeve playlist new NAME [QUERY...] [--all-copies]     a list of the query's tracks now
  sleeve playlist new NAME --smart QUERY... [--limit N]  kept live: the query's tracks whenever asked
  sleeve playlist add NAME QUERY... [--all-copies]
  sleeve playlist move NAME FROM TO                      the track at place FROM (1 = first) to place TO
  sleeve playlist query NAME QUERY... [--limit N]      a smart playlist's new query (and limit)
  sleeve playlist rename NAME NEW_NAME
  sleeve playlist rm NAME
  sleeve playlist restore NAME                           a removed playlist back (kept 30 days)
  sleeve playlist import FILE.m3u8 [--name NAME]
  sleeve playlist export NAME [-o FILE]`;

const DEFAULT_FORMAT = '$id  $artist - $title';

const kind = (p: Playlist) =>
  p.query === null ? 'list' : `smart: ${p.query}${p.limit === null ? '' : ` (at most ${p.limit})`}`;

const OPTIONS = {
  json: { type: 'boolean', default: false },
  format: { type: 'string', short: 'f' },
  smart: { type: 'boolean', default: false },
  limit: { type: 'string' },
  'all-copies': { type: 'boolean', default: false },
  name: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

/** One playlist action's call: its options, the NAME (asked for: refused when missing) and the words after. */
interface Call {
  readonly ctx: Context;
  readonly values: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
  >['values'];
  needName(): string;
  readonly rest: readonly string[];
}

/** Tracks a query matches now: one per recording unless --all-copies. */
function matches({ ctx, values }: Call, query: string): number[] {
  const ids = matchingIds(ctx.db, query, values['all-copies'] ? 'library' : 'recordings');
  if (ids.length === 0) throw new CliError(`no tracks match ${JSON.stringify(query)}`);
  return ids;
}

const smartLimit = ({ values }: Call) => (values.limit === undefined ? null : Number(values.limit));

const ACTIONS: Record<string, (call: Call) => number> = {
  ls({ ctx, values }) {
    const lists = listPlaylists(ctx.db).map((p) => ({ ...p, tracks: playlistTracks(ctx.db, p).length }));
    if (values.json) ctx.print(JSON.stringify(lists, null, 2));
    else if (lists.length === 0) ctx.warn('no playlists yet: sleeve playlist new NAME QUERY');
    else for (const p of lists) ctx.print(`${p.name}  ${p.tracks} tracks  (${kind(p)})`);
    return 0;
  },
  show({ ctx, values, needName }) {
    const p = playlistNamed(ctx.db, needName());
    const items = filesByIds(ctx.db, playlistTracks(ctx.db, p));
    if (values.json) {
      ctx.print(JSON.stringify({ ...p, tracks: items.map(itemJson) }, null, 2));
      return 0;
    }
    const template = formatTemplate(ctx.db, values.format ?? DEFAULT_FORMAT);
    const albumValues = albumValuesFor(ctx.db, template);
    for (const item of items) ctx.print(formatItem(template, item, albumValues));
    return 0;
  },
  new(call) {
    const { ctx, values, needName, rest } = call;
    const query = rest.join(' ');
    let p: Playlist;
    if (values.smart) {
      if (query === '') throw new UsageError('a smart playlist needs a QUERY');
      p = createPlaylist(ctx.db, needName(), { kind: 'smart', query, limit: smartLimit(call) });
    } else {
      if (values.limit !== undefined) throw new UsageError('--limit is for smart playlists (--smart)');
      p = createPlaylist(ctx.db, needName(), { kind: 'ids', ids: query === '' ? [] : matches(call, query) });
    }
    ctx.print(`playlist “${p.name}”: ${playlistTracks(ctx.db, p).length} tracks (${kind(p)})`);
    return 0;
  },
  add(call) {
    const { ctx, needName, rest } = call;
    const p = playlistNamed(ctx.db, needName());
    if (rest.length === 0) throw new UsageError('playlist add needs a QUERY');
    const added = matches(call, rest.join(' '));
    const { playlist: after, alreadyThere } = appendToPlaylist(ctx.db, p.id, added);
    const again = alreadyThere > 0 ? ` (${alreadyThere} of them listed already: now twice)` : '';
    ctx.print(
      `playlist “${after.name}”: added ${added.length}${again}, ${playlistTracks(ctx.db, after).length} tracks`,
    );
    return 0;
  },
  move({ ctx, needName, rest }) {
    const p = playlistNamed(ctx.db, needName());
    const [from, to] = rest.map(Number);
    if (rest.length !== 2) throw new UsageError('playlist move NAME FROM TO (places: 1 is the first)');
    movePlaylistTrack(ctx.db, p.id, from! - 1, to! - 1);
    ctx.print(`playlist “${p.name}”: track ${from} moved to place ${to}`);
    return 0;
  },
  query(call) {
    const { ctx, needName, rest } = call;
    const p = playlistNamed(ctx.db, needName());
    if (rest.length === 0) throw new UsageError('playlist query needs the new QUERY');
    const after = editSmartPlaylist(ctx.db, p.id, rest.join(' '), smartLimit(call));
    ctx.print(`playlist “${after.name}”: ${playlistTracks(ctx.db, after).length} tracks (${kind(after)})`);
    return 0;
  },
  rename({ ctx, needName, rest }) {
    const p = playlistNamed(ctx.db, needName());
    if (rest.length !== 1) throw new UsageError('playlist rename NAME NEW_NAME');
    ctx.print(`playlist “${p.name}” is now “${renamePlaylist(ctx.db, p.id, rest[0]!).name}”`);
    return 0;
  },
  rm({ ctx, needName }) {
    const p = deletePlaylist(ctx.db, playlistNamed(ctx.db, needName()).id);
    ctx.print(`removed playlist “${p.name}” (${kind(p)}); no track or file was touched`);
    ctx.warn(`undo: sleeve playlist restore ${JSON.stringify(p.name)}`);
    return 0;
  },
  restore({ ctx, needName }) {
    const p = restorePlaylist(ctx.db, { name: needName() });
    const n = playlistTracks(ctx.db, p).length;
    ctx.print(`restored playlist “${p.name}” (${kind(p)}, ${n} track${n === 1 ? '' : 's'})`);
    return 0;
  },
  import: ({ ctx, values, needName }) => importFile(ctx, needName(), values.name, values.json),
  export({ ctx, values, needName }) {
    const { text, tracks } = exportPlaylist(ctx.db, playlistNamed(ctx.db, needName()));
    if (values.output === undefined) ctx.io.out.write(inert(text));
    else {
      replaceFileAtomically(resolve(values.output), text);
      ctx.warn(`wrote ${tracks} tracks to ${values.output}`);
    }
    return 0;
  },
};

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const [action = 'ls', name, ...rest] = positionals;
  const act = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!act) throw new UsageError(`unknown playlist action: ${action}`);
  const named = () => {
    if (name === undefined) throw new UsageError(`playlist ${action} needs a playlist NAME`);
    return name;
  };
  return act({ ctx, values, needName: named, rest });
}

/** Imports an M3U8 file as a new list named after it; reports every entry it could not place. */
function importFile(ctx: Context, file: string, name: string | undefined, json: boolean): number {
  const path = resolve(file);
  let body: Buffer;
  try {
    if (statSync(path).size > MAX_PLAYLIST_BYTES)
      throw new CliError(`${file}: a playlist file has at most ${MAX_PLAYLIST_BYTES >> 20} MiB`);
    body = readFileSync(path);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const report = importPlaylist(ctx.db, name ?? basename(path, extname(path)), body, dirname(path));
  const added = report.entries - report.skipped.length;
  if (json) {
    ctx.print(JSON.stringify({ ...report, added }, null, 2));
    return 0;
  }
  ctx.print(`playlist “${report.playlist.name}”: ${added} of ${report.entries} entries imported`);
  for (const s of report.skipped) ctx.warn(`skipped line ${s.line}: ${s.location} (${s.reason})`);
  return 0;
}
