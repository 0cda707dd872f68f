// What a date field takes: a year, a month or a day, and a day with a time as ID3v2.4's timestamps have
// them ("1997-09-22T10:00"): a file dated so was read, then its edit and a tagger's save of it through
// the mount refused. A day its month lacks and a time no clock shows are refused.
import { expect, it } from 'vitest';
import { validateFieldValue, yearOf } from '../../app/shared/fields.ts';

it('takes a year, a month, a day, and a day with its time', () => {
  for (const date of [
    '1997',
    '1997-09',
    '1997-09-22',
    '1997-09-22T10',
    '1997-09-22T10:00',
    '1997-09-22T23:59:59',
  ])
    expect(validateFieldValue('date', date), date).toBeUndefined();
  expect(yearOf('1997-09-22T10:00')).toBe('1997');
});

it('refuses a time no clock shows, a time without its day, and a day its month lacks', () => {
  for (const date of [
    '1997-09-22T24:00',
    '1997-09-22T10:60',
    '1997-09T10',
    '1997-09-22 10:00',
    '1997-09-22T',
  ])
    expect(validateFieldValue('date', date), date).toMatch(/^date must be YYYY, YYYY-MM or YYYY-MM-DD/);
  expect(validateFieldValue('date', '2021-02-29T10:00')).toBe(
    'date: 2021-02-29T10:00 is not a day (that month has 28 days)',
  );
});
