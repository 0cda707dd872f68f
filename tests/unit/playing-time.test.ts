// How long the library plays, in the status bar: minutes while under an hour, whole hours after.
import { expect, it } from 'vitest';
import { formatPlayingTime } from '../../renderer/src/format.ts';

it('says minutes under an hour and whole hours after', () => {
  expect([0, 29, 240, 3599, 3600, 5400, 4_442_400].map(formatPlayingTime)).toEqual([
    '0 min',
    '0 min',
    '4 min',
    '1 h',
    '1 h',
    '2 h',
    '1,234 h',
  ]);
});
