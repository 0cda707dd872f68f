// What a date field takes: a year, a month or a day, and a day with a time as ID3v2.4's timestamps have
// them ("1997-09-22T10:00"): a file dated so was read, then its edit and a tagger's save of it through
// the mount refused. A day its month lacks and a time no clock shows are refused.
import { expect, it } from 'vitest';
import { MAX_VALUE_CHARS, validateFieldValue, yearOf } from '../../app/shared/fields.ts';

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

it('names the part of a date that is not one: a month past 12, a day past 31', () => {
  expect(validateFieldValue('date', '2004-13-45')).toBe('date: 13 in 2004-13-45 is not a month (01–12)');
  expect(validateFieldValue('date', '2004-13')).toBe('date: 13 in 2004-13 is not a month (01–12)');
  expect(validateFieldValue('date', '2004-00')).toBe('date: 00 in 2004-00 is not a month (01–12)');
  expect(validateFieldValue('date', '2004-05-45')).toBe('date: 45 in 2004-05-45 is not a day (01–31)');
  // Nothing at all: how to remove the field instead.
  expect(validateFieldValue('date', '')).toBe(
    'date cannot be empty: clear the field to remove it (sleeve set --clear date)',
  );
});

it('refuses a value longer than any field holds, the same wherever it is typed', () => {
  expect(validateFieldValue('comment', 'x'.repeat(MAX_VALUE_CHARS))).toBeUndefined();
  expect(validateFieldValue('comment', 'x'.repeat(1_200_000))).toBe(
    'comment: a value of 1,200,000 characters is longer than the 1,000,000 a field holds',
  );
  expect(validateFieldValue('my_field', 'x'.repeat(1_200_000))).toMatch(/^my_field: a value of 1,200,000/);
});
