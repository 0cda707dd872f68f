// The tracks whose paths the Mount view previews: the selected ones, else the first of the Tracks view's list.
import { useMemo } from 'react';
import type { Target } from '../../app/shared/rpc-contract.ts';
import { formatCount } from './format.ts';
import type { TrackList } from './use-track-list.ts';

/** Tracks whose paths the mount view previews when none are selected. */
const PREVIEW_TRACKS = 20;
const MAX_PREVIEW = 50;

export function useMountPreview(target: Target | undefined, { shown }: TrackList, query: string) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: rows arrive into the same store; its version says when
  const previewIds = useMemo(() => {
    if (target?.kind === 'ids') return target.ids.slice(0, MAX_PREVIEW);
    const ids: number[] = [];
    for (let i = 0; i < PREVIEW_TRACKS; i++) {
      const id = shown.get(i)?.id;
      if (id !== undefined) ids.push(id);
    }
    return ids;
  }, [target, shown, shown.version]);
  const previewLabel =
    target?.kind === 'ids'
      ? `the ${formatCount(Math.min(target.ids.length, MAX_PREVIEW), 'selected track')}`
      : `the first ${formatCount(previewIds.length, 'track')}${query ? ` of “${query}”` : ''}`;
  return { previewIds, previewLabel };
}
