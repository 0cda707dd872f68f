// Queue items from the backend's track rows: what the player shows for each queued track.
import { playsAsIs } from '../../app/shared/playable.ts';
import { MAX_PAGE, type TrackRow } from '../../app/shared/rpc-contract.ts';
import { trackTitle } from './format.ts';
import type { QueueItem } from './queue.ts';
import { replayGainOf } from './replay-gain.ts';
import type { RpcClient } from './rpc-client.ts';

/** Most tracks one action puts in the queue (a list from a row on, a selection, a playlist). */
export const MAX_QUEUED = 2000;

export function queueItem(
  row: Pick<TrackRow, 'id' | 'path' | 'tags' | 'format' | 'codec' | 'duration'>,
): QueueItem {
  return {
    id: row.id,
    title: trackTitle(row),
    artist: row.tags.artist ?? '',
    album: row.tags.album ?? '',
    albumArtist: row.tags.albumartist ?? row.tags.artist ?? '',
    replayGain: replayGainOf(row.tags),
    duration: row.duration,
    transcoded: !playsAsIs(row.format, row.codec),
  };
}

/** The tracks with these ids as queue items, in order (the first MAX_QUEUED; a page of rows per call). */
export async function queueItemsFor(client: RpcClient, ids: readonly number[]): Promise<QueueItem[]> {
  const items: QueueItem[] = [];
  const wanted = ids.slice(0, MAX_QUEUED);
  for (let i = 0; i < wanted.length; i += MAX_PAGE) {
    const { rows } = await client.call('library.rows', { ids: wanted.slice(i, i + MAX_PAGE) });
    items.push(...rows.map(queueItem));
  }
  return items;
}
