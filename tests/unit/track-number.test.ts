// The table's # column shows track numbers as numbers, whatever the tag holds.
import { describe, expect, it } from 'vitest';
import { trackNumber } from '../../renderer/src/format.ts';

describe('trackNumber', () => {
  it('reads "07", "7/12" and " 7" as 7, shows no zero, and keeps text that is not a number', () => {
    expect(['07', '7/12', '7', '0', '00', '', undefined, 'A1'].map(trackNumber)).toEqual([
      '7',
      '7',
      '7',
      '',
      '',
      '',
      '',
      'A1',
    ]);
  });
});
