// `sleeve` command line. Exit codes: 0 ok, 1 failure, 2 usage.
import { UserError } from '../../kit/user-error.ts';
import { SLEEVE_VERSION } from '../../kit/version.ts';
import type { KeptScanWorkers } from '../core/scan/kept-scan-workers.ts';
import type { Context, Output } from './context.ts';
import { UsageError } from './errors.ts';
import { splitGlobal } from './global-options.ts';

interface Command {
  readonly usage: string;
  run(ctx: Context, args: string[]): Promise<number>;
}

/** A command's module is loaded when the command runs: one command's imports, not every command's. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  scan: { summary: 'add or refresh music folders (incremental)', load: () => import('./commands/scan.ts') },
  ls: {
    summary: 'list tracks matching a query (one file per recording unless --all-copies)',
    load: () => import('./commands/ls.ts'),
  },
  info: {
    summary: 'every field of one track: file, edited and effective values',
    load: () => import('./commands/info.ts'),
  },
  set: {
    summary: 'edit tags of matching tracks (never writes files)',
    load: () => import('./commands/set.ts'),
  },
  tool: {
    summary:
      'tagging tools on matching tracks: find & replace, case, tags from file names, numbering, copy/swap, trim, split/join',
    load: () => import('./commands/tool.ts'),
  },
  action: {
    summary:
      'saved actions: a named sequence of tools, run on matching tracks as one previewed, undoable edit',
    load: () => import('./commands/action.ts'),
  },
  export: {
    summary: 'tags of matching tracks as CSV, TSV or JSON (for a spreadsheet), with when they were read',
    load: () => import('./commands/export.ts'),
  },
  import: {
    summary: 'tags from CSV, TSV or JSON by id or path, as one previewed, undoable edit (newer edits kept)',
    load: () => import('./commands/import.ts'),
  },
  script: {
    summary:
      'a Picard TaggerScript evaluated for each matching track (or once): names, tests, what $set would do',
    load: () => import('./commands/script.ts'),
  },
  identify: {
    summary:
      'name tracks: from better-tagged copies, by sound (AcoustID) and by album (MusicBrainz) when enabled, as reviewable diffs',
    load: () => import('./commands/identify.ts'),
  },
  loudness: {
    summary:
      "measured loudness of matching tracks: ReplayGain 2.0 track and album gain, true peak, range, and whose gain the mount serves (--prefer, --default: the measured or a file's own)",
    load: () => import('./commands/loudness.ts'),
  },
  art: {
    summary: 'cover art of matching tracks: list, set from an image, remove (an undoable edit)',
    load: () => import('./commands/art.ts'),
  },
  watch: {
    summary:
      'follow the library folders: files copied in, changed, moved or deleted are taken in as they settle',
    load: () => import('./commands/watch.ts'),
  },
  forget: {
    summary: 'take a library folder out of the library (edits kept; scanning it again brings it back)',
    load: () => import('./commands/forget.ts'),
  },
  exclude: {
    summary: 'leave a folder inside a library folder out of the library (--list the rules, --remove one)',
    load: () => import('./commands/exclude.ts'),
  },
  history: { summary: 'list edit batches', load: () => import('./commands/history.ts') },
  undo: { summary: 'undo an edit batch (default: the newest)', load: () => import('./commands/undo.ts') },
  token: {
    summary: "the app's address with its access token (--rotate: a new token)",
    load: () => import('./commands/token.ts'),
  },
  redo: {
    summary: 'redo an undone edit batch (default: the one undone last)',
    load: () => import('./commands/redo.ts'),
  },
  stats: { summary: 'library totals', load: () => import('./commands/stats.ts') },
  fields: {
    summary: "every field a query, a template or an edit may name, beets' names beside them",
    load: () => import('./commands/fields.ts'),
  },
  fingerprint: {
    summary: "stored Chromaprint fingerprints, printed like fpcalc's",
    load: () => import('./commands/fingerprint.ts'),
  },
  dup: {
    summary: 'recordings present more than once (acoustic duplicates and partial copies)',
    load: () => import('./commands/dup.ts'),
  },
  similar: {
    summary: 'tracks that sound like a track, or like the tracks of a query (more like this)',
    load: () => import('./commands/similar.ts'),
  },
  map: {
    summary: 'a 2D map of the library by how tracks sound (coordinates with --json)',
    load: () => import('./commands/map.ts'),
  },
  serve: {
    summary: 'run the app: the backend and its web UI on 127.0.0.1 (prints the URL)',
    load: () => import('./commands/serve.ts'),
  },
  subsonic: {
    summary:
      'serve the library to phones and other players over OpenSubsonic (127.0.0.1 unless --listen); user and key set who may log in',
    load: () => import('./commands/subsonic.ts'),
  },
  index: {
    summary: "serve fingerprint indexes over acoustid-index's HTTP API",
    load: () => import('./commands/index.ts'),
  },
  playlist: {
    summary: 'playlists: lists and smart playlists, M3U8 import and export (also in every mount)',
    load: () => import('./commands/playlist.ts'),
  },
  mount: {
    summary: 'serve the library, with its edited tags, as a folder (FUSE)',
    load: () => import('./commands/mount.ts'),
  },
  umount: {
    summary: 'stop serving a mount',
    load: async () => {
      const m = await import('./commands/mount.ts');
      return { usage: m.umountUsage, run: m.umount };
    },
  },
  players: {
    summary: 'media servers a mount tells of its changes: mpd, Jellyfin, Plex, Subsonic (Navidrome)',
    load: () => import('./commands/players.ts'),
  },
  saves: {
    summary: 'saves through a mount that are set aside (damaged, or their file gone): apply or discard',
    load: () => import('./commands/saves.ts'),
  },
  conflicts: {
    summary:
      "fields a tagger changed through a mount that were changed elsewhere since it read them: take the tagger's value or keep the library's",
    load: () => import('./commands/conflicts.ts'),
  },
  doctor: {
    summary: 'what this machine lacks: native addons, mounting, ffmpeg — and what to install',
    load: () => import('./commands/doctor.ts'),
  },
  mounts: {
    summary: 'list active mounts',
    load: async () => {
      const m = await import('./commands/mount.ts');
      return { usage: m.mountsUsage, run: m.mounts };
    },
  },
};

async function help(): Promise<string> {
  const commands = await Promise.all(
    Object.values(COMMANDS).map(async (c) => `  ${(await c.load()).usage}\n      ${c.summary}`),
  );
  const lines = [
    'Sleeve — a music library manager that never modifies your files.',
    '',
    'usage: sleeve [--home DIR] [--index-url URL] COMMAND [ARGS]',
    '',
    ...commands,
    '',
    'Queries: word, field:value, field:=exact, field:/regex/, year:1990..1999, field: (has a value),',
    '  ^term negates, field+ / field- sorts. Example: sleeve ls artist:beatles year:1965..1969 date+',
    'Home: --home DIR, else $SLEEVE_HOME, else $XDG_DATA_HOME/sleeve (~/.local/share/sleeve).',
    'Fingerprint index: the embedded engine, or an acoustid-index server: --index-url URL (index.url in config.json).',
  ];
  return lines.join('\n');
}

function version(): string {
  return `sleeve ${SLEEVE_VERSION}`;
}

const PROCESS_IO: Output = { out: process.stdout, err: process.stderr, stdin: process.stdin };

/** Runs one command. `scanWorkers`: kept by a caller that runs command after command in one process (the
 *  tests' CLI thread), for its scans; `sleeve`, a process a command, starts its scan's own. */
export async function main(
  argv: readonly string[],
  io: Output = PROCESS_IO,
  scanWorkers?: KeptScanWorkers,
): Promise<number> {
  let ctx: Context | undefined;
  let command: Command | undefined;
  try {
    const g = splitGlobal(argv);
    if (g.version) {
      io.out.write(`${version()}\n`);
      return 0;
    }
    const [name, ...args] = g.rest;
    if (g.help || name === undefined || name === 'help') {
      io.out.write(`${await help()}\n`);
      return name === undefined && !g.help ? 2 : 0;
    }
    const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!entry) {
      // Loaded only here: every command's start would pay for it.
      const { closestFields } = await import('../core/library/library-query.ts');
      const near = closestFields(name, Object.keys(COMMANDS));
      throw new UsageError(
        `unknown command "${name}"${near.length > 0 ? `: did you mean ${near.join(', ')}?` : ''} (commands: ${Object.keys(COMMANDS).join(', ')})`,
      );
    }
    command = await entry.load();
    if (args.includes('--help') || args.includes('-h')) {
      io.out.write(`usage: ${command.usage}\n`);
      return 0;
    }
    // Loaded here, not with this module: `--version`, help and usage errors open no library (the library's
    // modules are most of a command's start).
    const { Context } = await import('./context.ts');
    ctx = new Context(g.home, io, g.indexUrl, scanWorkers);
    return await command.run(ctx, args);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err.write(`sleeve: ${e.message}\n${command ? `usage: ${command.usage}` : 'see: sleeve --help'}\n`);
      return 2;
    }
    if (err instanceof UserError) {
      io.err.write(`sleeve: ${e.message}\n`);
      return 1;
    }
    const refused = ctx?.refusal(err);
    if (refused) {
      io.err.write(`sleeve: ${refused}\n`);
      return 1;
    }
    io.err.write(`sleeve: internal error: ${e.stack ?? e.message}\n`);
    return 1;
  } finally {
    await ctx?.close();
  }
}
