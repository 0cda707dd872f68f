// The Mount view's Players: the media servers a mount tells of its changes (app/core/mounts/players.ts),
// listed without their secrets, added, removed and tested as `sleeve players` does.

import { UserError } from '../../kit/user-error.ts';
import type { Home } from '../core/home.ts';
import { ensureHome } from '../core/home.ts';
import { testPlayers } from '../core/mounts/player-notify.ts';
import { describePlayer, playerOf, readPlayers, writePlayers } from '../core/mounts/players.ts';
import type { Handlers } from './rpc-hub.ts';

type PlayerHandlers = Pick<Handlers, 'players.list' | 'players.add' | 'players.remove' | 'players.test'>;

export function playerHandlers(home: Home): PlayerHandlers {
  const list = () => ({ players: readPlayers(home.dir).map((p) => ({ description: describePlayer(p) })) });
  return {
    'players.list': list,
    'players.add': ({ kind, address, secret, user, section, root }) => {
      const player = playerOf({
        kind,
        address,
        user,
        section,
        root,
        ...(kind === 'jellyfin'
          ? { key: secret }
          : kind === 'plex'
            ? { token: secret }
            : { password: secret }),
      });
      ensureHome(home);
      writePlayers(home.dir, [...readPlayers(home.dir), player]);
      return list();
    },
    'players.remove': ({ index }) => {
      const players = readPlayers(home.dir);
      if (index > players.length) throw new UserError('not_found', `there is no player ${index}`);
      writePlayers(
        home.dir,
        players.filter((_, i) => i !== index - 1),
      );
      return list();
    },
    'players.test': async () => ({ reasons: await testPlayers(home.dir, readPlayers(home.dir)) }),
  };
}
