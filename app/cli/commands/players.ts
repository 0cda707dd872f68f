// `sleeve players`: the media servers a mount tells of its changes (app/core/mounts/players.ts), for
// servers that do not watch the mount or watch it from another machine. A running mount reads the list
// at each round, so one added now is told from the next change on.

import { ensureHome } from '../../core/home.ts';
import { testPlayers } from '../../core/mounts/player-notify.ts';
import { describePlayer, playerOf, readPlayers, writePlayers } from '../../core/mounts/players.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseArgs } from '../parse-options.ts';

export const usage = `sleeve players [list]
  sleeve players add mpd HOST[:PORT] [--password P] [--root FOLDER]   (FOLDER: the mount inside mpd's music_directory)
  sleeve players add jellyfin URL --key KEY [--root PATH]              (PATH: the mount as the server sees it)
  sleeve players add plex URL --token TOKEN --section N [--root PATH]
  sleeve players add subsonic URL --user NAME --password P             (Navidrome and other Subsonic servers)
  sleeve players remove N
  sleeve players test [N]   tells each player the whole mount changed, and says how it answered
  (a secret given as "-" is read from standard input)`;

const OPTIONS = {
  password: { type: 'string' },
  key: { type: 'string' },
  token: { type: 'string' },
  section: { type: 'string' },
  user: { type: 'string' },
  root: { type: 'string' },
} as const;

/** A secret as given, or the first line of standard input for "-" (so it stays out of the shell's history). */
async function secret(value: string | undefined): Promise<string | undefined> {
  if (value !== '-') return value;
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.split('\n')[0];
}

export async function run(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const [action = 'list', ...rest] = positionals;
  const home = ctx.home.dir;
  const players = readPlayers(home);
  const numbered = (n: string | undefined) => {
    const i = Number(n) - 1;
    if (!Number.isInteger(i) || i < 0 || i >= players.length)
      throw new UsageError(`there is no player ${n ?? ''}: ${players.length} set up (sleeve players)`);
    return i;
  };
  switch (action) {
    case 'list':
      if (players.length === 0)
        ctx.print('no players: mounts tell only inotify watchers (sleeve players add …)');
      for (const [i, p] of players.entries()) ctx.print(`${i + 1}  ${describePlayer(p)}`);
      return 0;
    case 'add': {
      const [kind, where] = rest;
      if (!kind || !where) throw new UsageError('players add KIND ADDRESS …');
      const secrets = {
        password: await secret(values.password),
        key: await secret(values.key),
        token: await secret(values.token),
      };
      const player = playerOf({ ...values, ...secrets, kind, address: where });
      ensureHome(ctx.home);
      writePlayers(home, [...players, player]);
      ctx.print(
        `added ${players.length + 1}: ${describePlayer(player)} (its secrets kept readable by you only)`,
      );
      return 0;
    }
    case 'remove': {
      const i = numbered(rest[0]);
      writePlayers(
        home,
        players.filter((_, k) => k !== i),
      );
      ctx.print(`removed ${describePlayer(players[i]!)}`);
      return 0;
    }
    case 'test': {
      const chosen = rest[0] === undefined ? players : [players[numbered(rest[0])]!];
      const reasons = await testPlayers(home, chosen);
      for (const [i, p] of chosen.entries()) {
        const reason = reasons[i];
        if (reason) ctx.warn(reason);
        else ctx.print(`${describePlayer(p)}: told`);
      }
      return reasons.some((r) => r !== null) ? 1 : 0;
    }
    default:
      throw new UsageError(`unknown action "${action}": list, add, remove or test`);
  }
}
