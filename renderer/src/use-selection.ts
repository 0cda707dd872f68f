// The Tracks view's selection: picked by index, resolved to ids (from the backend when not loaded), kept
// across lists as far as they list the same tracks, and what it amounts to: the target edits and tools
// act on, its one track when single.
import { useEffect, useMemo, useRef, useState } from 'react';
import { MAX_IDS } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { formatCount, formatNumber, trackTitle } from './format.ts';
import {
  type ListedBy,
  rangeBounds,
  type Selection,
  type SelectMode,
  selectedCount,
  selectionAcross,
  selectOnly,
  selectRange,
  toggle,
  toTarget,
} from './selection.ts';
import type { TrackList } from './use-track-list.ts';

export function useSelection(list: TrackList, fromUrl: Selection, query: string, onePerRecording: boolean) {
  const { backend, fail, toast } = useApp();
  const { client } = backend;
  const { listKey, shown, total, idsIn } = list;
  const [selection, setSelection] = useState<Selection>(fromUrl);
  // A selection from the address bar keeps only tracks that are still in the library.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, for the selection the page opened with
  useEffect(() => {
    const ids = [...fromUrl.ids];
    if (ids.length === 0) return;
    client.call('library.rows', { ids }).then((r) => {
      const listed = new Set(
        r.rows.filter((row) => row.status === 'ok' || row.status === 'missing').map((row) => row.id),
      );
      if (listed.size < ids.length) setSelection((s) => (s.ids === fromUrl.ids ? { ...s, ids: listed } : s));
    }, fail);
  }, []);
  // Another list keeps what it still lists of the selection (selectionAcross; the first, from the address
  // bar, keeps its selection).
  const listedBy = useRef<ListedBy>({ query, onePerRecording });
  const firstList = useRef(listKey);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the list's key says when it changed
  useEffect(() => {
    const now: ListedBy = { query, onePerRecording };
    const before = listedBy.current;
    listedBy.current = now;
    if (firstList.current === listKey) return;
    firstList.current = '';
    selectSeq.current++;
    setSelection((s) => selectionAcross(s, before, now));
  }, [listKey]);

  // A selection that needs ids from the backend applies only if nothing newer happened meanwhile.
  const selectSeq = useRef(0);
  const onSelect = (index: number, mode: SelectMode) => {
    const seq = ++selectSeq.current;
    const loaded = shown.get(index)?.id;
    let resolve: Promise<(s: Selection) => Selection>;
    if (mode === 'only' || mode === 'toggle') {
      resolve = (loaded !== undefined ? Promise.resolve([loaded]) : idsIn(index, index)).then(
        ([id]) =>
          (s: Selection) =>
            id === undefined ? s : mode === 'only' ? selectOnly(index, id) : toggle(s, index, id),
      );
    } else {
      const [a, b] = rangeBounds(selection, index);
      if (b - a + 1 > MAX_IDS) {
        toast(
          'error',
          `A range can hold up to ${formatNumber(MAX_IDS)} tracks; Ctrl+A selects all of the query.`,
        );
        return;
      }
      resolve = idsIn(a, b).then((ids) => (s: Selection) => selectRange(s, index, ids, mode === 'range-add'));
    }
    resolve.then((update) => {
      if (seq === selectSeq.current) setSelection(update);
    }, fail);
  };

  /** The track after the lead, alone (the tag editor's "save, then next"); undefined at the end. */
  const lead = selection.lead;
  const nextTrack = lead !== null && lead + 1 < total ? () => onSelect(lead + 1, 'only') : undefined;

  const count = selectedCount(selection, total);
  const target = useMemo(
    () => toTarget(selection, query, total, onePerRecording),
    [selection, query, total, onePerRecording],
  );
  const targetKey = useMemo(() => `${listKey}:${JSON.stringify(target)}`, [listKey, target]);
  const single = count === 1 && !selection.all ? [...selection.ids][0] : undefined;
  const singleRow =
    single === undefined
      ? undefined
      : (() => {
          for (let i = Math.max(0, (selection.lead ?? 0) - 1); i <= (selection.lead ?? 0) + 1; i++) {
            const r = shown.get(i);
            if (r?.id === single) return r;
          }
          return undefined;
        })();
  /** Why the one selected track cannot be played, identified or found alike: its file is gone or unreadable. */
  const unplayable =
    singleRow?.status === 'missing'
      ? 'The file is missing'
      : singleRow?.status === 'error'
        ? 'The file could not be read'
        : undefined;
  /** What the editor's heading calls the selection: its one track's title (else its file's name, as the
   *  table's Title column; the whole path is shown below it), or a count. */
  const title = count === 1 ? (singleRow ? trackTitle(singleRow) : '1 track') : formatCount(count, 'track');

  return {
    selection,
    setSelection,
    onSelect,
    nextTrack,
    count,
    target,
    targetKey,
    singleRow,
    unplayable,
    title,
  };
}

export type TrackSelection = ReturnType<typeof useSelection>;
