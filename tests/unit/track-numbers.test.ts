// Track and disc numbers as taggers write them: the one reading every reader and edit shares.
import { describe, expect, it } from 'vitest';
import { paddedNumber, readNumber, storedNumbers } from '../../app/shared/track-numbers.ts';

describe('readNumber', () => {
  it.each([
    ['5', { number: '5' }],
    ['05', { number: '5' }],
    [' 5 ', { number: '5' }],
    ['5/12', { number: '5', total: '12' }],
    ['05/12', { number: '5', total: '12' }],
    ['02/03', { number: '2', total: '3' }],
    [' 2 / 9 ', { number: '2', total: '9' }],
    ['5/', { number: '5' }],
    ['/12', { total: '12' }],
    ['5/0', { number: '5' }], // MP4's trkn writes 0 for "no total"
    ['0', { number: '0' }], // Picard's pregap track
    ['000', { number: '0' }],
    ['000123', { number: '123' }],
    ['123456', { number: '123456' }],
  ])('reads %j', (text, reading) => {
    expect(readNumber(text)).toEqual(reading);
  });

  it.each(['A1', 'x', 'two', '', '  ', '/', '5/12/3', '5 of 12', '-1', '1.5', '1234567', '١'])(
    'keeps %j as text',
    (text) => {
      expect(readNumber(text)).toBeUndefined();
    },
  );
});

describe('storedNumbers', () => {
  it('stores numbers unpadded and a total as its own field, other fields as they are', () => {
    expect(
      storedNumbers([
        { key: 'title', values: [' 05 '] },
        { key: 'tracknumber', values: ['2/9'] },
        { key: 'discnumber', values: ['01'] },
        { key: 'totaldiscs', values: ['02'] },
      ]),
    ).toEqual({
      fields: [
        { key: 'title', values: [' 05 '] },
        { key: 'tracknumber', values: ['2'] },
        { key: 'discnumber', values: ['1'] },
        { key: 'totaldiscs', values: ['2'] },
        { key: 'totaltracks', values: ['9'] },
      ],
      warnings: [],
    });
  });

  it('keeps what reads as no number, with a warning, and never clears a number for a lone total', () => {
    expect(
      storedNumbers([
        { key: 'tracknumber', values: ['A1'] },
        { key: 'totaldiscs', values: ['2/2'] },
      ]),
    ).toEqual({
      fields: [
        { key: 'tracknumber', values: ['A1'] },
        { key: 'totaldiscs', values: ['2/2'] },
      ],
      warnings: [
        'tracknumber "A1" is not a number: kept as text',
        'totaldiscs "2/2" is not a number: kept as text',
      ],
    });
    expect(storedNumbers([{ key: 'tracknumber', values: ['/12'] }]).fields).toEqual([
      { key: 'totaltracks', values: ['12'] },
    ]);
    expect(storedNumbers([{ key: 'tracknumber', values: [] }]).fields).toEqual([
      { key: 'tracknumber', values: [] },
    ]);
  });

  it('takes a total of 0 as none, written alone as after a slash', () => {
    expect(
      storedNumbers([
        { key: 'tracknumber', values: ['05'] },
        { key: 'totaltracks', values: ['0'] },
      ]).fields,
    ).toEqual([
      { key: 'tracknumber', values: ['5'] },
      { key: 'totaltracks', values: [] },
    ]);
    expect(storedNumbers([{ key: 'tracknumber', values: ['5/0'] }]).fields).toEqual([
      { key: 'tracknumber', values: ['5'] },
    ]);
  });

  it('accepts a total given twice alike, and refuses two different ones', () => {
    expect(
      storedNumbers([
        { key: 'totaltracks', values: ['09'] },
        { key: 'tracknumber', values: ['02/09'] },
      ]).fields,
    ).toEqual([
      { key: 'totaltracks', values: ['9'] },
      { key: 'tracknumber', values: ['2'] },
    ]);
    expect(() =>
      storedNumbers([
        { key: 'tracknumber', values: ['2/9'] },
        { key: 'totaltracks', values: ['10'] },
      ]),
    ).toThrow('tracknumber "2/9" gives totaltracks 9, but totaltracks is set to "10" too');
  });
});

describe('paddedNumber', () => {
  it('pads the number and leaves text alone', () => {
    expect(['5', '05/12', '123', 'A1', ''].map((t) => paddedNumber(t, 2))).toEqual([
      '05',
      '05',
      '123',
      'A1',
      '',
    ]);
    expect(paddedNumber('7', 3)).toBe('007');
  });
});
