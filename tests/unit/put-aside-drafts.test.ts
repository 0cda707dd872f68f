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
    // Kept beside drafts kept already: both, those kept before winning a field both have.
    store.keep('ids:2', { drafts: { composer: 'Roux' }, loaded: {} });
    store.keep('ids:2', { drafts: { genre: 'Jazz', title: 'T' }, loaded: {} });
    expect(store.take('ids:2')).toEqual({
      drafts: { genre: 'Folk', composer: 'Roux', title: 'T' },
      loaded: {},
    });
  });

  it('are kept for the most recent selections only', () => {
    const store = new PutAsideDrafts();
    const gone = Array.from({ length: KEPT_SELECTIONS + 1 }, (_, i) =>
      store.keep(`ids:${i}`, aside(String(i))),
    );
    // Said: one selection let go, the 21st time.
    expect(gone).toEqual([...Array(KEPT_SELECTIONS).fill(0), 1]);
    // ids:0 went; kept again, it is the newest: then ids:1 and ids:2, left longest ago, go.
    store.keep('ids:0', aside('again'));
    store.keep('ids:new', aside('new'));
    expect(store.take('ids:1')).toBeUndefined();
    expect(store.take('ids:2')).toBeUndefined();
    expect(store.take('ids:0')).toEqual(aside('again'));
    expect(store.take(`ids:${KEPT_SELECTIONS}`)).toEqual(aside(String(KEPT_SELECTIONS)));
  });
});
