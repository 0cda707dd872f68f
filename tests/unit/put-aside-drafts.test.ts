// The tag editor's drafts put aside when the user leaves a selection unsaved: given back once, to that
// selection only, and only for the most recent selections (the store is bounded).
import { describe, expect, it } from 'vitest';
import { KEPT_SELECTIONS, PutAsideDrafts } from '../../renderer/src/put-aside-drafts.ts';

const aside = (genre: string) => ({ drafts: { genre }, loaded: {} });

describe('drafts put aside', () => {
  it('are given back once, to the selection they were typed in', () => {
    const store = new PutAsideDrafts();
    store.keep('ids:1', aside('Ambient'));
    store.keep('ids:2', aside('Folk'));
    expect(store.take('ids:3')).toBeUndefined();
    expect(store.take('ids:1')).toEqual(aside('Ambient'));
    expect(store.take('ids:1')).toBeUndefined();
    // Kept again: the newer drafts.
    store.keep('ids:2', aside('Jazz'));
    expect(store.take('ids:2')).toEqual(aside('Jazz'));
  });

  it('are kept for the most recent selections only', () => {
    const store = new PutAsideDrafts();
    for (let i = 0; i <= KEPT_SELECTIONS; i++) store.keep(`ids:${i}`, aside(String(i)));
    // Kept again, the first is the newest: the second, left longest ago, goes.
    store.keep('ids:0', aside('again'));
    store.keep('ids:new', aside('new'));
    expect(store.take('ids:1')).toBeUndefined();
    expect(store.take('ids:0')).toEqual(aside('again'));
    expect(store.take(`ids:${KEPT_SELECTIONS}`)).toEqual(aside(String(KEPT_SELECTIONS)));
  });
});
