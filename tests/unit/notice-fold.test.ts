// The notices' fold: the newest two shown, the older ones counted in one line that names their errors.
import { describe, expect, it } from 'vitest';
import { foldLine, foldNotices } from '../../renderer/src/notice-fold.ts';

const notice = (id: number, kind: 'info' | 'error' = 'info') => ({ id, kind, text: `notice ${id}` });

describe('the notices folded', () => {
  it('shows two or fewer whole', () => {
    const two = [notice(1), notice(2)];
    expect(foldNotices(two, false)).toEqual({ shown: two, folded: 0, foldedErrors: 0 });
    expect(foldNotices([], false)).toEqual({ shown: [], folded: 0, foldedErrors: 0 });
  });

  it('folds all but the newest two, counting the errors among them; open, shows every one', () => {
    const five = [notice(1, 'error'), notice(2), notice(3, 'error'), notice(4, 'error'), notice(5)];
    const closed = foldNotices(five, false);
    expect(closed.shown.map((t) => t.id)).toEqual([4, 5]);
    expect([closed.folded, closed.foldedErrors]).toEqual([3, 2]);
    expect(foldNotices(five, true)).toEqual({ shown: five, folded: 0, foldedErrors: 0 });
  });

  it('says how many are folded and how many of them are errors', () => {
    expect(foldLine(1, 0)).toBe('1 earlier notice');
    expect(foldLine(3, 1)).toBe('3 earlier notices (1 error)');
    expect(foldLine(2, 2)).toBe('2 earlier notices (2 errors)');
  });
});
