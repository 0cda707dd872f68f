// What a tagger's save through the mount changed (write-back.ts: sameField): a value written its own way
// is the same value, and a placeholder for a field the file had none of is none — but nothing that may be
// the user's own value is taken for either.
import { expect, it } from 'vitest';
import { beetsListSpelled, sameField } from '../../app/core/mounted/write-back.ts';

it('takes a figure written its own way as the same, and any other number as a change', () => {
  expect(sameField('replaygain_track_gain', ['+0.32 dB'], ['0.32 dB'])).toBe(true);
  expect(sameField('replaygain_track_gain', ['-7.23 dB'], ['-7.230000 dB'])).toBe(true);
  expect(sameField('replaygain_track_peak', ['0.988523'], ['0.988523'])).toBe(true);
  expect(sameField('replaygain_track_gain', ['+0.32 dB'], ['0.33 dB'])).toBe(false);
  expect(sameField('replaygain_track_peak', ['0.988523'], ['0.99'])).toBe(false);
  expect(sameField('replaygain_reference_loudness', ['-18.00 LUFS'], ['-18 dB'])).toBe(false);
  // Not a figure: text compares as written.
  expect(sameField('comment', ['+0.32 dB'], ['0.32 dB'])).toBe(false);
});

it("takes beets' zeros for fields the file had none of as none, and a zero that may be a value as one", () => {
  for (const [key, value] of [
    ['bpm', '0'],
    ['compilation', '0'],
    ['originaldate', '0000'],
    ['date', '0000-00-00'],
    ['originalyear', '0'],
    ['discnumber', '0'],
    ['totaldiscs', '0'],
    ['totaltracks', '0'],
  ])
    expect([key, sameField(key!, [], [value!])]).toEqual([key, true]);
  for (const [key, value] of [
    ['r128_track_gain', '0'], // a gain of 0 is a gain
    ['tracknumber', '0'], // a hidden track's number
    ['compilation', '1'],
    ['bpm', '120'],
    ['originaldate', '1971'],
  ])
    expect([key, sameField(key!, [], [value!])]).toEqual([key, false]);
  // A zero over a value the file had is a change.
  expect(sameField('bpm', ['120'], ['0'])).toBe(false);
  expect(sameField('discnumber', ['2'], ['0'])).toBe(false);
});

it("takes iTunes' Sound Check, which beets works out from the served gain, as never the user's", () => {
  const check = [
    ' 00000346 00000346 00000A1F 00000A1F 00024CA8 00024CA8 00007FFF 00007FFF 00024CA8 00024CA8',
  ];
  for (const key of ['comment:itunnorm', 'itunnorm']) {
    expect(sameField(key, [], check)).toBe(true);
    expect(sameField(key, [' 00000100'], check)).toBe(true);
    expect(sameField(key, check, [])).toBe(true);
  }
  expect(sameField('comment:itunsmpb', [], check)).toBe(false);
});

it('reads a list beets 1.6 wrote one character a value as the list it spells, and nothing else so', () => {
  expect(beetsListSpelled([..."['album', 'live']"])).toEqual(['album', 'live']);
  expect(beetsListSpelled([..."['compilation']"])).toEqual(['compilation']);
  expect(beetsListSpelled([...'[]'])).toEqual([]);
  for (const values of [['album'], ['a', 'b'], [...'[album]'], [..."['a'"], ['[', "'a'", ']']])
    expect(beetsListSpelled(values)).toBeUndefined();
});
