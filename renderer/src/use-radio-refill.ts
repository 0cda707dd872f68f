// A radio that refills the queue as it plays: when it runs low, it asks for recordings like the last ones
// played, once per set of seeds; what comes back joins the queue only if that radio still plays.
import { useEffect, useRef } from 'react';
import { useApp } from './app-context.tsx';
import { needsRefill, type Queue, radioSeeds, refill } from './queue.ts';
import { queueItem } from './queue-items.ts';

/** Similar recordings a radio asks for at a time (some may be queued already). */
const RADIO_BATCH = 20;

export function useRadioRefill(queue: Queue, onQueue: (update: (q: Queue) => Queue) => void): void {
  const { backend, fail } = useApp();
  const asked = useRef<{ radio: Queue['radio']; key: string }>({ radio: null, key: '' });
  useEffect(() => {
    const radio = queue.radio;
    if (!radio || !needsRefill(queue)) return;
    const seeds = radioSeeds(queue);
    const key = seeds.join();
    if (asked.current.radio === radio && asked.current.key === key) return;
    asked.current = { radio, key };
    backend.client
      .call('similar.tracks', {
        seeds: { kind: 'ids', ids: seeds },
        limit: RADIO_BATCH,
        includeDuplicates: false,
      })
      .then((r) => {
        const items = r.tracks.map(({ track }) => queueItem(track));
        onQueue((q) => (q.radio === radio ? refill(q, items) : q));
      }, fail);
  }, [queue, backend, onQueue, fail]);
}
