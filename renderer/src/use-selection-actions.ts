// What the Tracks view does with its rows and selection beyond editing: play or queue them, find more like
// them (the row menu, the editor's buttons and the keyboard share these).
import type { Dispatch, SetStateAction } from 'react';
import { useApp } from './app-context.tsx';
import { formatCount } from './format.ts';
import { playNow, type Queue, type QueueItem } from './queue.ts';
import { MAX_QUEUED, queueItem, queueItemsFor } from './queue-items.ts';
import type { SimilarSeed } from './similar-search.ts';
import type { TrackSelection } from './use-selection.ts';
import type { TrackList } from './use-track-list.ts';
import type { View } from './views.ts';

interface Deps {
  readonly list: TrackList;
  readonly selected: TrackSelection;
  readonly query: string;
  readonly setQueue: Dispatch<SetStateAction<Queue>>;
  readonly setSimilarSeed: (seed: SimilarSeed) => void;
  readonly setView: (view: View) => void;
}

export function useSelectionActions({ list, selected, query, setQueue, setSimilarSeed, setView }: Deps) {
  const { backend, fail, toast } = useApp();
  const { client } = backend;
  const { shown, total, idsIn } = list;
  const { target, count, title } = selected;

  /** Double-click: plays the row, then the loaded rows after it (as far as the list has loaded). */
  const play = (index: number) => {
    const items: QueueItem[] = [];
    for (let i = index; i < index + MAX_QUEUED; i++) {
      const row = shown.get(i);
      if (!row) break;
      items.push(queueItem(row));
    }
    if (items.length > 0) setQueue((q) => playNow(q, items));
  };

  /** The selection's tracks as queue items, in list order (at most MAX_QUEUED). */
  const selectedItems = async (): Promise<QueueItem[]> => {
    if (!target) return [];
    const ids =
      target.kind === 'ids'
        ? target.ids
        : (await idsIn(0, Math.min(total, MAX_QUEUED + target.except.length) - 1)).filter(
            (id) => !target.except.includes(id),
          );
    return queueItemsFor(client, ids);
  };
  const queueSelection = (how: (q: Queue, items: QueueItem[]) => Queue) =>
    selectedItems().then((items) => setQueue((q) => how(q, items)), fail);

  const moreLikeThis = () => {
    if (!target) return;
    if (target.kind === 'query' && target.except.length > 0) {
      toast('error', 'More like this takes a whole query or up to 10,000 selected tracks.');
      return;
    }
    setSimilarSeed({
      label: count === 1 ? `“${title}”` : `${formatCount(count, 'track')}${query ? ` of “${query}”` : ''}`,
      seeds: target.kind === 'ids' ? target : { kind: 'query', query: target.query },
    });
    setView('similar');
  };

  return { play, queueSelection, moreLikeThis };
}

export type SelectionActions = ReturnType<typeof useSelectionActions>;
