// A typed field's text: what a save keeps as text, said before it is saved.
import { describe, expect, it } from 'vitest';
import { keptAsText } from '../../../renderer/src/field-text.ts';

describe('keptAsText', () => {
  it('says a track or disc number that reads as none is saved as text, and nothing of one that reads', () => {
    expect(keptAsText('tracknumber', 'abc')).toBe(
      'tracknumber "abc" is not a number: kept as text (a player may sort it apart, and the mount\'s paths show it as written)',
    );
    expect(keptAsText('discnumber', 'A1')).toMatch(/^discnumber "A1" is not a number/);
    for (const [key, text] of [
      ['tracknumber', '05'],
      ['tracknumber', '3/12'],
      ['tracknumber', ''],
      ['title', 'abc'],
    ])
      expect(keptAsText(key!, text!), `${key} ${text}`).toBeUndefined();
  });
});
